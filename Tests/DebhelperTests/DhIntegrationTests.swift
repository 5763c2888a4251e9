import Foundation
import Testing

/// dh_monitoringinfo as `dh` runs it: the sequence addon, -O forwarding, skipping, --no-act.
@Suite struct DhIntegrationTests {
  /// A copy of the `multi` fixture whose debian/rules is plain `dh $@` (no override).
  func plainCopy(_ label: String) throws -> (URL, URL) {
    let dir = try makeTemporaryDirectory(label)
    let source = try copyFixture("multi", into: dir)
    try write("#!/usr/bin/make -f\n%:\n\tdh $@\n", to: source.appendingPathComponent("debian/rules"))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: source.appendingPathComponent("debian/rules").path)
    return (dir, source)
  }

  func exists(_ source: URL, _ path: String) -> Bool {
    FileManager.default.fileExists(atPath: source.appendingPathComponent(path).path)
  }

  /// Like every debhelper tool, --help answers anywhere, even outside a source package.
  @Test func helpWorksOutsideAPackage() throws {
    let dir = try makeTemporaryDirectory("help")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try run(["dh_monitoringinfo", "--help"], in: dir)
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("Usage: dh_monitoringinfo [debhelper options]"))
    #expect(result.stdout.contains("--name=NAME"))
    #expect(result.stderr.isEmpty)
  }

  @Test func forwardedOptionsReachTheTool() throws {
    let (dir, source) = try plainCopy("forward")
    defer { try? FileManager.default.removeItem(at: dir) }
    // dh passes these on as -O-Nmi-web -O--buildsystem=none; the second must be ignored.
    let r = try run(["dh", "binary", "-Nmi-web", "--buildsystem=none"], in: source)
    #expect(r.succeeded, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("dh_monitoringinfo -O-Nmi-web -O--buildsystem=none"))
    #expect(!exists(source, "debian/mi-web/etc/monitoring-info"))
    #expect(!exists(source, "debian/.debhelper/generated/mi-web/triggers"))
    #expect(exists(source, "debian/mi-data/etc/monitoring-info/mi-data.conf"))
    #expect(exists(source, "debian/.debhelper/generated/mi-data/triggers"))
  }

  @Test func forwardedOptionsReachTheToolInAnOverride() throws {
    let dir = try makeTemporaryDirectory("override")
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = try copyFixture("multi", into: dir)
    // In override_dh_monitoringinfo the options travel in DH_INTERNAL_OPTIONS; the explicit
    // -pmi-named of the second call is then excluded, which is not an error.
    let r = try run(["dh", "binary", "-Nmi-named", "--buildsystem=none"], in: source)
    #expect(r.succeeded, "\(r.stdout)\(r.stderr)")
    #expect(!exists(source, "debian/mi-named/etc/monitoring-info"))
    #expect(exists(source, "debian/mi-web/etc/monitoring-info/mi-web.conf"))
    // Same words as debhelper's own tools in this situation (see dh_listpackages).
    #expect(r.stderr.contains("dh_monitoringinfo: warning: No packages to build."))
  }

  /// dh starts the tool even when no package has a fragment under its own name (the wrapper
  /// makes no NOOP promise), so that a fragment named for no package is warned about; without
  /// any fragment the tool then changes nothing.
  @Test func dhRunsTheToolWithoutFragmentsAndItDoesNothing() throws {
    let (dir, source) = try plainCopy("skip")
    defer { try? FileManager.default.removeItem(at: dir) }
    // dh never skips under --no-act unless DH_INTERNAL_TEST_CAN_SKIP is set (as in debhelper's tests).
    let environment = Tree.environment(["DH_INTERNAL_TEST_CAN_SKIP": "1"])
    for name in try FileManager.default.contentsOfDirectory(atPath: source.appendingPathComponent("debian").path)
    where name.contains("monitoring-info") {
      try FileManager.default.removeItem(at: source.appendingPathComponent("debian/\(name)"))
    }
    let sequence = try run(["dh", "binary", "--no-act"], in: source, environment: environment)
    #expect(sequence.succeeded)
    #expect(sequence.stdout.contains("dh_installdeb"))
    #expect(sequence.stdout.contains("dh_monitoringinfo"))
    let before = try snapshot(source)
    let r = try run(["dh_monitoringinfo"], in: source)
    #expect(r.succeeded && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
    #expect(try snapshot(source) == before)
  }

  @Test func noActWritesNothing() throws {
    let (dir, source) = try plainCopy("noact")
    defer { try? FileManager.default.removeItem(at: dir) }
    let before = try snapshot(source)
    let verbose = try run(["dh_monitoringinfo", "--no-act", "-v"], in: source)
    #expect(verbose.succeeded, "\(verbose.stderr)")
    #expect(verbose.stdout.contains("\tinstall -p -m0644 debian/monitoring-info debian/mi-web/etc/monitoring-info/mi-web.conf\n"))
    #expect(verbose.stdout.contains("\tinstall -p -m0600 debian/mi-data.monitoring-info debian/mi-data/etc/monitoring-info/mi-data.conf\n"))
    #expect(try run(["dh_monitoringinfo", "--no-act", "-pmi-named", "--name=mi-extra"], in: source).succeeded)
    #expect(try run(["dh_monitoringinfo"], in: source, environment: Tree.environment(["DH_NO_ACT": "1"])).succeeded)
    #expect(try run(["dh_monitoringinfo", "-O--no-act"], in: source).succeeded)
    #expect(try snapshot(source) == before)
    // And without --no-act the same call does write: the comparison above can fail.
    #expect(try run(["dh_monitoringinfo", "-pmi-web"], in: source).succeeded)
    #expect(try snapshot(source) != before)
  }

  @Test func quietByDefaultAndErrorsForUnknownOptions() throws {
    let (dir, source) = try plainCopy("quiet")
    defer { try? FileManager.default.removeItem(at: dir) }
    let quiet = try run(["dh_monitoringinfo", "-O--unknown-forwarded=1"], in: source)
    #expect(quiet.succeeded && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    let unknown = try run(["dh_monitoringinfo", "--unknown"], in: source)
    #expect(unknown.status != 0)  // 25 or 255 as debhelper: HardeningTests
    #expect(unknown.stderr.contains("dh_monitoringinfo: error: unknown option or error during option parsing; aborting"))
    let badPackage = try run(["dh_monitoringinfo", "-pnosuch"], in: source)
    #expect(badPackage.status == 255)
    #expect(badPackage.stderr.hasPrefix("dh_monitoringinfo: error: Requested unknown package nosuch via -p/--package"))
  }

  @Test func warningsArePrintedAndTheBuildGoesOn() throws {
    let (dir, source) = try plainCopy("warning")
    defer { try? FileManager.default.removeItem(at: dir) }
    try write("[mi-web]\ntype = http\nssl_hostname = www.example.org\n", to: source.appendingPathComponent("debian/monitoring-info"))
    let r = try run(["dh_monitoringinfo", "-pmi-web"], in: source)
    #expect(r.succeeded)
    #expect(r.stderr.hasPrefix("dh_monitoringinfo: warning: debian/monitoring-info:3:1: 'ssl_hostname'"), "\(r.stderr)")
    #expect(exists(source, "debian/mi-web/etc/monitoring-info/mi-web.conf"))
  }

  @Test func allErrorsAreReportedAndNothingIsWritten() throws {
    let (dir, source) = try plainCopy("errors")
    defer { try? FileManager.default.removeItem(at: dir) }
    try write("[mi-web]\ntype = htp\n", to: source.appendingPathComponent("debian/monitoring-info"))
    try write("[mi-data]\ntype = tcp\n", to: source.appendingPathComponent("debian/mi-data.monitoring-info"))
    let before = try snapshot(source)
    let r = try run(["dh_monitoringinfo"], in: source)
    #expect(r.status == 255)
    let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("dh_monitoringinfo: error: ") }
    #expect(errors.count == 2, "\(r.stderr)")
    #expect(errors.contains { $0.hasSuffix("debian/mi-data.monitoring-info:1:2: type 'tcp' needs 'port' (TCP port to connect to) (add 'port = ...')") }, "\(r.stderr)")
    #expect(try snapshot(source) == before)
  }

  @Test func maintainerTriggerIsNotDuplicated() throws {
    let (dir, source) = try plainCopy("triggers")
    defer { try? FileManager.default.removeItem(at: dir) }
    try write("activate-noawait monitoring-info-changed\n", to: source.appendingPathComponent("debian/mi-web.triggers"))
    #expect(try run(["dh_monitoringinfo"], in: source).succeeded)
    #expect(!exists(source, "debian/.debhelper/generated/mi-web/triggers"))
    #expect(exists(source, "debian/.debhelper/generated/mi-data/triggers"))
  }

}

