import Foundation
import MonitoringInfo
import Testing

/// Paths and helpers shared by the tests of this target.
enum TestSupport {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// The directory SwiftPM put the test bundle and the package's executables in.
  static var binDirectory: URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
  }

  static func lint(_ text: String, path: String = "test.conf", hostName: String? = nil) -> FragmentReport {
    FragmentValidator(hostName: hostName).validate(SourceFile(path: path, text: text))
  }

  /// Compares with a golden file; `RECORD_GOLDENS=1` rewrites it instead.
  static func assertGolden(_ actual: String, _ golden: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
      try actual.write(to: golden, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(actual == expected, "\(golden.lastPathComponent) differs (RECORD_GOLDENS=1 rewrites it)", sourceLocation: sourceLocation)
  }
}

struct ProcessResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// Runs a program to completion, feeding it no input. Output goes through temporary files so
/// that neither stream can fill a pipe and block the child.
func run(_ executable: URL, _ arguments: [String], currentDirectory: URL? = nil) throws -> ProcessResult {
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mi-run-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let outURL = scratch.appendingPathComponent("stdout")
  let errURL = scratch.appendingPathComponent("stderr")
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let currentDirectory { process.currentDirectoryURL = currentDirectory }
  process.standardOutput = try FileHandle(forWritingTo: outURL)
  process.standardError = try FileHandle(forWritingTo: errURL)
  process.standardInput = FileHandle.nullDevice
  try process.run()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus,
    stdout: try String(contentsOf: outURL, encoding: .utf8),
    stderr: try String(contentsOf: errURL, encoding: .utf8))
}

extension Rule: CustomTestStringConvertible {
  public var testDescription: String { tag }
}
