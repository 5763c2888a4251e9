// bench/server-icinga2's driver: a program over the test kit (a private Icinga 2 on 127.0.0.1,
// the real receiver, `auto-monitor-server watch`). Two figures, each printed on a "BENCH" line:
//   1. HOSTS x 10 services registered (bench/server-feeder runs the receiver directly, 2 at a
//      time, as sshd would) until every service is known to Icinga's API; the anchor is one
//      `icinga2 daemon -C` of the final configuration.
//   2. register through a real sshd -> first check result in Icinga's API, median of ROUNDS.
// With MODE=satellite instead: register through a real sshd -> first result on the master of a
// master + satellite pair, for a host of the satellite zone (its check_source the satellite)
// and a host of the master zone, ROUNDS each (see satelliteFirstResult below).
import Foundation
import TestKit

let environment = ProcessInfo.processInfo.environment
let hostCount = Int(environment["HOSTS"] ?? "10000") ?? 10000
let rounds = Int(environment["ROUNDS"] ?? "5") ?? 5
let feeder = environment["FEEDER"] ?? ""
let servicesPerHost = 10

func bench(_ line: String) { print("BENCH " + line) }
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(1)
}

/// Icinga's own count of services by state (`/v1/status/CIB`): cheap at 100,000 objects. A
/// service not checked yet counts as pending and, with its state UNKNOWN, as unknown too: the
/// four states alone add up to every service.
func servicesKnown(_ icinga: PrivateIcinga2) -> Int {
  guard let (status, body) = try? icinga.get("/v1/status/CIB"), status == 200,
    let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
    let results = json["results"] as? [[String: Any]], let cib = results.first?["status"] as? [String: Any]
  else { return -1 }
  return ["num_services_ok", "num_services_warning", "num_services_critical", "num_services_unknown"]
    .reduce(0) { $0 + ((cib[$1] as? NSNumber)?.intValue ?? 0) }
}

/// Register through sshd -> first result visible on the master's API, for hosts that land in
/// the satellite zone (`*.sat.example.org`) and hosts of the master zone, alternating, ROUNDS
/// each. A satellite result counts only with check_source = the satellite's node name.
func satelliteFirstResult() {
  do {
    let rig = try SatelliteServerRig(satelliteHosts: "*.sat.example.org")
    defer { rig.cleanUp() }
    try rig.start()
    let pair = rig.pair
    var satellite: [Double] = [], master: [Double] = []
    for round in 0..<rounds {
      for inSatellite in [true, false] {
        let host = inSatellite ? "s\(round).sat.example.org" : "m\(round).example.org"
        let source = inSatellite ? pair.satellite.nodeName : pair.master.nodeName
        try rig.enroll(host)
        let started = Date()
        let stored = try rig.register(host, services: [("ssh", "ssh", ["port": String(rig.sshd.port)])])
        guard stored.succeeded else { fail("register \(host): \(stored.stdout)\(stored.stderr)") }
        let checked = waitUntil(seconds: 60) { rig.firstResult(host: host)?.allSatisfy { $0.checkSource == source } == true }
        guard checked else { fail("no first result from \(source) for \(host):\n\(rig.diagnostics())") }
        let elapsed = Date().timeIntervalSince(started)
        if inSatellite { satellite.append(elapsed) } else { master.append(elapsed) }
        bench(String(format: "  round %d %@: %.2f s", round, inSatellite ? "satellite" : "master", elapsed))
      }
    }
    let log = (try? String(contentsOfFile: rig.server.directory.path + "/watch.log", encoding: .utf8)) ?? ""
    for line in log.split(separator: "\n") where line.contains("apply: applied") || line.contains("apply: failed") {
      bench("  " + String(line.split(separator: ": ", maxSplits: 1).last ?? ""))
    }
    for (label, times) in [("satellite zone", satellite.sorted()), ("master zone", master.sorted())] {
      let median = times[times.count / 2]
      bench(String(format: "register through ssh -> first result on the master, %@: median %.2f s, max %.2f s over %d (target <= 5 s: %.2fx)",
        label, median, times.last ?? 0, times.count, median / 5))
    }
  } catch { fail("satellite: \(error)") }
}

if environment["MODE"] == "satellite" {
  satelliteFirstResult()
  exit(0)
}