/// The addon and the man page as shipped.
@Suite struct ShippedFilesTests {
  @Test func manPageIsValidPodInDebhelperStyle() throws {
    let pod = Tree.root.appendingPathComponent("debhelper/dh_monitoringinfo.pod").path
    let check = try run(["podchecker", pod])
    #expect(check.succeeded, "\(check.stderr)")
    #expect(!check.stderr.contains("WARNING"), "\(check.stderr)")
    let text = try read(URL(fileURLWithPath: pod))
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "FILES", "OPTIONS", "EXAMPLES", "SEE ALSO"] {
      #expect(("\n" + text).contains("\n=head1 \(section)\n"), "missing section \(section)")
    }
  }

  /// What the synopsis shows is an option the tool takes and OPTIONS explains.
  @Test func synopsisOptionsAreDocumentedAndAccepted() throws {
    let text = try read(Tree.root.appendingPathComponent("debhelper/dh_monitoringinfo.pod"))
    let sections = ("\n" + text).components(separatedBy: "\n=head1 ")
    let synopsis = try #require(sections.first { $0.hasPrefix("SYNOPSIS\n") })
    let options = try #require(sections.first { $0.hasPrefix("OPTIONS\n") })
    // B<-n>, B<--name=>I<name>: the bold part is the option.
    let shown = synopsis.components(separatedBy: "B<").dropFirst().map { $0.prefix { $0 != ">" } }
      .filter { $0.hasPrefix("-") }.map(String.init)
    #expect(!shown.isEmpty)
    let dir = try makeTemporaryDirectory("synopsis")
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = try copyFixture("multi", into: dir)
    for option in shown {
      #expect(options.contains("=item B<\(option)"), "\(option) is in the SYNOPSIS but not explained under OPTIONS")
      let value = option.hasSuffix("=") ? "mi-extra" : ""
      let r = try run(["dh_monitoringinfo", "--no-act", "-pmi-named", option + value], in: source)
      #expect(r.succeeded, "\(option): \(r.stderr)")
    }
  }

  @Test func sequenceAddonInsertsAfterFixperms() throws {
    let dir = try makeTemporaryDirectory("addon")
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = try copyFixture("multi", into: dir)
    let r = try run(["dh", "binary", "--no-act"], in: source)
    #expect(r.succeeded, "\(r.stderr)")
    let commands = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    // After dh_fixperms, which would reset a fragment with a password to 0644.
    let fixperms = try #require(commands.firstIndex { $0.hasPrefix("dh_fixperms") })
    #expect(commands[fixperms + 1].hasPrefix("debian/rules override_dh_monitoringinfo"), "\(commands)")
    // Without the addon on PERL5LIB, dh refuses the build-dependency: the addon is what loads.
    var environment = Tree.environment()
    environment["PERL5LIB"] = nil
    #expect(try !run(["dh", "binary", "--no-act"], in: source, environment: environment).succeeded)
  }
}
