import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

extension Sync {
  /// `run(mode:)` for the background runs (the dpkg trigger's detached run, `--retry`): when
  /// the server is busy (ServerBusy) the run waits a short random delay (BusyRetryPlan) and
  /// tries again, until it lands or the plan's budget is spent; then the busy failure is
  /// thrown as recorded, and the timer's jittered backoff takes over. Between attempts the
  /// state says when the next one is due (`--status`), and the state lock is not held.
  public func runThroughBusy(mode: Mode, plan: BusyRetryPlan = BusyRetryPlan()) throws(ClientError) -> (FragmentCollection, Outcome) {
    let started = SystemClock.monotonic()
    var busyCount = 0
    var generator = SystemRandomNumberGenerator()
    while true {
      do { return try run(mode: mode) } catch {
        guard case let .busy(_, why) = error else { throw error }
        busyCount += 1
        let elapsed = Int(SystemClock.monotonic() - started)
        guard let delay = plan.delay(busyCount: busyCount, retryAfter: why.retryAfter, elapsed: elapsed, using: &generator) else {
          throw error
        }
        retry(at: SystemClock.now() + delay)
        sleep(UInt32(delay))
        // Within the second as well: a thousand hosts must not wake on the same tick.
        usleep(UInt32.random(in: 0..<1_000_000, using: &generator))
      }
    }
  }

  /// Moves the recorded next attempt of a busy server to `time` (what `--status` shows).
  func retry(at time: Int) {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    guard state.serverBusy != nil, state.isPending else { return }
    record(&state) { $0.nextRetry = time }
  }
}
