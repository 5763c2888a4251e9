import MonitoringInfo
import Testing

@Suite struct SchemaTests {
  @Test func everyTypeIsInTheTableWithItsKeys() {
    #expect(ServiceType.allCases.map(\.rawValue) == ["http", "tcp", "udp", "smtp", "imap", "pop3", "mailflow", "ldap", "ssh"])
    #expect(ServiceType.http.schema.keys.map(\.name) == ["port", "uri", "accept_redirection", "hostname", "ssl", "ssl_hostname", "ignore_invalid_ssl", "expire_before_days"])
    #expect(ServiceType.mailflow.schema.keys.filter(\.isRequired).map(\.name) == ["seconds", "id"])
    #expect(ServiceType.allCases.filter { $0.schema.isSSLCapable } == [.http, .tcp, .smtp, .imap, .pop3, .ldap])
    #expect(ServiceType.allCases.filter { $0.schema.isSTARTTLSCapable } == [.smtp, .imap, .pop3, .ldap])
    #expect(ServiceType.smtp.schema.keys.map(\.name) == ["port", "email", "mailflowid", "ssl", "starttls", "ssl_hostname", "ignore_invalid_ssl", "expire_before_days"])
    #expect(ServiceType.allCases.filter { $0.schema.key("starttls") != nil } == [.smtp, .imap, .pop3, .ldap])
  }

  /// starttls keeps the plain port: the protocol itself switches to TLS there.
  @Test(arguments: [("smtp", 25), ("imap", 143), ("pop3", 110), ("ldap", 389)])
  func starttlsKeepsThePlainPort(type: String, port: Int) throws {
    let report = TestSupport.lint("[s]\ntype = \(type)\nstarttls = yes\nexpire_before_days = 14\nssl_hostname = mx.example.org\n")
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.gnuDescription))")
    let service = try #require(report.services.first)
    #expect(service.port == port)
    #expect(!service.ssl && service.boolean("starttls") == true)
    #expect(ServiceType(rawValue: type)!.schema.defaultDescription(service.type.schema.key("port")!)?.contains("also with starttls") == true)
  }

  @Test func sslWithStarttlsIsAnErrorWithADidYouMean() throws {
    let report = TestSupport.lint("[mx]\ntype = smtp\nssl = true\nstarttls = true\n")
    #expect(report.services.isEmpty)
    let finding = try #require(report.diagnostics.first)
    #expect(report.diagnostics.count == 1)
    #expect(finding.tag == "monitoring-info-ssl-with-starttls" && finding.line == 4)
    #expect(finding.help?.hasPrefix("did you mean 'starttls = true' alone") == true)
    #expect(finding.help?.contains("port 25") == true && finding.help?.contains("port 465") == true)
    let web = try #require(TestSupport.lint("[web]\ntype = http\nstarttls = true\n").diagnostics.first)
    #expect(web.tag == "monitoring-info-unknown-key" && web.help == "STARTTLS exists only for smtp, imap, pop3, ldap; for TLS from the first byte use 'ssl = true'")
    let shell = try #require(TestSupport.lint("[s]\ntype = ssh\nstarttls = true\n").diagnostics.first)
    #expect(shell.tag == "monitoring-info-unknown-key" && shell.help == "STARTTLS exists only for smtp, imap, pop3, ldap")
  }

  @Test(arguments: [
    ("http", false, 80), ("http", true, 443), ("smtp", false, 25), ("smtp", true, 465), ("imap", false, 143),
    ("imap", true, 993), ("pop3", false, 110), ("pop3", true, 995), ("ldap", false, 389), ("ldap", true, 636),
  ])
  func portDefaultsDependOnSSL(type: String, ssl: Bool, port: Int) throws {
    let report = TestSupport.lint("[s]\ntype = \(type)\nssl = \(ssl ? "on" : "off")\n")
    #expect(report.diagnostics.isEmpty)
    let service = try #require(report.services.first)
    #expect(service.port == port)
    #expect(service.ssl == ssl)
  }

  @Test func sshDefaultsToPort22() throws {
    #expect(try #require(TestSupport.lint("[s]\ntype = ssh\n").services.first).port == 22)
  }

  @Test func defaultsAreResolvedIncludingHostName() throws {
    let report = TestSupport.lint("[web]\ntype = http\n", hostName: "b.example.org")
    let web = try #require(report.services.first)
    #expect(web.values == [
      "port": .integer(80), "uri": .string("/"), "accept_redirection": .boolean(true),
      "hostname": .string("b.example.org"), "ssl": .boolean(false), "ssl_hostname": .string("b.example.org"),
      "ignore_invalid_ssl": .boolean(false),
    ])
    #expect(web.explicitParameters.isEmpty)
    #expect(web.string("hostname") == "b.example.org")
  }

  @Test func explicitValuesWinAndAreTyped() throws {
    let report = TestSupport.lint("[mail]\r\ntype = imap\r\nusername = monitor\r\npassword = a#b;c \"d\r\nport = 1143\r\n")
    #expect(report.diagnostics.isEmpty)
    let mail = try #require(report.services.first)
    #expect(mail.port == 1143)
    #expect(mail.string("password") == "a#b;c \"d")
    #expect(mail.explicitParameters == ["username": "monitor", "password": "a#b;c \"d", "port": "1143"])
  }

  @Test func sectionsWithErrorsAreDroppedAndTheRestKept() {
    let report = TestSupport.lint("[good]\ntype = tcp\nport = 1\n[bad]\ntype = tcp\n[also-good]\ntype = ssh\n")
    #expect(report.services.map(\.name) == ["good", "also-good"])
  }

  @Test func warningsDoNotDropAService() {
    let report = TestSupport.lint("[web]\ntype = http\nuri = \"/x\"\n")
    #expect(report.services.isEmpty)  // '"/x"' is no valid path: error as well as the warning
    let mail = TestSupport.lint("[m]\ntype = imap\nusername = u\n")
    #expect(mail.services.map(\.name) == ["m"])
    #expect(mail.diagnostics.map(\.tag) == ["monitoring-info-incomplete-credentials"])
  }

  @Test func registrationParametersAreValidatedWithTheSameRules() throws {
    let good = ServiceDefinition.validate(name: "web", type: "http", params: ["port": "8080", "ssl": "yes"], source: "apache2.conf", hostName: "h.example")
    #expect(good.definition?.port == 8080)
    #expect(good.definition?.source == "apache2.conf")
    let bad = ServiceDefinition.validate(name: "web", type: "http", params: ["prot": "80"], source: "apache2.conf")
    #expect(bad.definition == nil)
    #expect(bad.diagnostics.map(\.tag) == ["monitoring-info-unknown-key"])
  }

  @Test(arguments: [
    ["port": "80\nssl = true"], ["#port": "80"], ["port = 1\nuri": "/"], ["": "x"], ["uri": "/\r"],
  ])
  func registrationParametersCannotSmuggleLines(_ params: [String: String]) {
    let result = ServiceDefinition.validate(name: "web", type: "http", params: params, source: "x.conf")
    #expect(result.definition == nil)
    #expect(result.diagnostics.contains { $0.severity == .error })
  }

  @Test func registrationWithBadNameOrTypeIsRejected() {
    #expect(ServiceDefinition.validate(name: "a]\n[b", type: "http", params: [:], source: "x").definition == nil)
    #expect(ServiceDefinition.validate(name: "web", type: "http\nport = 1", params: [:], source: "x").definition == nil)
    #expect(ServiceDefinition.validate(name: "web server", type: "http", params: [:], source: "x").definition == nil)
  }
}

