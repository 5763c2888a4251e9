import Foundation
import TestKit
import Testing

// Our check on source packages: fragments in debian/ that dh_monitoringinfo never installs
// (monitoring-info-unused-fragment), reported by lintian on the .dsc of a real
// dpkg-buildpackage build, the same files dh_monitoringinfo warned about in the build.
//
// SourcePackages/mi-src-unused: a misspelt debian/mi-src-unsued.monitoring-info and a bare
// debian/monitoring-info beside debian/mi-src-unused.monitoring-info (both reported); the
// first package's file for --name in debian/rules and the second package's file for another
// architecture (not reported). Its expected hints: SourcePackages/mi-src-unused.hints.

@Suite("lintian check: source packages")
struct SourcePackageTests {
  struct Build {
    var work: URL
    var result: ProcessResult
    func file(_ suffix: String) throws -> URL {
      let names = try FileManager.default.contentsOfDirectory(atPath: work.path)
      guard let name = names.first(where: { $0.hasSuffix(suffix) }) else {
        throw TestFailure.message("no *\(suffix) in \(names)")
      }
      return work.appendingPathComponent(name)
    }
  }

  /// A full build (source and binaries) of SourcePackages/NAME with the tools of this tree.
  static func build(_ name: String) throws -> Build {
    let fm = FileManager.default
    let work = try temporaryDirectory("mi-src-build")
    let tree = work.appendingPathComponent(name)
    try fm.copyItem(at: Paths.testsDir.appendingPathComponent("SourcePackages/\(name)"), to: tree)
    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree.appendingPathComponent("debian/rules").path)
    var env = try lintianEnvironment(mode: .built, home: work)
    env["PATH"] = DhTree.root.appendingPathComponent("bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? systemPath)
    env["PERL5LIB"] = DhTree.root.appendingPathComponent("debhelper/perl5").path
    env["DH_MONITORINGINFO_BIN"] = DhTree.program.path
    let result = try runProgram("dpkg-buildpackage", ["-us", "-uc", "-d"], environment: env, directory: tree)
    return Build(work: work, result: result)
  }

  static func lintian(_ package: URL, mode: LinterMode, home: URL) throws -> ProcessResult {
    try runProgram(
      "lintian",
      ["--no-cfg", "--allow-root", "--include-dir", Paths.includeDir.path,
       "--check-part", "monitoring-info", "--exp-output", "format=universal", package.path],
      environment: try lintianEnvironment(mode: mode, home: home))
  }

  @Test func unusedFragmentsAreReportedOnTheSourcePackage() throws {
    let built = try Self.build("mi-src-unused")
    defer { try? FileManager.default.removeItem(at: built.work) }
    #expect(built.result.status == 0, "dpkg-buildpackage failed:\n\(built.result.stdout)\n\(built.result.stderr)")

    // dh_monitoringinfo warned about the same two files, once each (the override's --name
    // run does not repeat them), and installed the two fragments that are used.
    let warnings = built.result.stderr.split(separator: "\n").filter { $0.contains("monitoring-info-unused-fragment") }
    #expect(warnings == [
      "dh_monitoringinfo: warning: debian/mi-src-unsued.monitoring-info: never installed: debian/control has no binary package 'mi-src-unsued', only mi-src-unused, mi-src-unused-doc (did you mean 'debian/mi-src-unused.monitoring-info'?) [monitoring-info-unused-fragment]",
      "dh_monitoringinfo: warning: debian/monitoring-info: never installed: debian/mi-src-unused.monitoring-info, the first package's own file, takes precedence (move its services there and remove this file) [monitoring-info-unused-fragment]",
    ], "\(built.result.stderr)")
    let listing = try runProgram("dpkg-deb", ["-c", try built.file("mi-src-unused_1.0_all.deb").path]).stdout
    #expect(listing.contains("./etc/monitoring-info/mi-src-unused.conf"), "\(listing)")
    #expect(listing.contains("./etc/monitoring-info/mi-src-unused-extra.conf"), "\(listing)")

    // lintian on the .changes: the source package's hints, none for the binaries.
    let result = try Self.lintian(try built.file(".changes"), mode: .built, home: built.work)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let hints = result.stdout.split(separator: "\n").sorted().map { $0 + "\n" }.joined()
    let golden = Paths.testsDir.appendingPathComponent("SourcePackages/mi-src-unused.hints")
    if let difference = try Golden.difference(hints, golden) { Issue.record("\(difference)") }

    // Without the linter the source package's fragments are not passed unchecked either.
    let missing = try Self.lintian(try built.file(".dsc"), mode: .missing, home: built.work)
    #expect(missing.stdout.contains(
      "mi-src-unused (source): monitoring-info-linter-unavailable monitoring-info-lint not found on PATH"), "\(missing.stdout)\(missing.stderr)")
  }

  /// A source package whose fragments are all used has no hint of ours, and one without
  /// fragments does not even need the linter.
  @Test func cleanSourcePackages() throws {
    let built = try Self.build("mi-dh-clean")
    defer { try? FileManager.default.removeItem(at: built.work) }
    #expect(built.result.status == 0, "dpkg-buildpackage failed:\n\(built.result.stdout)\n\(built.result.stderr)")
    #expect(!built.result.stderr.contains("monitoring-info-unused-fragment"), "\(built.result.stderr)")
    let dsc = try built.file(".dsc")
    let clean = try Self.lintian(dsc, mode: .built, home: built.work)
    #expect(clean.status == 0 && clean.stdout.isEmpty && clean.stderr.isEmpty, "\(clean.stdout)\(clean.stderr)")

    // The same source without its fragments: nothing to ask the (missing) linter.
    let bareWork = built.work.appendingPathComponent("bare")
    let tree = bareWork.appendingPathComponent("mi-dh-clean")
    try FileManager.default.createDirectory(at: bareWork, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: Paths.testsDir.appendingPathComponent("SourcePackages/mi-dh-clean"), to: tree)
    for name in try FileManager.default.contentsOfDirectory(atPath: tree.appendingPathComponent("debian").path)
    where name.contains("monitoring-info") {
      try FileManager.default.removeItem(at: tree.appendingPathComponent("debian/\(name)"))
    }
    let source = try runProgram("dpkg-source", ["-b", "mi-dh-clean"], directory: bareWork)
    #expect(source.succeeded, "\(source.stderr)")
    let bare = try Self.lintian(bareWork.appendingPathComponent("mi-dh-clean_1.0.dsc"), mode: .missing, home: built.work)
    #expect(bare.status == 0 && bare.stdout.isEmpty && bare.stderr.isEmpty, "\(bare.stdout)\(bare.stderr)")
  }
}
