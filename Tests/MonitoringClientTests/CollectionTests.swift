import Foundation
import MonitoringClient
import TestKit
import Testing

@Suite struct CollectionTests {
  @Test func fragmentsOfInstalledPackagesRegister() throws {
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\nport = 8080\nuri = /status\n")
    let collection = try root.collect()
    #expect(collection.services.map(\.name) == ["apache2"])
    #expect(collection.services[0].source == "apache2.conf")
    #expect(collection.services[0].params == ["port": "8080", "uri": "/status"])
    #expect(collection.payload(host: "b.example.org").serialized
      == #"{"host":"b.example.org","services":[{"name":"apache2","params":{"port":"8080","uri":"/status"},"source":"apache2.conf","type":"http"}],"version":1}"#)
  }

  @Test(arguments: ["config-files", "not-installed", "half-installed"])
  func fragmentsOfAbsentPackagesAreDropped(state: String) throws {
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2", state: state, conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    let collection = try root.collect()
    #expect(collection.services.isEmpty)
    #expect(collection.omissions.first?.subject == "apache2.conf")
    #expect(collection.omissions.first?.reason.contains("apache2") == true)
  }

  @Test(arguments: ["installed", "triggers-pending", "triggers-awaited", "unpacked", "half-configured"])
  func presentStatesCount(state: String) throws {
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2", state: state, conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    #expect(try root.collect().services.map(\.name) == ["apache2"])
  }

  @Test func obsoleteConffileIsNotTheFragmentOfItsPackage() throws {
    // An upgrade that stops shipping a conffile leaves it on disk marked obsolete.
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2", obsolete: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    try root.write("var/lib/dpkg/info/apache2.list", "/etc\n/etc/apache2\n")
    let collection = try root.collect()
    #expect(collection.services.isEmpty)
    #expect(collection.omissions.map(\.reason) == ["no longer shipped by apache2 (obsolete conffile)"])
    // The package ships no fragment now, so its default (if any) stands in.
    try root.defaults("apache2", "[apache2-default]\ntype = http\n")
    #expect(try root.collect().services.map(\.name) == ["apache2-default"])
  }

  @Test func journalInUpdatesOverridesStatus() throws {
    // dpkg records state changes in updates/NNNN before merging them into status; a trigger
    // runs in between.
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    try root.write("var/lib/dpkg/updates/0000", PackageRecord(name: "apache2", state: "config-files", conffiles: [conffile("apache2")]).stanza)
    try root.write("var/lib/dpkg/updates/tmp.i", "garbage that dpkg is still writing\n")
    #expect(try root.collect().services.isEmpty)
    try root.write("var/lib/dpkg/updates/0001", PackageRecord(name: "apache2", conffiles: [conffile("apache2")]).stanza)
    #expect(try root.collect().services.map(\.name) == ["apache2"])
  }

