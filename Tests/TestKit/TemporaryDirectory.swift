import Foundation

/// A new directory `/tmp/LABEL-UUID` (mode 0755 by the usual umask, so the test accounts can
/// read what a test puts there); the caller removes it.
public func temporaryDirectory(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
