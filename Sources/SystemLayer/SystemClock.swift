#if canImport(Glibc)
import Glibc
#endif

/// Time without Foundation: a monotonic clock for deadlines and waits, the wall clock in
/// seconds, and the UTC forms the programs print.
public enum SystemClock {
  /// Seconds since an arbitrary start, never going back (CLOCK_MONOTONIC).
  public static func monotonic() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  public static func monotonicMilliseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
  }

  /// Seconds since the epoch.
  public static func now() -> Int { Int(time(nil)) }

  /// `2026-11-29T03:04:05Z`.
  public static func iso8601(_ seconds: Int) -> String { format(seconds, "%Y-%m-%dT%H:%M:%SZ") }

  /// `2026-11-29 03:04:05 UTC`, for people reading a list.
  public static func readable(_ seconds: Int) -> String { format(seconds, "%Y-%m-%d %H:%M:%S UTC") }

  /// `Sun, 29 Nov 2026 03:04:05 +0000` (RFC 5322, a mail's Date header).
  public static func rfc5322(_ seconds: Int) -> String { format(seconds, "%a, %d %b %Y %H:%M:%S +0000") }

  /// strftime(3) in UTC, in the C locale's names (no setlocale is ever called).
  static func format(_ seconds: Int, _ pattern: String) -> String {
    var value = time_t(seconds)
    var parts = tm()
    gmtime_r(&value, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let n = strftime(&buffer, buffer.count, pattern, &parts)
    return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
