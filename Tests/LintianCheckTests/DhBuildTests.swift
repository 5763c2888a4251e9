import Foundation
import TestKit
import Testing

// A source package built with dpkg-buildpackage and dh_monitoringinfo (the
// tools of this tree, not installed ones), checked by lintian with our include
// dir as dpkg-buildpackage's check command: it must come out clean, and a
// misplaced fragment must fail the build.
//
// SourcePackages/mi-dh-clean: two binary packages, a plain http fragment, an
// imap fragment with a password (dh_monitoringinfo ships it 0600) and a second
// fragment installed with --name.

enum DhTree {
  /// The tree whose bin/dh_monitoringinfo and debhelper/perl5 are used: this
  /// repository (DH_MONITORINGINFO_TREE may name another checkout).
  static let root: URL = {
    if let tree = ProcessInfo.processInfo.environment["DH_MONITORINGINFO_TREE"] {
      return URL(fileURLWithPath: tree)
    }
    return Paths.repo
  }()
  static let wrapper = root.appendingPathComponent("bin/dh_monitoringinfo")
  /// The Swift program behind the wrapper, from the same build as the tests.
  static var program: URL {
    let here = Paths.binDir.appendingPathComponent("dh_monitoringinfo")
    if FileManager.default.isExecutableFile(atPath: here.path) { return here }
    return root.appendingPathComponent(".build/debug/dh_monitoringinfo")
  }
}

@Suite("lintian check: a package built with dh_monitoringinfo")
struct DhBuildTests {
  static let source = Paths.testsDir.appendingPathComponent("SourcePackages/mi-dh-clean")

  struct Build {
    var work: URL
    var result: ProcessResult
    var changes: URL { work.appendingPathComponent("mi-dh-clean_1.0_\(Self.arch).changes") }
    static let arch = (try? runProgram("dpkg", ["--print-architecture"]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)) ?? "amd64"
  }

  /// Copies the source package, lets `prepare` change it, and runs
  /// dpkg-buildpackage with lintian (our include dir) as the check command.
  func build(_ prepare: (URL) throws -> Void = { _ in }) throws -> Build {
    let fm = FileManager.default
    let work = try temporaryDirectory("mi-dh-build")
    let tree = work.appendingPathComponent("mi-dh-clean")
    try fm.copyItem(at: Self.source, to: tree)
    try fm.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: tree.appendingPathComponent("debian/rules").path)
    try prepare(tree)

