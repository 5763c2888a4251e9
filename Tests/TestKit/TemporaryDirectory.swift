import Foundation

/// A new directory `/tmp/LABEL-UUID` (mode 0755 by the usual umask, so the test accounts can
/// read what a test puts there); the caller removes it.
public func temporaryDirectory(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Directories removed when the test process exits (for helpers whose callers do not clean up).
public final class TempDirectories: @unchecked Sendable {
  public static let shared = TempDirectories()
  private var paths: [String] = []
  private let lock = NSLock()
  private init() { atexit { TempDirectories.shared.removeAll() } }
  public func add(_ path: String) { lock.lock(); paths.append(path); lock.unlock() }
  func removeAll() {
    lock.lock(); defer { lock.unlock() }
    for path in paths { try? FileManager.default.removeItem(atPath: path) }
  }
}
