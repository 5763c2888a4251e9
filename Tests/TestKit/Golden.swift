import Foundation

public enum Golden {
  /// Compares `actual` with the golden file, or rewrites the file when RECORD_GOLDENS=1.
  /// Returns nil when equal, else a readable difference for the test's failure message.
  public static func difference(_ actual: String, _ golden: URL) throws -> String? {
    if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
      try actual.write(to: golden, atomically: true, encoding: .utf8)
      return nil
    }
    guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
      return "missing golden \(golden.path) (RECORD_GOLDENS=1 writes it); actual:\n\(actual)"
    }
    if expected == actual { return nil }
    return "\(golden.lastPathComponent) differs (RECORD_GOLDENS=1 rewrites it)\n--- expected\n\(expected)--- actual\n\(actual)"
  }
}
