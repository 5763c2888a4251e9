import Foundation
@_exported import TestKit

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

  /// SwiftPM's bin directory, next to the `monitoring-info-lint` it built.
  static let binDir = BuildPaths.binDirectory

  static let linter = binDir.appendingPathComponent("monitoring-info-lint")
}

enum TestFailure: Error, CustomStringConvertible {
  case message(String)
  var description: String {
    switch self { case let .message(text): text }
  }
}