    let inherited = ProcessInfo.processInfo.environment
    var env = try lintianEnvironment(mode: .built, home: work)
    env["PATH"] = DhTree.root.appendingPathComponent("bin").path + ":" + (inherited["PATH"] ?? systemPath)
    env["PERL5LIB"] = DhTree.root.appendingPathComponent("debhelper/perl5").path
    env["DH_MONITORINGINFO_BIN"] = DhTree.program.path
    let result = try runProgram(
      "dpkg-buildpackage",
      ["-us", "-uc", "-b", "-d", "--check-command=lintian",
       "--check-option=--include-dir=\(Paths.includeDir.path)",
       "--check-option=--allow-root", "--check-option=--no-cfg"],
      environment: env, directory: tree)
    return Build(work: work, result: result)
  }

  @Test func builtPackageIsCleanForOurTags() throws {
    let built = try build()
    defer { try? FileManager.default.removeItem(at: built.work) }
    #expect(built.result.status == 0, "dpkg-buildpackage failed:\n\(built.result.stdout)\n\(built.result.stderr)")

    // the check had something to check: fragments as conffiles, the one with
    // a password shipped 0600, the other 0644
    let listing = try runProgram("dpkg-deb", ["-c", built.work.appendingPathComponent("mi-dh-clean-mail_1.0_all.deb").path])
    let lines = listing.stdout.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix("-rw------- root/root") && $0.hasSuffix("./etc/monitoring-info/mi-dh-clean-mail.conf") }, "\(listing.stdout)")
    #expect(lines.contains { $0.hasPrefix("-rw-r--r-- root/root") && $0.hasSuffix("./etc/monitoring-info/mi-dh-clean-mail-flow.conf") }, "\(listing.stdout)")

    let lintian = try runProgram(
      "lintian",
      ["--no-cfg", "--allow-root", "--include-dir", Paths.includeDir.path,
       "--check-part", "monitoring-info", "--exp-output", "format=universal", built.changes.path],
      environment: try lintianEnvironment(mode: .built, home: built.work))
    #expect(lintian.status == 0, "\(lintian.stderr)")
    #expect(lintian.stderr.isEmpty, "\(lintian.stderr)")
    #expect(lintian.stdout == "", "hints for a dh_monitoringinfo package:\n\(lintian.stdout)")
  }

  /// What a maintainer sees from the whole of lintian (all checks, our include dir) on the
  /// package with a password fragment: nothing about the fragment. lintian's own warning about
  /// the deliberate 0600 is overridden by the override dh_monitoringinfo ships with it, and
  /// without that override it would be there. Without the mode in the package our check
  /// reports the credentials.
  @Test func fullLintianOnCredentialsPackage() throws {
    let built = try build()
    defer { try? FileManager.default.removeItem(at: built.work) }
    #expect(built.result.status == 0, "dpkg-buildpackage failed:\n\(built.result.stdout)\n\(built.result.stderr)")
    let deb = built.work.appendingPathComponent("mi-dh-clean-mail_1.0_all.deb")
    func lintian(_ deb: URL) throws -> ProcessResult {
      try runProgram(
        "lintian", ["--no-cfg", "--allow-root", "--include-dir", Paths.includeDir.path, deb.path],
        environment: try lintianEnvironment(mode: .built, home: built.work))
    }
    let shipped = try lintian(deb)
    #expect(!shipped.stdout.contains("etc/monitoring-info/"), "\(shipped.stdout)")
    let unpacked = built.work.appendingPathComponent("unpacked")
    #expect(try runProgram("dpkg-deb", ["-R", deb.path, unpacked.path]).succeeded)
    let overrides = unpacked.appendingPathComponent("usr/share/lintian/overrides/mi-dh-clean-mail")
    #expect(try String(contentsOf: overrides, encoding: .utf8)
      == "mi-dh-clean-mail: non-standard-file-perm 0600 != 0644 [etc/monitoring-info/mi-dh-clean-mail.conf]\n")

    // Without the override, lintian's warning is there.
    let bare = built.work.appendingPathComponent("bare")
    #expect(try runProgram("cp", ["-a", unpacked.path, bare.path]).succeeded)
    try FileManager.default.removeItem(at: bare.appendingPathComponent("usr/share/lintian"))
    let bareDeb = built.work.appendingPathComponent("bare.deb")
    #expect(try runProgram("dpkg-deb", ["--root-owner-group", "-b", bare.path, bareDeb.path]).succeeded)
    #expect(try lintian(bareDeb).stdout.contains(
      "W: mi-dh-clean-mail: non-standard-file-perm 0600 != 0644 [etc/monitoring-info/mi-dh-clean-mail.conf]"))

    // The same package with the fragment made 0644, as dh_fixperms would leave it.
    let tree = unpacked
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o644], ofItemAtPath: tree.appendingPathComponent("etc/monitoring-info/mi-dh-clean-mail.conf").path)
    let readable = built.work.appendingPathComponent("readable.deb")
    #expect(try runProgram("dpkg-deb", ["--root-owner-group", "-b", tree.path, readable.path]).succeeded)
    let reported = try lintian(readable)
    #expect(reported.stdout.contains(
      "W: mi-dh-clean-mail: monitoring-info-world-readable-credentials 0644 [etc/monitoring-info/mi-dh-clean-mail.conf]"),
      "\(reported.stdout)")
  }

  @Test func misplacedFragmentFailsTheBuild() throws {
    let built = try build { tree in
      // an extra fragment installed by hand into a subdirectory
      let extra = tree.appendingPathComponent("extra")
      try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
      try "[mi-dh-clean-extra]\ntype = ssh\n".write(
        to: extra.appendingPathComponent("mi-dh-clean-extra.conf"), atomically: true, encoding: .utf8)
      try "extra/mi-dh-clean-extra.conf etc/monitoring-info/conf.d/\n".write(
        to: tree.appendingPathComponent("debian/mi-dh-clean.install"), atomically: true, encoding: .utf8)
    }
    defer { try? FileManager.default.removeItem(at: built.work) }
    #expect(built.result.status != 0, "the build should fail on our error tag")
    #expect(built.result.stdout.contains(
      "E: mi-dh-clean: monitoring-info-fragment-outside-directory in a subdirectory of /etc/monitoring-info [etc/monitoring-info/conf.d/mi-dh-clean-extra.conf]"),
      "\(built.result.stdout)")
  }
}
