import Foundation
import TestKit
import MonitoringInfo
import Testing

/// The built `monitoring-info-lint` against files that are not files and names that try to
/// forge output lines.
@Suite struct HostileInputTests {
  static let linter = BuildPaths.executable("monitoring-info-lint")

  /// Runs the linter in `directory`; a run that hangs is killed after 10 s and fails. SIGKILL:
  /// the test runner starts programs with SIGTERM blocked, which `timeout` alone would not end.
  func lint(in directory: URL, _ arguments: String...) throws -> (result: ProcessResult, seconds: Double) {
    let start = Date()
    let result = try runProgram("timeout", ["--signal=KILL", "10", Self.linter.path] + arguments, directory: directory)
    return (result, Date().timeIntervalSince(start))
  }

  func scratch() throws -> URL {
    try temporaryDirectory("mi-hostile")
  }

  @Test func fifoArgumentIsRefusedNotWaitedOn() throws {
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(mkfifo(dir.appendingPathComponent("f").path, 0o600) == 0)
    let (result, seconds) = try lint(in: dir, "f")
    #expect(result.status == 1, "status \(result.status) after \(seconds) s (124: hung until timeout)")
    #expect(seconds < 5)
    #expect(result.stderr.contains("monitoring-info-lint: error: cannot read 'f': not a regular file (a FIFO)\n"))
  }

  @Test func confSymlinkToFifoInDirectoryIsRefused() throws {
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fragments = dir.appendingPathComponent("monitoring-info")
    try FileManager.default.createDirectory(at: fragments, withIntermediateDirectories: true)
    #expect(mkfifo(dir.appendingPathComponent("f").path, 0o600) == 0)
    try FileManager.default.createSymbolicLink(atPath: fragments.appendingPathComponent("x.conf").path, withDestinationPath: "../f")
    try "[web]\ntype = http\n".write(to: fragments.appendingPathComponent("web.conf"), atomically: true, encoding: .utf8)
    let (result, seconds) = try lint(in: dir, "monitoring-info")
    #expect(result.status == 1, "status \(result.status) after \(seconds) s (124: hung until timeout)")
    #expect(result.stderr.contains("cannot read 'monitoring-info/x.conf': not a regular file (a FIFO)"))
    // The other file is still checked.
    #expect(result.stderr.contains("1 file checked"))
  }

  /// A file name with a newline, and an ESC, in every format: each finding stays one line and
  /// no line starts with the forged text.
  @Test(arguments: OutputFormat.allCases)
  func fileNameCannotForgeALine(_ format: OutputFormat) throws {
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let name = "evil\nE: fake-pkg: monitoring-info-fake forged [x]\u{1b}[2K.conf"
    try "[a]\ntype = htp\n".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    let (result, _) = try lint(in: dir, "--format=\(format.rawValue)", name)
    #expect(result.status == 2)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(!lines.contains { $0.hasPrefix("E: fake-pkg") }, "\(result.stdout)")
    #expect(!result.stdout.contains("\u{1b}") && !result.stderr.contains("\u{1b}"))
    switch format {
    case .lintian, .tsv: #expect(lines.count == 1, "\(result.stdout)")
    case .human: #expect(lines.first?.hasPrefix("evil E: fake-pkg: monitoring-info-fake forged [x] [2K.conf:2:8: error:") == true, "\(result.stdout)")
    case .json:
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      let diagnostics = object?["diagnostics"] as? [[String: Any]]
      #expect(diagnostics?.first?["path"] as? String == name)
    }
  }

  @Test func unreadableFileNameIsOneLineOnStderr() throws {
    let dir = try scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let (result, _) = try lint(in: dir, "missing\nmonitoring-info-lint: forged.conf")
    #expect(result.status == 1)
    #expect(!result.stderr.contains("\nmonitoring-info-lint: forged"), "\(result.stderr)")
  }
}
