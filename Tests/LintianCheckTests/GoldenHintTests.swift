import Foundation
import TestKit
import Testing

// Golden-hint tests in lintian's own style. Each directory Cases/NAME holds
//   root/     a binary package tree (root/DEBIAN/control says Package: NAME)
//   hints     the expected hints of our check, sorted, format=universal
//   linter    optional: "missing" (no monitoring-info-lint on PATH, variable
//             unset) or "failing" (the variable names /bin/false);
//             default: the monitoring-info-lint SwiftPM built
//   modes     optional: "MODE PATH" lines (e.g. 0600 etc/monitoring-info/x.conf)
// The trees are built with `dpkg-deb --build` and run through the real
// lintian with our include dir; RECORD_GOLDENS=1 rewrites the hints files.

enum LinterMode: String, CaseIterable, Sendable {
  case built, missing, failing
}

struct Case: Sendable, CustomTestStringConvertible {
  let name: String
  let mode: LinterMode
  var dir: URL { Paths.cases.appendingPathComponent(name) }
  var testDescription: String { name }

  static let all: [Case] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.cases.path)) ?? []
    return names.sorted().compactMap { name in
      let dir = Paths.cases.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("root").path)
      else { return nil }
      let modeText = (try? String(
        contentsOf: dir.appendingPathComponent("linter"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      return Case(name: name, mode: modeText.flatMap(LinterMode.init(rawValue:)) ?? .built)
    }
  }()
}

/// Directories where lintian finds its helpers when the linter must be missing.
let systemPath = "/usr/sbin:/usr/bin:/sbin:/bin"

/// The tag our check uses when the linter is missing or fails. Without its
/// .tag file lintian would drop the hint, so the check dies instead (lintian
/// then exits 1 and names the reason on stderr): loud either way.
let unavailableTag = "monitoring-info-linter-unavailable"
var unavailableTagKnown: Bool {
  FileManager.default.fileExists(
    atPath: Paths.includeDir.appendingPathComponent("tags/monitoring-info/\(unavailableTag).tag").path)
}

/// One lintian run over the packages of the cases of one linter mode.
struct LintianRun: Sendable {
  var status: Int32
  var stderr: String
  var stdout: String
  /// package name -> our hints, sorted lines
  var hints: [String: String]
}

/// Builds every case's package and runs lintian once per linter mode (one
/// lintian run over many packages is much cheaper than one per package).
final class LintianRuns: Sendable {
  let runs: [LinterMode: LintianRun]
  let failure: String?

  static let shared = LintianRuns()

  private init() {
    var runs: [LinterMode: LintianRun] = [:]
    var failure: String?
    do {
      let work = try temporaryDirectory("mi-lintian")
      defer { try? FileManager.default.removeItem(at: work) }
      for mode in LinterMode.allCases {
        let cases = Case.all.filter { $0.mode == mode }
        if cases.isEmpty { continue }
        let debs = try cases.map { try buildPackage($0, in: work) }
        runs[mode] = try runLintian(debs, mode: mode, home: work)
      }
    } catch {
      failure = "\(error)"
    }
    self.runs = runs
    self.failure = failure
  }
}

func buildPackage(_ testCase: Case, in work: URL) throws -> URL {
  let fm = FileManager.default
  let tree = work.appendingPathComponent(testCase.name)
  try fm.copyItem(at: testCase.dir.appendingPathComponent("root"), to: tree)

  // git keeps no modes but the executable bit: make them deterministic
  let scripts: Set<String> = ["preinst", "postinst", "prerm", "postrm", "config"]
  let walker = fm.enumerator(atPath: tree.path)!
  while let relative = walker.nextObject() as? String {
    let path = tree.appendingPathComponent(relative).path
    var isDir: ObjCBool = false
    fm.fileExists(atPath: path, isDirectory: &isDir)
    let name = (relative as NSString).lastPathComponent
    let executable = isDir.boolValue
      || (relative.hasPrefix("DEBIAN/") && scripts.contains(name))
      || fm.isExecutableFile(atPath: path)
    try fm.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: path)
  }
  if let modes = try? String(
    contentsOf: testCase.dir.appendingPathComponent("modes"), encoding: .utf8)
  {
    for line in modes.split(separator: "\n") {
      let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
      guard fields.count == 2, let mode = Int(fields[0], radix: 8) else {
        throw TestFailure.message("\(testCase.name)/modes: bad line '\(line)'")
      }
      try fm.setAttributes(
        [.posixPermissions: mode], ofItemAtPath: tree.appendingPathComponent(fields[1]).path)
    }
  }

  let control = try String(
    contentsOf: tree.appendingPathComponent("DEBIAN/control"), encoding: .utf8)
  guard control.split(separator: "\n").contains("Package: \(testCase.name)") else {
    throw TestFailure.message("\(testCase.name): DEBIAN/control must say Package: \(testCase.name)")
  }

  let deb = work.appendingPathComponent("\(testCase.name).deb")
  let result = try runProgram("dpkg-deb", ["--root-owner-group", "--build", tree.path, deb.path])
  guard result.status == 0 else {
    throw TestFailure.message("dpkg-deb --build \(testCase.name) failed: \(result.stderr)")
  }
  return deb
}

