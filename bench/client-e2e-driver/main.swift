// bench/client-e2e's driver: the time from `dpkg -i` of a service package (the producer built
// with dh_monitoringinfo) to its first check result in a private nagios4, through the consumer
// package's trigger, the client, the private sshd, the real receiver and
// `auto-monitor-server watch`. Prints "BENCH ..." lines; exits 1 when a round gets no result.
// Run by bench/client-e2e as root: MI_BENCH_ROUNDS installs (default 5).
import Foundation
import TestKit

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("client-e2e: \(message)\n".utf8))
  exit(1)
}

do {
  let rounds = Int(ProcessInfo.processInfo.environment["MI_BENCH_ROUNDS"] ?? "") ?? 5
  let debs = try ProducerPackages.producers.get()
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
    guard result.succeeded else { throw TestFailure("dpkg \(arguments): \(result.stdout)\(result.stderr)") }
  }
  try dpkg("-i", try ProducerPackages.consumer(in: root.path))
  try rig.enrollWithTicket()
  let service = rig.host + ";mi-producer-pop3"
  var times: [Double] = []
  for round in 1...rounds {
    // Start from nothing: the producer purged and its service gone from Nagios.
    try dpkg("-P", "mi-producer")
    guard waitUntil(seconds: 30, { !rig.server.nagios.loadedObjects().services.contains(service) }) else {
      throw TestFailure("round \(round): \(service) still loaded after the purge")
    }
    let started = Date()
    try dpkg("-i", debs["1.0"]!)
    // A result of this install: checked at or after it began (retention could bring back the
    // previous round's state for the same name).
    let checked = waitUntil(seconds: 60) {
      (rig.server.serviceStatus(host: rig.host, service: "mi-producer-pop3")?.lastCheck ?? 0) >= Int(started.timeIntervalSince1970)
    }
    let elapsed = Date().timeIntervalSince(started)
    guard checked else { throw TestFailure("round \(round): no check result for \(service) after \(elapsed) s") }
    times.append(elapsed)
  }
  let sorted = times.sorted()
  let median = sorted[sorted.count / 2]
  let anchor = 300.0  // Nagios' own first check of a new service: about 5 minutes
  print(String(format: "BENCH dpkg -i to first check result: median %.2f s, min %.2f s, max %.2f s over %d rounds", median, sorted.first!, sorted.last!, sorted.count))
  print(String(format: "BENCH ratio Nagios default first check (~300 s) / ours: %.0fx (target < 5 s)", anchor / median))
} catch {
  fail("\(error)")
}
