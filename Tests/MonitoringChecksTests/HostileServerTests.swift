// Servers that lie, stall, flood, forge output or echo the password: every case observed in
// the hostile-server review, for every type it applies to (see HostileHarness.swift).
import Foundation
import TestKit
import Testing

enum Hostile {
  static let password = "s3cret|pw;#"
  static let passwordFile: String = {
    let dir = try! makeTempDirectory("hostile-secret")
    try! password.write(toFile: dir + "/password", atomically: true, encoding: .utf8)
    return dir + "/password"
  }()
  static var login: [String] { ["--username", "probe", "--password-file", passwordFile] }

  static let cases: [HostileCase] = {
    var all: [HostileCase] = [
      // Crashes: negative counts from the network.
      HostileCase(type: "http", behaviour: "http-negative-length", status: [2], contains: "Content-Length"),
      HostileCase(type: "http", behaviour: "http-negative-length-5", status: [2], contains: "Content-Length"),
      HostileCase(type: "http", behaviour: "http-duplicate-length", status: [2], contains: "Content-Length"),
      HostileCase(type: "http", behaviour: "http-huge-length", status: [2], contains: "Content-Length"),
      HostileCase(type: "http", behaviour: "http-chunked-negative", status: [2], contains: "chunk"),
      HostileCase(type: "imap", behaviour: "imap-negative-literal", status: [2], contains: "literal"),
      // Unbounded memory and the deadline.
      HostileCase(type: "smtp", behaviour: "smtp-endless-continuation", status: [2], timeout: 5, within: 2),
      HostileCase(type: "imap", behaviour: "imap-chained-literals", status: [2], timeout: 5, within: 2),
      HostileCase(type: "pop3", behaviour: "pop3-endless-list", status: [2],
                  arguments: login + ["--mailflowid", "flood"], timeout: 5, within: 2),
      HostileCase(type: "http", behaviour: "http-endless-headers", status: [2], timeout: 5, within: 2),
      HostileCase(type: "imap", behaviour: "imap-endless-untagged", status: [2], timeout: 5, within: 2),
      HostileCase(type: "ssh", behaviour: "ssh-endless-lines", status: [2], timeout: 5, within: 2),
      HostileCase(type: "ldap", behaviour: "ldap-endless-entries", status: [2], timeout: 5, within: 2),
      // Framing.
      HostileCase(type: "http", behaviour: "http-chunked-open", status: [0], contains: "size=12B"),
      HostileCase(type: "http", behaviour: "http-unframed", status: [0], contains: "size=7B"),
      // Forged lines and perfdata.
      HostileCase(type: "http", behaviour: "http-forge", status: [0]),
      HostileCase(type: "smtp", behaviour: "smtp-forge", status: [0]),
      HostileCase(type: "imap", behaviour: "imap-forge", status: [0]),
      HostileCase(type: "pop3", behaviour: "pop3-forge", status: [0]),
      HostileCase(type: "ssh", behaviour: "ssh-forge", status: [0]),
      HostileCase(type: "ldap", behaviour: "ldap-forge", status: [2], arguments: login, contains: "invalid credentials"),
      // The password echoed by the server.
      HostileCase(type: "imap", behaviour: "imap-echo-password", status: [2], arguments: login, contains: "failed"),
      HostileCase(type: "pop3", behaviour: "pop3-echo-password", status: [2], arguments: login, contains: "failed"),
      // LOGINDISABLED: never send the password in clear.
      HostileCase(type: "imap", behaviour: "imap-login-disabled", status: [3], arguments: login,
                  contains: "LOGINDISABLED"),
      HostileCase(type: "imap", behaviour: "imap-login-disabled-later", status: [3], arguments: login,
                  contains: "LOGINDISABLED"),
      // ldap must prove that the server answers a query after the bind.
      HostileCase(type: "ldap", behaviour: "ldap-bind-only", status: [2], contains: "search"),
      HostileCase(type: "ldap", behaviour: "ldap-search-refused", status: [2], contains: "search"),
      HostileCase(type: "ldap", behaviour: "ldap-root-dse-refused", status: [0], arguments: login,
                  contains: "bind as 'probe' and search of the bind DN succeeded"),
    ]
    // STARTTLS: plaintext pipelined after the reply to STARTTLS is never read as if it came
    // inside TLS; a handshake cut off; no STARTTLS offered (never a password in clear); a
    // capability list that never ends.
    for type in ["smtp", "imap", "pop3", "ldap"] {
      let starttls = ["--starttls", "--ssl-hostname", "localhost"]
      let credentials = type == "smtp" ? [] : login
      all.append(HostileCase(type: type, behaviour: "\(type)-starttls-injection", status: [2],
                             arguments: starttls + credentials, contains: "STARTTLS command injection"))
      all.append(HostileCase(type: type, behaviour: "\(type)-starttls-drop", status: [2],
                             arguments: starttls + credentials, contains: "handshake"))
      all.append(HostileCase(type: type, behaviour: "\(type)-starttls-not-offered", status: [2],
                             arguments: starttls + credentials, contains: type == "ldap" ? "StartTLS refused" : "does not offer"))
      if type != "ldap" {
        all.append(HostileCase(type: type, behaviour: "\(type)-starttls-endless-\(type == "smtp" ? "ehlo" : "capability")",
                               status: [2], arguments: starttls + credentials, timeout: 5, within: 2))
      }
    }
    all.append(HostileCase(type: "smtp", behaviour: "smtp-starttls-refused", status: [2], arguments: ["--starttls"],
                           contains: "STARTTLS refused: 454"))
    // Every text protocol: a line that never ends, and a server that never speaks (the
    // timeout line starts with the check's type).
    for type in ["http", "smtp", "imap", "pop3", "ssh", "ldap"] {
      all.append(HostileCase(type: type, behaviour: "flood-no-newline", status: [2], timeout: 5, within: 2))
      all.append(HostileCase(type: type, behaviour: "silent", status: [3], timeout: 1, contains: "timeout"))
    }
    return all
  }()
}

@Suite("hostile servers")
struct HostileServerTests {
  @Test(arguments: Hostile.cases)
  func hostile(_ c: HostileCase) throws {
    let server = try HostileServer(c.behaviour)
    let store = try makeTempDirectory("hostile-store")
    let m = try measurePlugin([c.type, "-H", "127.0.0.1", "--port", "\(server.port)", "-t", "\(c.timeout)",
                               "--mailflow-dir", store] + c.arguments)
    Harness.expectWellFormed(m, c.testDescription, label: c.type.uppercased(), status: c.status,
                             seconds: c.limit)
    if let text = c.contains { #expect(m.text.contains(text), "\(c): \(m)") }
    #expect(!m.text.contains(Hostile.password), "password in the output: \(m)")
    if c.behaviour.contains("starttls") {
      // Nothing but the protocol's way to ask for TLS goes out in clear: no credentials, no mail.
      #expect(!server.received.contains(Hostile.password) && !server.received.contains("probe"),
              "credentials sent before TLS: \(server.received.debugDescription)")
      #expect(!server.received.contains("MAIL FROM"),
              "\(server.received.debugDescription)")
      #expect(!m.text.contains("injected"), "injected text taken as a reply: \(m)")
    }
    if c.behaviour.contains("login-disabled") {
      #expect(!server.received.contains(Hostile.password), "password sent in clear: \(server.received)")
      #expect(!server.received.contains("LOGIN "), "LOGIN sent: \(server.received)")
    }
  }
}
