// A monotonic deadline shared by every step of a check (connect, handshake, each read).
import Glibc

public struct Deadline: Sendable {
  let end: Double

  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  public init(seconds: Double) { end = Deadline.now() + seconds }

  public var remaining: Double { max(0, end - Deadline.now()) }

  /// Milliseconds for poll(2); throws the plugin's timeout verdict when nothing is left.
  func pollMilliseconds(_ what: String) throws(CheckFailure) -> Int32 {
    let left = remaining
    if left <= 0 { throw CheckFailure(.unknown, "timeout while \(what)") }
    return Int32(min(left * 1000 + 1, Double(Int32.max)))
  }
}
