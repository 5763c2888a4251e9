#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writing to stdout and stderr without Foundation (whose start-up the short-lived tools avoid)
/// and without `print`'s buffering, which would reorder the two streams.
public enum StandardStream {
  public static func output(_ text: String) { _ = FileWriter.writeAll(Array(text.utf8), to: 1) }
  public static func error(_ text: String) { _ = FileWriter.writeAll(Array(text.utf8), to: 2) }
}
