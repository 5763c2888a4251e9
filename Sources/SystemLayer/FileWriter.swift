#if canImport(Glibc)
import Glibc
#endif

public enum FileWriter {
  /// Writes every byte, retrying short writes and EINTR. Returns nil on success, else the errno
  /// of the failing write (EIO when the descriptor accepted nothing).
  public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 && errno == EINTR { continue }
      if written < 0 { return errno }
      if written == 0 { return EIO }
      offset += written
    }
    return nil
  }
}
