import MonitoringInfo

/// The server could not take the request now, but will soon: sshd dropped the connection before
/// authentication (too many clients connecting at once: its `MaxStartups`, 10:30:100 on
/// Debian), or the receiver answered `busy` with the seconds after which to come back
/// (docs/protocol.md, "Busy"). Unlike any other failure it is retried within the same run
/// after a short random delay (BusyRetryPlan), not at the timer's next backoff.
public struct ServerBusy: Sendable, Equatable, CustomStringConvertible {
  public enum Cause: Sendable, Equatable {
    /// sshd closed or reset the connection before authentication; ssh's own words.
    case dropped(String)
    /// The receiver said `busy`: retry after this many seconds.
    case said(retryAfter: Int, message: String)
  }

  public var cause: Cause

  public init(_ cause: Cause) { self.cause = cause }

  /// The seconds the server asked for, if it asked.
  public var retryAfter: Int? {
    if case let .said(seconds, _) = cause { return seconds }
    return nil
  }

  public var description: String {
    switch cause {
    case let .dropped(words):
      "the server's sshd dropped the connection before authentication (\(words)): too many clients connecting at once (sshd's MaxStartups)"
    case let .said(seconds, message):
      "the server is busy and asked to retry after \(seconds) s" + (message.isEmpty ? "" : " (\(message))")
    }
  }

  /// ssh's complaint (exit status 255) when sshd let the connection go before authentication:
  /// `kex_exchange_identification: Connection closed by remote host`,
  /// `kex_exchange_identification: read: Connection reset by peer`, `Connection reset by ADDR
  /// port P`, `Connection closed by ADDR port P`. nil when ssh says something else (refused
  /// key, host key, no route, ...): those are not a busy server. Call it after
  /// Unreachable.fromSSH, which claims the failures to connect at all.
  public static func fromSSH(_ stderr: String) -> ServerBusy? {
    let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }
    // Authentication or the host key was reached: whatever came later is not a drop at the door.
    let reachedAuthentication = lines.contains {
      $0.contains("Permission denied") || $0.contains("Host key verification failed")
        || $0.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || $0.contains("Authenticated to")
    }
    guard !reachedAuthentication else { return nil }
    for text in lines.reversed() {
      if text.contains("kex_exchange_identification") || text.contains("ssh_exchange_identification")
        || text.contains("banner exchange")
      {
        return ServerBusy(.dropped(text))
      }
      if text.hasPrefix("Connection closed by") || text.hasPrefix("Connection reset by") || text.contains("Connection reset by peer") {
        return ServerBusy(.dropped(text))
      }
    }
    return nil
  }
}

/// How a run that found the server busy tries again: after a random delay in a window that
/// grows with each busy answer (1 to 5 s, then 10, 20, 40, at most 80 s; a server's
/// `retry_after` N gives N to 2N s), within `budget` seconds of the run's start. Beyond that
/// the run stops and the timer's backoff (jittered as well) takes over.
public struct BusyRetryPlan: Sendable, Equatable {
  /// The first window, in seconds; it doubles with every busy answer in the run.
  public var firstWindow = 5
  public var largestWindow = 80
  /// The run gives up on busy retries once its next one would start after this many seconds
  /// (the systemd unit allows the run 10 minutes; dpkg never waits for it).
  public var budget = 240

  public init() {}

  /// The window of the `busyCount`th busy answer of a run (1-based): 5, 10, 20, 40, 80, 80, ...
  public func window(busyCount: Int) -> Int {
    min(firstWindow << min(max(busyCount - 1, 0), 16), largestWindow)
  }

  /// How long to wait before the next attempt, or nil when the run should stop trying:
  /// `elapsed` seconds since the run started, plus the delay, would pass the budget.
  public func delay<G: RandomNumberGenerator>(busyCount: Int, retryAfter: Int?, elapsed: Int, using generator: inout G) -> Int? {
    let seconds: Int
    if let retryAfter {
      let asked = min(max(retryAfter, 1), budget)
      seconds = Int.random(in: asked...(2 * asked), using: &generator)
    } else {
      seconds = Int.random(in: 1...window(busyCount: busyCount), using: &generator)
    }
    return elapsed + seconds <= budget ? seconds : nil
  }
}
