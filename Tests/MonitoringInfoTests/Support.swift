import Foundation
import MonitoringInfo
import Testing
@_exported import TestKit

/// Paths and helpers shared by the tests of this target.
enum TestSupport {
  static let packageRoot = BuildPaths.packageRoot
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")


  static func lint(_ text: String, path: String = "test.conf", hostName: String? = nil) -> FragmentReport {
    FragmentValidator(hostName: hostName).validate(SourceFile(path: path, text: text))
  }

  /// Compares with a golden file; `RECORD_GOLDENS=1` rewrites it instead.
  static func assertGolden(_ actual: String, _ golden: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let difference = try Golden.difference(actual, golden)
    #expect(difference == nil, "\(difference ?? "")", sourceLocation: sourceLocation)
  }
}

extension Rule: CustomTestStringConvertible {
  public var testDescription: String { tag }
}
