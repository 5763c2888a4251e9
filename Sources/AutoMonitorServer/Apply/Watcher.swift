import Glibc
import SystemLayer

/// `auto-monitor-server watch`: waits on inotify for the apply mark and applies once a burst
/// of registrations has settled (no new mark for `quiet` ms, at most `longest` ms after the
/// first), so a burst costs one verification and one reload. In a long burst the wait grows
/// with the last apply's duration (three times it, at most `longestUnderLoad` ms): verifying
/// and reloading a large configuration costs the monitoring system seconds of CPU, and applying every
/// `longest` ms would starve the registrations themselves (bench/server). A failed apply is
/// tried again after `firstRetry` ms, doubling to `longestRetry`: the administrator who fixes
/// their own monitoring configuration need not know that an apply is owed. Runs in the foreground: under
/// systemd, from the init script, or started directly by a test.
public struct Watcher {
  public let settings: ServerSettings
  public var quiet: Int32 = 300
  public var longest: Int = 3000
  public var longestUnderLoad: Int = 30000
  public var firstRetry: Int = 10000
  public var longestRetry: Int = 300_000
  public var log: (String) -> Void

  public init(settings: ServerSettings, log: @escaping (String) -> Void) {
    self.settings = settings
    self.log = log
  }

  public func run() throws(ServerError) -> Never {
    let fd = inotify_init1(Int32(IN_CLOEXEC))
    guard fd >= 0 else { throw ServerError("inotify_init1: \(errnoText())") }
    guard inotify_add_watch(fd, settings.applyDirectory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)) >= 0 else {
      throw ServerError("cannot watch \(settings.applyDirectory): \(errnoText())")
    }
    log("watching \(settings.applyMark)")
    var buffer = [UInt8](repeating: 0, count: 65536)
    var wait = longest
    var retryDelay = 0
    var retryAt: Int?
    while true {
      if access(settings.applyMark, F_OK) != 0 {
        // Block until something happens in the apply directory, or a failed apply is due again.
        let timeout = retryAt.map { Int32(clamping: max(0, $0 - SystemClock.monotonicMilliseconds())) } ?? -1
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if Glibc.poll(&poll, 1, timeout) > 0 { _ = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
        let retryDue = retryAt.map { SystemClock.monotonicMilliseconds() >= $0 } ?? false
        if access(settings.applyMark, F_OK) != 0 && !retryDue { continue }
      }
      // While no backend package is installed (in the middle of a switch), the mark stays for
      // the backend that comes next (its package applies when it is configured).
      guard settings.hasBackend else {
        usleep(2_000_000)
        continue
      }
      // Coalesce: wait until the marks stop coming.
      let start = SystemClock.monotonicMilliseconds()
      var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      while SystemClock.monotonicMilliseconds() - start < wait, Glibc.poll(&poll, 1, quiet) > 0 {
        _ = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      }
      let began = SystemClock.monotonicMilliseconds()
      // The backend is looked up at each apply: installing the other backend's package switches.
      let outcome = settings.backend.make().apply(ApplyRequest(settings: settings))
      let took = SystemClock.monotonicMilliseconds() - began
      wait = Self.coalescingWait(afterApplyOf: took, longest: longest, limit: longestUnderLoad)
      log("apply: \(outcome.result.rawValue) in \(took) ms: \(outcome.message)\(outcome.error.map { "\n" + $0 } ?? "")")
      if outcome.result == .failed {
        retryDelay = min(longestRetry, max(firstRetry, 2 * retryDelay))
        retryAt = SystemClock.monotonicMilliseconds() + retryDelay
        ApplyStatus.noteRetry(settings, in: retryDelay / 1000)
        log("apply: trying again in \(retryDelay / 1000) s")
      } else {
        retryDelay = 0
        retryAt = nil
      }
    }
  }
}

extension Watcher {
  /// How long the next burst may be gathered: `longest`, or three times the last apply.
  public static func coalescingWait(afterApplyOf took: Int, longest: Int, limit: Int) -> Int {
    max(longest, min(limit, 3 * took))
  }
}