// 1. Scale.
do {
  let server = try PrivateServer(backend: .icinga2)
  defer { server.cleanUp() }
  guard let icinga = server.icinga else { fail("no Icinga") }
  // Checks are not what is measured: the plugin answers OK at once.
  try "#!/bin/sh\necho OK\n".write(toFile: server.directory.path + "/bin/check_monitoring_info", atomically: true, encoding: .utf8)
  chmod(server.directory.path + "/bin/check_monitoring_info", 0o755)
  try server.startMonitor()
  let baseline = servicesKnown(icinga)
  try server.startWatcher()
  let started = Date()
  let feed = try runProgram(feeder, [String(hostCount), server.receiver, server.configPath])
  guard feed.succeeded else { fail("feeder: \(feed.stderr)") }
  let failures = hostCount - feed.stdout.split(separator: "\n").reduce(0) { $0 + (Int($1.split(separator: " ").last ?? "0") ?? 0) }
  let registered = Date().timeIntervalSince(started)
  let want = baseline + hostCount * servicesPerHost
  var known = 0
  while Date().timeIntervalSince(started) < 900 {
    known = servicesKnown(icinga)
    if known >= want { break }
    Thread.sleep(forTimeInterval: 0.5)
  }
  let total = Date().timeIntervalSince(started)
  server.stopWatcher()
  let anchorStart = Date()
  let verify = try icinga.validate()
  let anchor = Date().timeIntervalSince(anchorStart)
  let status = (try? server.runAdmin(["status"]).stdout) ?? ""
  bench("hosts \(hostCount) x \(servicesPerHost) services; receiver failures \(failures); final config validates: \(verify.status == 0)")
  bench("services known to the API: \(known - baseline)/\(hostCount * servicesPerHost)")
  bench(String(format: "all registrations done after %.1f s; all live after %.1f s (target <= 60 s)", registered, total))
  for line in status.split(separator: "\n") where line.contains("verifications") || line.contains("last apply") { bench("  " + line) }
  let log = (try? String(contentsOfFile: server.directory.path + "/watch.log", encoding: .utf8)) ?? ""
  for line in log.split(separator: "\n") where line.contains("apply: applied") || line.contains("apply: failed") {
    bench("  " + String(line.split(separator: ": ", maxSplits: 1).last ?? ""))
  }
  bench(String(format: "one icinga2 daemon -C of the final configuration: %.2f s", anchor))
  bench(String(format: "ratio all live / one icinga2 daemon -C: %.1fx", total / anchor))
} catch { fail("scale: \(error)") }

// 2. Register through ssh -> first check result.
do {
  let server = try PrivateServer(backend: .icinga2)
  defer { server.cleanUp() }
  guard let icinga = server.icinga else { fail("no Icinga") }
  let sshd = try PrivateSSHD(server: server)
  defer { sshd.stop() }
  try sshd.start()
  try server.startMonitor()
  try server.startWatcher()
  var times: [Double] = []
  for round in 0..<rounds {
    let host = "r\(round).example.org"
    let key = try sshd.makeClientKey("r\(round)")
    let ticket = try server.runAdmin(["ticket", host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try sshd.ssh(key: key.path, user: server.user, request: ["enroll"],
      stdin: "{\"version\":1,\"host\":\"\(host)\",\"ticket\":\"\(ticket)\"}")
    let payload = PrivateServer.payload(host: host, services: [("ssh", "ssh", ["port": String(sshd.port)])])
    let started = Date()
    let stored = try sshd.ssh(key: key.path, user: server.user, request: ["register"], stdin: payload)
    guard stored.succeeded else { fail("register: \(stored.stdout)\(stored.stderr)") }
    let checked = waitUntil(seconds: 30) { ((try? icinga.serviceStates(host: host)) ?? []).contains { $0.lastCheck != nil } }
    guard checked else { fail("no first result for \(host)") }
    times.append(Date().timeIntervalSince(started))
  }
  times.sort()
  bench(String(format: "register through ssh -> first check result in Icinga's API: median %.2f s, max %.2f s over %d (target <= 3 s; Nagios 2.6 s)",
    times[times.count / 2], times.last ?? 0, times.count))
} catch { fail("first result: \(error)") }