@Suite struct ValueKindTests {
  @Test(arguments: [
    (ValueKind.port, "1", true), (.port, "65535", true), (.port, "0", false), (.port, "65536", false), (.port, "+80", false),
    (.port, "080", true), (.port, " 80", false), (.port, "99999999999999999999", false),
    (.boolean, "TRUE", true), (.boolean, "Off", true), (.boolean, "1", true), (.boolean, "y", false),
    (.uri, "/", true), (.uri, "/a?b=c#d", true), (.uri, "a", false), (.uri, "/a b", false), (.uri, "/é", false),
    (.hostname, "www.example.org", true), (.hostname, "example.org.", true), (.hostname, "localhost", true),
    (.hostname, "-bad.example", false), (.hostname, "a..b", false), (.hostname, "under_score.example", false),
    (.hostname, "192.0.2.1", true), (.hostname, "2001:db8::1", true), (.hostname, "::1", true),
    (.hostname, "::ffff:192.0.2.1", true), (.hostname, "2001:db8:::1", false), (.hostname, "[::1]", false),
    (.email, "monitor@example.org", true), (.email, "a+b@localhost", true), (.email, "monitor", false),
    (.email, "a@b@c", false), (.email, "a b@c.org", false),
    (.identifier, "main", true), (.identifier, "main.flow-1_a", true), (.identifier, "../x", false), (.identifier, "", false),
    (.seconds, "900", true), (.seconds, "0", false), (.seconds, "-1", false),
    (.days, "0", true), (.days, "30", true), (.days, "3651", false),
    (.password, "p a;s#s\"", true), (.password, "", false), (.username, "cn=a,dc=b", true),
  ] as [(ValueKind, String, Bool)])
  func acceptsOnlyWhatTheFormatAllows(kind: ValueKind, text: String, valid: Bool) {
    #expect((kind.parse(text) != nil) == valid, "\(kind) \(text.debugDescription)")
  }

  @Test func serviceNames() {
    #expect(ServiceName.isValid("apache2"))
    #expect(ServiceName.isValid(String(repeating: "a", count: 64)))
    #expect(!ServiceName.isValid(String(repeating: "a", count: 65)))
    #expect(!ServiceName.isValid("_x"))
    #expect(!ServiceName.isValid("é"))
  }
}
