import Foundation
import Testing
import TestKit

/// `make demo` end to end (tools/demo) on the packages of this test run, so a broken demo fails
/// `make check`: every step of the story asserts its outcome and the script exits non-zero on
/// the first one that fails. It is the story's test on throw-away hosts (Allan, Brian across an
/// upgrade, removal, Joe, discovery that trusts no key by itself, the switch to Icinga 2);
/// debian/tests/scenario tells it
/// on one system for autopkgtest. Host names of its own, so it runs beside the other host tests.
@Suite struct DemoTests {
  @Test func theStoryRunsAndCleansUp() throws {
    let built = try PackageBuild.shared()
    let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let names = ["DEMO_SERVER_HOST": "a", "DEMO_CLIENT_HOST": "b", "DEMO_LAPTOP_HOST": "c"]
      .mapValues { $0 + String(token.prefix(9)) }
    var environment = ProcessInfo.processInfo.environment
    environment.merge(names) { $1 }
    let script = BuildPaths.packageRoot.appendingPathComponent("tools/demo").path
    let result = try runProgram(
      script, ["--debs", built.deb("auto-monitor-client").deletingLastPathComponent().path], environment: environment)
    #expect(result.succeeded, "tools/demo exited \(result.status):\n\(result.stdout.suffix(6000))\(result.stderr)")

    for outcome in [
      "hello-web and hello-admin OK in Nagios",
      "hello-admin gone from Nagios and still out after the upgrade to 1.1",
      "hello-web left Nagios",
      "no question, no network socket, no error, no key, no state on Joe's laptop",
      "did nothing (same registration), Nagios verifies without it",
      "== Summary ==",
    ] {
      #expect(result.stdout.contains(outcome), "missing: \(outcome)")
    }
    // The one-screen summary, timings included, into the test log.
    if let summary = result.stdout.range(of: "== Summary ==") { print(result.stdout[summary.lowerBound...]) }
    // Nothing of the three hosts is left: namespaces, mounts, the demo's temporary directory.
    for name in names.values {
      #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(name)"), "namespace \(name) left")
    }
    let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
    #expect(!mounts.contains("monitoring-info-demo."), "a mount of the demo is left")
  }
}
