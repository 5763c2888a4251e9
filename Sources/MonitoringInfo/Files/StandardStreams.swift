#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writing to stdout and stderr without Foundation (whose start-up the short-lived tools avoid)
/// and without `print`'s buffering, which would reorder the two streams.
public enum StandardStream {
  public static func output(_ text: String) { write(text, to: 1) }
  public static func error(_ text: String) { write(text, to: 2) }

  static func write(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 && errno == EINTR { continue }
      if written <= 0 { return }
      offset += written
    }
  }
}
