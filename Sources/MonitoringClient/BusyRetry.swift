import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

extension Sync {
  /// `run(mode:)` for the background runs (the dpkg trigger's detached run, `--retry`): when
  /// the server is busy (ServerBusy), or the connection timed out (what a herd does to sshd's
  /// listen queue: its SYNs are dropped; it stays reported as unreachable), the run waits a
  /// short random delay (BusyRetryPlan) and tries again, until it lands or the plan's budget is spent; then the busy failure is
  /// thrown as recorded, and the timer's jittered backoff takes over. Between attempts the
  /// state says when the next one is due (`--status`), and the state lock is not held.
  public func runThroughBusy(mode: Mode, plan: BusyRetryPlan = BusyRetryPlan()) throws(ClientError) -> (FragmentCollection, Outcome) {
    let started = SystemClock.monotonic()
    var busyCount = 0
    var generator = SystemRandomNumberGenerator()
    while true {
      do { return try run(mode: mode) } catch {
        guard let retryAfter = Self.retriesWithinRun(error) else { throw error }
        busyCount += 1
        let elapsed = Int(SystemClock.monotonic() - started)
        guard let delay = plan.delay(busyCount: busyCount, retryAfter: retryAfter, elapsed: elapsed, using: &generator) else {
          throw error
        }
        retry(at: SystemClock.now() + delay)
        sleep(UInt32(delay))
        // Within the second as well: a thousand hosts must not wake on the same tick.
        usleep(UInt32.random(in: 0..<1_000_000, using: &generator))
      }
    }
  }

  /// Whether a background run tries again after `error` within the run: `.some(nil)` for a
  /// busy server without a `retry_after` and for a connection that timed out, `.some(N)` for
  /// a server's `retry_after` N, nil for every other failure (left to the timer's backoff).
  public static func retriesWithinRun(_ error: ClientError) -> Int?? {
    switch error {
    case let .busy(_, why): return .some(why.retryAfter)
    case let .unreachable(_, why) where why.cause == .timedOut: return .some(nil)
    default: return nil
    }
  }

  /// Moves the recorded next attempt to `time` (what `--status` shows).
  func retry(at time: Int) {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    guard state.isPending else { return }
    record(&state) { $0.nextRetry = time }
  }
}
