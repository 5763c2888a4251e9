import Foundation
import Testing

/// Real builds of the fixture source packages with dpkg-buildpackage, asserted with dpkg-deb.
@Suite struct BuildTests {
  /// The `multi` fixture, built once for all tests of this suite.
  static let multi: Result<BuiltPackages, Error> = Result {
    let dir = try makeTemporaryDirectory("multi")
    let source = try copyFixture("multi", into: dir)
    let built = try buildPackage(source)
    guard built.log.succeeded else {
      throw TestFailure("dpkg-buildpackage failed:\n\(built.log.stdout)\n\(built.log.stderr)")
    }
    return built
  }

  func fixtureFile(_ name: String) throws -> String {
    try read(Tree.fixtures.appendingPathComponent("multi/debian/\(name)"))
  }

  @Test func mainPackageShorthandIsInstalledAsConffile() throws {
    let built = try Self.multi.get()
    #expect(try built.fileContents("mi-web", "/etc/monitoring-info/mi-web.conf") == fixtureFile("monitoring-info"))
    #expect(try built.listing("mi-web").contains("-rw-r--r-- root/root"))
    #expect(try built.controlFile("mi-web", "conffiles") == "/etc/monitoring-info/mi-web.conf\n")
    // No credentials: no maintainer script is generated for it.
    #expect(try built.controlFile("mi-web", "postinst") == nil)
    #expect(try built.controlFile("mi-web", "postrm") == nil)
  }

  @Test(arguments: ["mi-web", "mi-data", "mi-arch", "mi-named"])
  func fragmentPackagesGetTriggerAndRecommends(_ package: String) throws {
    let built = try Self.multi.get()
    let triggers = try #require(try built.controlFile(package, "triggers"))
    let lines = triggers.split(separator: "\n").filter { !$0.hasPrefix("#") }
    #expect(lines == ["activate-noawait monitoring-info-changed"])
    #expect(try built.field(package, "Recommends") == "auto-monitor-client")
    // Only mi-data's fragment holds a password: root-only in the .deb, the others 0644.
    let listing = try built.listing(package)
    for line in listing.split(separator: "\n") where line.hasSuffix(".conf") {
      let mode = package == "mi-data" ? "-rw------- root/root" : "-rw-r--r-- root/root"
      #expect(line.hasPrefix(mode), "mode in the .deb: \(line)")
    }
  }

  @Test func packageWithoutFragmentIsUntouched() throws {
    let built = try Self.multi.get()
    #expect(try !built.listing("mi-plain").contains("monitoring-info"))
    #expect(try built.controlFile("mi-plain", "triggers") == nil)
    #expect(try built.field("mi-plain", "Recommends") == "")
  }

  @Test func credentialsAreShippedPrivateWithoutPostinstChmod() throws {
    let built = try Self.multi.get()
    let line = try built.listing("mi-data").split(separator: "\n").first { $0.hasSuffix("./etc/monitoring-info/mi-data.conf") }
    #expect(line?.hasPrefix("-rw------- root/root") == true, "\(line ?? "no fragment")")
    // The mode is in the package, so the hand-written postinst stays as it is: no chmod,
    // which would override an administrator's dpkg-statoverride.
    let postinst = try #require(try built.controlFile("mi-data", "postinst"))
    #expect(postinst.hasPrefix("#!/bin/sh\nset -e\n\n# Hand-written part of the postinst."))
    #expect(!postinst.contains("dh_monitoringinfo"))
    #expect(!postinst.contains("chmod"))
    #expect(try built.fileContents("mi-data", "/etc/monitoring-info/mi-data.conf") == fixtureFile("mi-data.monitoring-info"))
    #expect(try built.controlFile("mi-data", "conffiles") == "/etc/monitoring-info/mi-data.conf\n")
    // lintian's warning about the deliberate mode is overridden, after the maintainer's own.
    #expect(try built.fileContents("mi-data", "/usr/share/lintian/overrides/mi-data") == """
      # The maintainer's own override, installed by dh_lintian.
      mi-data: spelling-error-in-copyright
      mi-data: non-standard-file-perm 0600 != 0644 [etc/monitoring-info/mi-data.conf]

      """)
    // Fragments without a password get no override.
    #expect(throws: (any Error).self) { try built.fileContents("mi-named", "/usr/share/lintian/overrides/mi-named") }
  }

  @Test func archSpecificFragmentWins() throws {
    let built = try Self.multi.get()
    let arch = try hostArchitecture()
    let specific = Tree.fixtures.appendingPathComponent("multi/debian/mi-arch.monitoring-info.\(arch)")
    let expected = FileManager.default.fileExists(atPath: specific.path)
      ? try read(specific) : try fixtureFile("mi-arch.monitoring-info")
    #expect(try built.fileContents("mi-arch", "/etc/monitoring-info/mi-arch.conf") == expected)
  }

  @Test func nameInOverrideInstallsSecondFragment() throws {
    let built = try Self.multi.get()
    #expect(try built.fileContents("mi-named", "/etc/monitoring-info/mi-extra.conf") == fixtureFile("mi-named.mi-extra.monitoring-info"))
    #expect(try built.fileContents("mi-named", "/etc/monitoring-info/mi-named.conf") == fixtureFile("mi-named.monitoring-info"))
    #expect(try built.controlFile("mi-named", "conffiles") == "/etc/monitoring-info/mi-extra.conf\n/etc/monitoring-info/mi-named.conf\n")
  }

  @Test func invalidFragmentFailsTheBuild() throws {
    let dir = try makeTemporaryDirectory("invalid")
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(try copyFixture("invalid", into: dir, as: "foo"))
    #expect(!built.log.succeeded)
    #expect(built.log.stderr.contains(
      "dh_monitoringinfo: error: debian/foo.monitoring-info:3:8: unknown type 'htp' (did you mean 'http'?)\n"))
    let debs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".deb") }
    #expect(debs.isEmpty)
  }
}
