import Foundation

/// Locations the lintian tests need, found relative to this file and to the
/// test binary (no absolute paths of any machine).
enum Paths {
  /// Tests/LintianCheckTests
  static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  /// The repository (two levels above this directory).
  static let repo = testsDir.deletingLastPathComponent().deletingLastPathComponent()
  /// The lintian include dir (must be absolute for `--include-dir`).
  static let includeDir = repo.appendingPathComponent("lintian")
  static let cases = testsDir.appendingPathComponent("Cases")

  /// SwiftPM's bin directory: the test binary lives there, next to the
  /// `monitoring-info-lint` it built.
  static let binDir: URL = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    // A bundle layout (NAME.xctest/Contents/...) puts the binary deeper.
    while dir.path != "/" && !FileManager.default.fileExists(
      atPath: dir.appendingPathComponent("monitoring-info-lint").path)
    {
      if dir.lastPathComponent == ".build" { break }
      dir = dir.deletingLastPathComponent()
    }
    return dir
  }()

  static let linter = binDir.appendingPathComponent("monitoring-info-lint")
}

struct ProcessResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

enum TestFailure: Error, CustomStringConvertible {
  case message(String)
  var description: String {
    switch self { case let .message(text): text }
  }
}

/// Runs a program to completion; output goes through files (no pipe limits).
func run(
  _ program: String, _ arguments: [String], environment: [String: String]? = nil,
  directory: URL? = nil
) throws -> ProcessResult {
  let scratch = FileManager.default.temporaryDirectory
    .appendingPathComponent("mi-lintian-out-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let outURL = scratch.appendingPathComponent("stdout")
  let errURL = scratch.appendingPathComponent("stderr")
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let out = try FileHandle(forWritingTo: outURL)
  let err = try FileHandle(forWritingTo: errURL)

  let process = Process()
  process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
  process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
  if let environment { process.environment = environment }
  if let directory { process.currentDirectoryURL = directory }
  process.standardInput = FileHandle.nullDevice
  process.standardOutput = out
  process.standardError = err
  try process.run()
  process.waitUntilExit()
  try out.close()
  try err.close()
  return ProcessResult(
    status: process.terminationStatus,
    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// Compares `actual` with the golden file, or rewrites it with RECORD_GOLDENS=1.
/// Returns nil when equal, else a readable difference.
func compareGolden(_ actual: String, _ golden: URL) throws -> String? {
  if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
    try actual.write(to: golden, atomically: true, encoding: .utf8)
    return nil
  }
  guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
    return "missing golden \(golden.path) (RECORD_GOLDENS=1 writes it); actual:\n\(actual)"
  }
  if expected == actual { return nil }
  return "\(golden.path) differs (RECORD_GOLDENS=1 rewrites it)\n--- expected\n\(expected)--- actual\n\(actual)"
}