  @Test func ownerFromFileListsWhenNotAConffile() throws {
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "plain", state: "config-files"), PackageRecord(name: "other", state: "config-files")])
    try root.fragment("plain", "[plain]\ntype = tcp\nport = 1\n")
    try root.fragment("renamed", "[renamed]\ntype = tcp\nport = 2\n")
    try root.write("var/lib/dpkg/info/plain.list", "/etc\n/etc/monitoring-info\n/etc/monitoring-info/plain.conf\n")
    try root.write("var/lib/dpkg/info/other:amd64.list", "/etc/monitoring-info/renamed.conf\n/usr\n")
    let collection = try root.collect()
    #expect(collection.services.isEmpty)
    #expect(Set(collection.omissions.map(\.subject)) == ["plain.conf", "renamed.conf"])
    // The owner found in a list under another name is looked up in the database too.
    #expect(collection.omissions.first { $0.subject == "renamed.conf" }?.reason == "package other is removed but not purged")
  }

  @Test func ownerFromAFileListUnderAnotherNameThatIsInstalled() throws {
    // The database is read keeping only the packages that can matter; an owner only the file
    // lists reveal must still have its state.
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2"), PackageRecord(name: "other")])
    try root.fragment("renamed", "[renamed]\ntype = tcp\nport = 2\n")
    try root.write("var/lib/dpkg/info/other:amd64.list", "/etc/monitoring-info/renamed.conf\n/usr\n")
    let collection = try root.collect()
    #expect(collection.services.map(\.name) == ["renamed"])
    #expect(collection.omissions.isEmpty)
  }

  @Test func journalStanzaWithoutTheFragmentOverridesStatus() throws {
    // A journal stanza whose Conffiles no longer name the fragment (the new version dropped it)
    // must still replace the package's entry: the fragment is then nobody's.
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "mi-svc", conffiles: [conffile("mi-other")])])
    try root.fragment("mi-other", "[svc]\ntype = tcp\nport = 9\n")
    #expect(try root.collect().files.map(\.origin) == [.fragment(package: "mi-svc")])
    try root.write("var/lib/dpkg/updates/0000", PackageRecord(name: "mi-svc", conffiles: ["/etc/mi-svc.cfg"]).stanza)
    #expect(try root.collect().files.map(\.origin) == [.fragment(package: nil)])
  }

  @Test func unownedFragmentsAreTheAdministrators() throws {
    let root = try TestRoot()
    try root.setPackages([PackageRecord(name: "apache2")])
    try root.write("var/lib/dpkg/info/apache2.list", "/etc/apache2\n")
    try root.fragment("local", "[backup]\ntype = tcp\nport = 873\n")
    #expect(try root.collect().services.map(\.name) == ["backup"])
  }

  @Test func excludeByPackageFileOrService() throws {
    let root = try TestRoot()
    try root.setPackages([
      PackageRecord(name: "apache2", conffiles: [conffile("apache2")]),
      PackageRecord(name: "exim4", conffiles: [conffile("exim4")]),
      PackageRecord(name: "dovecot", conffiles: [conffile("dovecot")]),
    ])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    try root.fragment("exim4", "[smtp]\ntype = smtp\n")
    try root.fragment("dovecot", "[imap]\ntype = imap\n[pop3]\ntype = pop3\n")
    #expect(try root.collect().services.map(\.name) == ["apache2", "imap", "pop3", "smtp"])
    #expect(try root.collect(exclude: ["apache2"]).services.map(\.name) == ["imap", "pop3", "smtp"])
    #expect(try root.collect(exclude: ["exim4.conf"]).services.map(\.name) == ["apache2", "imap", "pop3"])
    #expect(try root.collect(exclude: ["pop3"]).services.map(\.name) == ["apache2", "imap", "smtp"])
  }

  @Test func invalidSectionsAreReportedAndLeftOutTheRestRegisters() throws {
    let root = try TestRoot()
    try root.fragment("mixed", "[good]\ntype = tcp\nport = 1\n[bad]\ntype = tcp\nport = seventy\n[worse]\ntype = htp\n")
    let collection = try root.collect()
    #expect(collection.services.map(\.name) == ["good"])
    #expect(collection.findings.map(\.tag) == ["monitoring-info-invalid-value", "monitoring-info-unknown-type"])
    #expect(collection.findings.allSatisfy { $0.path.hasSuffix("/etc/monitoring-info/mixed.conf") && $0.line > 0 })
  }

  @Test func aServiceInTwoFilesResolvesToTheFirstFileAndIsReported() throws {
    let root = try TestRoot()
    try root.fragment("b", "[web]\ntype = http\nport = 2\n")
    try root.fragment("a", "[web]\ntype = http\nport = 1\n")
    for _ in 0..<3 {
      let collection = try root.collect()
      #expect(collection.services.map(\.params) == [["port": "1"]])
      #expect(collection.omissions.map(\.subject) == ["web in b.conf"])
      #expect(collection.omissions[0].reason.contains("a.conf"))
    }
  }

  @Test func defaultsOnlyWhileThePackageIsPresentAndShipsNoFragment() throws {
    let root = try TestRoot()
    try root.defaults("nginx-light", "[nginx]\ntype = http\n")
    #expect(try root.collect().services.isEmpty)
    try root.setPackages([PackageRecord(name: "nginx-light")])
    let present = try root.collect()
    #expect(present.services.map(\.name) == ["nginx"])
    #expect(present.services[0].source == "defaults/nginx-light.conf")
    #expect(try root.collect(exclude: ["nginx-light"]).services.isEmpty)
    #expect(try root.collect(exclude: ["nginx"]).services.isEmpty)
    // Once the package ships its own fragment, the default steps aside.
    try root.setPackages([PackageRecord(name: "nginx-light", conffiles: [conffile("nginx-light")])])
    try root.fragment("nginx-light", "[nginx-own]\ntype = http\nport = 8080\n")
    #expect(try root.collect().services.map(\.name) == ["nginx-own"])
    try root.setPackages([PackageRecord(name: "nginx-light", state: "config-files", conffiles: [conffile("nginx-light")])])
    #expect(try root.collect().services.isEmpty)
  }

  @Test func multiArchSameNameCountsWhenOneArchitectureIsInstalled() throws {
    let root = try TestRoot()
    try root.setPackages([
      PackageRecord(name: "libfoo", conffiles: [conffile("libfoo")], architecture: "amd64"),
      PackageRecord(name: "libfoo", state: "config-files", architecture: "i386"),
    ])
    try root.fragment("libfoo", "[foo]\ntype = tcp\nport = 7\n")
    #expect(try root.collect().services.map(\.name) == ["foo"])
  }
}

@Suite struct ShippedDefaultsTests {
  static let directory = Client.packageRoot + "/defaults"
  static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".conf") }.sorted()

  @Test func atLeastTheIssuesPackages() {
    let wanted = [
      "apache2", "nginx", "nginx-core", "nginx-light", "nginx-full", "nginx-extras", "openssh-server", "postfix",
      "exim4-daemon-light", "exim4-daemon-heavy", "dovecot-imapd", "dovecot-pop3d", "slapd", "bind9", "unbound",
      "postgresql", "mariadb-server", "redis-server", "memcached", "squid", "lighttpd", "tomcat10", "ntpsec", "samba", "cups",
    ]
    #expect(Set(wanted).subtracting(Self.files.map { String($0.dropLast(5)) }).isEmpty)
    #expect(Self.files.count >= 20)
  }

  /// Each default stands alone (only one exim4 or nginx flavour is ever installed), so each
  /// is linted by itself.
  @Test(arguments: files) func passesTheLinter(file: String) throws {
    let result = try runProgram(BuildPaths.executable("monitoring-info-lint").path, [Self.directory + "/" + file])
    #expect(result.status == 0, "\(file): \(result.stdout)\(result.stderr)")
  }

  @Test func nginxFlavoursCountOnceAndQuietly() throws {
    let root = try TestRoot()
    for flavour in ["nginx", "nginx-light"] {
      try root.defaults(flavour, try String(contentsOfFile: Self.directory + "/\(flavour).conf", encoding: .utf8))
    }
    try root.setPackages([PackageRecord(name: "nginx"), PackageRecord(name: "nginx-light")])
    let collection = try root.collect()
    #expect(collection.services.map(\.name) == ["nginx"])
    #expect(collection.services[0].source == "defaults/nginx-light.conf")
    #expect(collection.omissions.isEmpty)
  }
}
