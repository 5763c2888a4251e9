import AutoMonitorServer
import Testing

/// A quick apply keeps the short coalescing wait (a lone registration is live in seconds); a
/// slow one, as for a large configuration, stretches the next wait so Nagios' verification and
/// reload cannot take most of the CPU during a long burst; the stretch has a ceiling.
@Suite struct CoalescingTests {
  @Test(arguments: [(200, 3000), (1000, 3000), (1500, 4500), (5000, 15000), (9000, 27000), (60000, 30000)])
  func waitFollowsTheLastApply(took: Int, wait: Int) {
    #expect(Watcher.coalescingWait(afterApplyOf: took, longest: 3000, limit: 30000) == wait)
  }
}
