import Glibc
import MonitoringInfo

/// A file of a new generation: created once (never overwritten, so hard links to it stay
/// valid), 0640, the monitoring system's user's and group's alone.
enum GenerationFile {
  static func write(_ bytes: [UInt8], to path: String) throws(ServerError) {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o640)
    guard fd >= 0 else { throw ServerError("cannot create \(path): \(errnoText())") }
    defer { close(fd) }
    if let error = FileWriter.writeAll(bytes, to: fd) { throw ServerError("cannot write \(path): \(String(cString: strerror(error)))") }
  }
}
