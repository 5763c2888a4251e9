import Glibc

/// Reads a descriptor to its end, but never more than `limit` bytes plus one: a client that
/// sends 100 MB costs us 1 MiB of memory and is told it sent too much.
public enum BoundedInput {
  public static func read(_ fd: Int32, limit: Int) -> (bytes: [UInt8], tooLarge: Bool) {
    var bytes = [UInt8](repeating: 0, count: min(limit + 1, 65536))
    var filled = 0
    while filled <= limit {
      if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count))) }
      let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      filled += n
    }
    bytes.removeLast(bytes.count - filled)
    return (bytes, filled > limit)
  }
}
