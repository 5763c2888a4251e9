import Foundation
import TestKit
import Testing

/// bench/client-e2e runs this with MI_BENCH_E2E=1: the time from `dpkg -i` of a service
/// package (the producer built with dh_monitoringinfo) to its first check result in a private
/// nagios4, through the consumer package's trigger, the client, the private sshd, the real
/// receiver and `auto-monitor-server watch`. Not part of the ordinary test run (a benchmark
/// prints a figure; it is not a timed test), but it asserts the result arrives.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["MI_BENCH_E2E"] == "1"))
struct InstallToFirstCheckBenchmark {
  @Test func dpkgInstallToFirstCheckResult() throws {
    let rounds = Int(ProcessInfo.processInfo.environment["MI_BENCH_ROUNDS"] ?? "") ?? 5
    let debs = try DpkgRootTests.producers.get()
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.server.nagios.start()
    try rig.server.startWatcher()
    let root = rig.root
    for directory in ["var/lib/dpkg/triggers", "var/log"] {
      try FileManager.default.createDirectory(atPath: root.path + "/" + directory, withIntermediateDirectories: true)
    }
    try root.write("var/lib/dpkg/available", "")
    func dpkg(_ arguments: String...) throws {
      let result = try runProgram("dpkg", ["--root=\(root.path)", "--force-script-chrootless", "--log=/dev/null", "--force-depends"] + arguments)
      #expect(result.succeeded, "dpkg \(arguments): \(result.stdout)\(result.stderr)")
    }
    try dpkg("-i", try DpkgRootTests.consumer(in: root.path))
    try rig.enrollWithTicket()
    let service = rig.host + ";mi-producer-pop3"
    var times: [Double] = []
    for round in 1...rounds {
      // Start from nothing: the producer purged and its service gone from Nagios.
      try dpkg("-P", "mi-producer")
      #expect(waitUntil(seconds: 30) { !rig.server.nagios.loadedObjects().services.contains(service) }, "round \(round): still loaded")
      let started = Date()
      try dpkg("-i", debs["1.0"]!)
      // A result of this install: checked at or after it began (retention could bring back
      // the previous round's state for the same name).
      let checked = waitUntil(seconds: 60) {
        (rig.server.serviceStatus(host: rig.host, service: "mi-producer-pop3")?.lastCheck ?? 0) >= Int(started.timeIntervalSince1970)
      }
      let elapsed = Date().timeIntervalSince(started)
      #expect(checked, "round \(round): no check result for \(service) after \(elapsed) s")
      if checked { times.append(elapsed) }
    }
    let sorted = times.sorted()
    guard !sorted.isEmpty else { return }
    let median = sorted[sorted.count / 2]
    let anchor = 300.0  // Nagios' own first check of a new service: about 5 minutes
    print(String(format: "BENCH dpkg -i to first check result: median %.2f s, min %.2f s, max %.2f s over %d rounds", median, sorted.first!, sorted.last!, sorted.count))
    print(String(format: "BENCH ratio Nagios default first check (~300 s) / ours: %.0fx (target < 5 s)", anchor / median))
  }
}