func lintianEnvironment(mode: LinterMode, home: URL) throws -> [String: String] {
  let inherited = ProcessInfo.processInfo.environment
  var env = ["HOME": home.path, "PATH": inherited["PATH"] ?? systemPath]
  if let tmp = inherited["TMPDIR"] { env["TMPDIR"] = tmp }
  switch mode {
  case .built:
    guard FileManager.default.isExecutableFile(atPath: Paths.linter.path) else {
      throw TestFailure.message(
        "no monitoring-info-lint next to the test binary in \(Paths.binDir.path); run swift build")
    }
    env["LINTIAN_MONITORING_INFO_LINT"] = Paths.linter.path
  case .failing:
    env["LINTIAN_MONITORING_INFO_LINT"] = "/bin/false"
  case .missing:
    env["PATH"] = systemPath
    for dir in systemPath.split(separator: ":") {
      let candidate = "\(dir)/monitoring-info-lint"
      if FileManager.default.fileExists(atPath: candidate) {
        throw TestFailure.message(
          "cannot test a missing linter: \(candidate) is installed on this machine")
      }
    }
  }
  return env
}

/// Runs lintian with only our check over `debs`.
func runLintian(_ debs: [URL], mode: LinterMode, home: URL) throws -> LintianRun {
  let arguments = [
    "--no-cfg", "--allow-root", "--include-dir", Paths.includeDir.path,
    "--check-part", "monitoring-info", "--exp-output", "format=universal",
  ] + debs.map(\.path)
  let result = try runProgram(
    "lintian", arguments, environment: try lintianEnvironment(mode: mode, home: home))
  var lines: [String: [String]] = [:]
  for deb in debs {
    lines[deb.deletingPathExtension().lastPathComponent] = []
  }
  for line in result.stdout.split(separator: "\n") {
    guard let package = line.split(separator: " ", maxSplits: 1).first.map(String.init),
      lines[package] != nil
    else {
      throw TestFailure.message("unexpected lintian output line: \(line)")
    }
    lines[package]!.append(String(line))
  }
  return LintianRun(
    status: result.status, stderr: result.stderr, stdout: result.stdout,
    hints: lines.mapValues { $0.sorted().map { $0 + "\n" }.joined() })
}

@Suite("lintian check: golden hints")
struct GoldenHintTests {
  @Test(arguments: Case.all)
  func hints(_ testCase: Case) throws {
    let runs = LintianRuns.shared
    if let failure = runs.failure { Issue.record("\(failure)"); return }
    let run = try #require(runs.runs[testCase.mode])
    let actual = try #require(run.hints[testCase.name])
    let golden = testCase.dir.appendingPathComponent("hints")

    if testCase.mode != .built && !unavailableTagKnown {
      // the check must have died for a package with fragments, naming the reason
      let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
      let marker = ": \(unavailableTag) "
      if let line = expected.split(separator: "\n").first(where: { $0.contains(marker) }) {
        let afterTag = line.components(separatedBy: marker)[1]
        let reason = afterTag.components(separatedBy: " [")[0]
        #expect(run.status == 1, "lintian should fail when our check dies")
        #expect(
          run.stderr.contains("\(testCase.name).deb: monitoring-info check: \(reason)"),
          "stderr does not name the reason '\(reason)':\n\(run.stderr)")
        #expect(actual.isEmpty, "a dying check issues no hints: \(actual)")
      } else {
        #expect(actual == expected)
        #expect(!run.stderr.contains("\(testCase.name).deb:"), "\(run.stderr)")
      }
      return
    }

    // 0 clean, 2 hints at or above --fail-on; 1 is lintian or our check
    // failing, and any stderr (unknown tag, check died) is a failure too.
    #expect(run.status == 0 || run.status == 2, "lintian exited \(run.status)")
    #expect(run.stderr.isEmpty, "lintian stderr:\n\(run.stderr)")
    if let difference = try Golden.difference(actual, golden) {
      Issue.record("\(difference)")
    }
  }

  @Test func everyPackageTagIsCovered() throws {
    // Source package tags have their goldens beside SourcePackages/ (SourcePackageTests).
    let sourceHints = try FileManager.default.contentsOfDirectory(
      atPath: Paths.testsDir.appendingPathComponent("SourcePackages").path
    ).filter { $0.hasSuffix(".hints") }.map { Paths.testsDir.appendingPathComponent("SourcePackages/\($0)") }
    let expected = (Case.all.map { $0.dir.appendingPathComponent("hints") } + sourceHints).compactMap {
      try? String(contentsOf: $0, encoding: .utf8)
    }.joined()
    let required = [
      "monitoring-info-fragment-outside-directory", "monitoring-info-fragment-name-mismatch",
      "monitoring-info-fragment-needs-conf-suffix", "monitoring-info-fragment-without-trigger",
      "monitoring-info-world-readable-credentials", "monitoring-info-linter-unavailable",
      "monitoring-info-unused-fragment",
    ]
    for tag in required {
      #expect(expected.contains(": \(tag) "), "no golden case shows \(tag)")
    }
    #expect(Case.all.count >= 8)
    #expect(Case.all.contains { $0.mode == .missing })
  }
}
