// bench/herd's driver: a fleet registering at once (issue 19), over the test kit. A private
// real sshd on 127.0.0.1 with the stock MaxStartups (10:30:100: not set), wired like the
// installed drop-in to the real receiver; CLIENTS (default 1,000) client trees, each with its
// own key bound on the server (as `accept` binds it) and one apache2 fragment. Every client's
// dpkg trigger (`monitoring-info-sync --trigger --root TREE`) runs while the driver holds that
// tree's dpkg lock, as dpkg does; the detached syncs wait for it (DpkgLock). Then all locks go
// at once (t = 0): one unattended-upgrades run ending on 1,000 hosts within the same second.
// Each tree's systemd timer is played too (`--retry` every 60 s plus up to 15 s,
// as monitoring-info-sync.timer: OnUnitActiveSec=1min, RandomizedDelaySec=15s, each host at
// its own phase). Measured, each on a "BENCH" line: registrations in the server's store, time
// until the last one landed, register attempts per client, how long `--trigger` held its
// caller, receivers running at once, sshd's MaxStartups drops. CLIENT= runs another build of
// the client (the "before" figure); DEADLINE= seconds (default 420) ends the wait.
import Foundation
import MonitoringInfo
import SSHKeys
import TestKit

#if canImport(Glibc)
import Glibc
#endif

let environment = ProcessInfo.processInfo.environment
let clientCount = Int(environment["CLIENTS"] ?? "1000") ?? 1000
let deadline = Double(environment["DEADLINE"] ?? "420") ?? 420
let clientBinary = environment["CLIENT"].flatMap { $0.isEmpty ? nil : $0 } ?? BuildPaths.executable("monitoring-info-sync").path

func bench(_ line: String) {
  FileHandle.standardOutput.write(Data(("BENCH " + line + "\n").utf8))
}
func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
/// What `finish` undoes (exit skips defer): the private sshd, the server, the trees.
nonisolated(unsafe) var cleanups: [() -> Void] = []
func finish(_ status: Int32) -> Never {
  for cleanup in cleanups.reversed() { cleanup() }
  exit(status)
}
func fail(_ message: String) -> Never {
  note(message)
  finish(1)
}
func host(_ index: Int) -> String { String(format: "h%05d.example.org", index) }

let server = try PrivateServer()
cleanups.append { server.cleanUp() }
let sshd = try PrivateSSHD(server: server)
cleanups.append { sshd.stop() }
let config = try String(contentsOfFile: sshd.directory.path + "/sshd_config", encoding: .utf8)
guard !config.contains("MaxStartups") else { fail("the bench wants sshd's stock MaxStartups") }
// Daemonized and stopped by its PID file, as ClientServerRig does; -E keeps its log.
let started = try runProgram("/usr/sbin/sshd", ["-f", sshd.directory.path + "/sshd_config", "-E", sshd.log])
guard started.succeeded, waitUntil(seconds: 10, { isListening(sshd.port) }) else { fail("sshd: \(started.stderr)") }
func sshdPID() -> pid_t? {
  (try? String(contentsOfFile: sshd.directory.path + "/sshd.pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}
cleanups.append { if let pid = sshdPID() { kill(pid, SIGTERM) } }
let hostKey = try String(contentsOfFile: sshd.hostKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")

// Every ssh a client starts is logged (one line, its arguments: the key names the tree).
let work = try temporaryDirectory("mi-herd")
cleanups.append { try? FileManager.default.removeItem(at: work) }
let wrappers = work.path + "/wrappers"
let sshLog = work.path + "/ssh.log"
try FileManager.default.createDirectory(atPath: wrappers, withIntermediateDirectories: true)
try "#!/bin/sh\necho \"$*\" >> \(sshLog)\nexec /usr/bin/ssh \"$@\"\n".write(toFile: wrappers + "/ssh", atomically: true, encoding: .utf8)
chmod(wrappers + "/ssh", 0o755)
setenv("PATH", wrappers + ":/usr/sbin:/usr/bin:/sbin:/bin", 1)

// The trees and their keys, bound on the server as `auto-monitor-server accept` binds them.
guard let account = getpwnam(server.user) else { fail("no account \(server.user)") }
let keys = server.stateDirectory + "/keys"
let roots = (0..<clientCount).map { work.path + "/c\($0)" }
let prepared = Date()
for root in roots {
  try FileManager.default.createDirectory(atPath: root + "/var/lib/auto-monitor-client", withIntermediateDirectories: true)
}
// The keys first, four ssh-keygen at a time: they are most of the preparation.
let keygen = try runProgram("/bin/sh", ["-c", "xargs -P 4 -I{} ssh-keygen -q -t ed25519 -N '' -C herd -f {}/var/lib/auto-monitor-client/id_ed25519"],
  stdin: Data(roots.map { $0 + "\n" }.joined().utf8))
guard keygen.succeeded else { fail("ssh-keygen: \(keygen.stderr)") }
for index in 0..<clientCount {
  let root = roots[index]
  for directory in ["etc/monitoring-info", "etc/auto-monitor", "var/lib/dpkg/info", "var/lib/dpkg/updates",
    "usr/share/monitoring-info/defaults", "var/lib/auto-monitor-client"] {
    try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
  }
  chmod(root + "/var/lib/auto-monitor-client", 0o700)
  try PackageRecord(name: "apache2", conffiles: [conffile("apache2")]).stanza.write(toFile: root + "/var/lib/dpkg/status", atomically: true, encoding: .utf8)
  try "[apache2]\ntype = http\n".write(toFile: root + "/etc/monitoring-info/apache2.conf", atomically: true, encoding: .utf8)
  try """
    server = 127.0.0.1
    port = \(sshd.port)
    user = \(server.user)
    server_key = \(hostKey)
    host = \(host(index))

    """.write(toFile: root + "/etc/auto-monitor/client.conf", atomically: true, encoding: .utf8)
  let key = root + "/var/lib/auto-monitor-client/id_ed25519"
  let line = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
  for (path, text) in [(keys + "/" + SHA256.hex(Array(line.utf8)) + ".host", host(index)), (keys + "/" + host(index) + ".key", line)] {
    try (text + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    chown(path, account.pointee.pw_uid, account.pointee.pw_gid)
    chmod(path, 0o600)
  }
}
note(String(format: "prepared %d client trees and keys in %.1f s", clientCount, Date().timeIntervalSince(prepared)))

// Process bookkeeping: start times of the triggers, reaping of the triggers and the timer's
// runs (the detached runs the triggers start are not ours: they left the session).
final class Ledger: @unchecked Sendable {
  let lock = NSLock()
  var triggerStart: [pid_t: Double] = [:]
  /// When each child ended (a trigger may end before its start is noted).
  var exited: [pid_t: Double] = [:]
  var running = 0
}
let ledger = Ledger()
@Sendable func monotonic() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
func spawn(_ arguments: [String]) -> pid_t {
  var pid: pid_t = 0
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  for descriptor: Int32 in 0...2 {
    posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
  }
  let argv = ([clientBinary] + arguments).map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  guard posix_spawn(&pid, clientBinary, &actions, nil, argv, environ) == 0 else { fail("cannot start \(clientBinary)") }
  return pid
}
let reaper = Thread {
  while true {
    var status: Int32 = 0
    let pid = waitpid(-1, &status, 0)
    let now = monotonic()
    if pid < 0 {
      if errno == ECHILD { usleep(20_000); continue }
      continue
    }
    ledger.lock.lock()
    ledger.exited[pid] = now
    ledger.lock.unlock()
  }
}
reaper.start()

// The landed registrations: the server's store, watched.
let registrations = server.stateDirectory + "/registrations"
func landed() -> Set<String> {
  Set(((try? FileManager.default.contentsOfDirectory(atPath: registrations)) ?? []).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
}

// dpkg's lock in every tree, held as dpkg holds it while it runs the triggers.
let dpkgLocks: [Int32] = roots.map { root in
  let descriptor = open(root + "/var/lib/dpkg/lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o640)
  guard descriptor >= 0 else { fail("cannot open \(root)/var/lib/dpkg/lock") }
  var lock = flock()
  lock.l_type = Int16(F_WRLCK)
  lock.l_whence = Int16(SEEK_SET)
  guard fcntl(descriptor, F_SETLK, &lock) == 0 else { fail("cannot lock \(root)/var/lib/dpkg/lock") }
  return descriptor
}
// The triggers, each timed from its start to its exit (what dpkg waits for).
let spawnStart = monotonic()
for index in 0..<clientCount {
  let start = monotonic()
  let pid = spawn(["--trigger", "--root", roots[index]])
  ledger.lock.lock()
  ledger.triggerStart[pid] = start
  ledger.lock.unlock()
}
let spawnTime = monotonic() - spawnStart
func triggerTimes() -> [Double] {
  ledger.lock.lock()
  defer { ledger.lock.unlock() }
  return ledger.triggerStart.compactMap { pid, start in ledger.exited[pid].map { $0 - start } }
}
guard waitUntil(seconds: 120, { triggerTimes().count >= clientCount }) else {
  fail("not every trigger returned")
}
/// Processes whose program ends in `program` and whose arguments hold `argument`.
func processes(_ program: String, argument: String = "") -> Int {
  var count = 0
  for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.first?.isNumber == true {
    guard let bytes = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
    let words = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    if words.first?.hasSuffix(program) == true, argument.isEmpty || words.contains(argument) { count += 1 }
  }
  return count
}
// The detached syncs, waiting for dpkg's lock.
let waiting = processes("monitoring-info-sync", argument: "--detached") + processes("herd-before-client", argument: "--detached")
// dpkg ends on every host at once: t = 0.
let t0 = monotonic()
for descriptor in dpkgLocks { close(descriptor) }
let spread = monotonic() - t0
// Each tree's timer: its own phase, then every 60 s plus up to 15 s.
var nextTimer = (0..<clientCount).map { _ in t0 + Double.random(in: 0..<60) + Double.random(in: 0...15) }
var arrival: [String: Double] = [:]
var peakReceivers = 0
var timerRuns = 0
// Why the clients still waiting failed, as their state says (sampled every 5 s; per kind the
// most seen at once).
var errorKinds: [String: Int] = [:]
var lastSample = 0.0
@MainActor func sampleErrors() {
  var now: [String: Int] = [:]
  for index in 0..<clientCount where arrival[host(index)] == nil {
    guard let bytes = FileManager.default.contents(atPath: roots[index] + "/var/lib/auto-monitor-client/state.json"),
      let json = try? JSONValue.parse(Array(bytes)), let error = json["last_error"]?.stringValue
    else { continue }
    let kind = String(String(error.map { $0.isNumber ? "N" : $0 }).replacingOccurrences(of: "N", with: "").prefix(110))
    now[kind, default: 0] += 1
  }
  for (kind, count) in now { errorKinds[kind] = max(errorKinds[kind] ?? 0, count) }
}
while monotonic() - t0 < deadline {
  let now = monotonic()
  for name in landed() where arrival[name] == nil { arrival[name] = now - t0 }
  if arrival.count >= clientCount { break }
  if now - lastSample >= 5 {
    sampleErrors()
    lastSample = now
  }
  peakReceivers = max(peakReceivers, processes("/monitoring-info-receive"))
  for index in 0..<clientCount where nextTimer[index] <= now {
    nextTimer[index] = now + 60 + Double.random(in: 0...15)
    guard arrival[host(index)] == nil else { continue }
    _ = spawn(["--retry", "--root", roots[index]])
    timerRuns += 1
  }
  usleep(100_000)
}
let elapsed = monotonic() - t0
// The figures.
let stored = landed()
let valid = stored.filter { name in
  guard let bytes = FileManager.default.contents(atPath: registrations + "/" + name + ".json"),
    let payload = try? RegistrationPayload.parse(Array(bytes))
  else { return false }
  return payload.host == name && payload.services.map(\.name) == ["apache2"]
}
var attempts: [String: Int] = [:]
for line in ((try? String(contentsOfFile: sshLog, encoding: .utf8)) ?? "").split(separator: "\n") where line.hasSuffix(" register") {
  guard let range = line.range(of: "-i ") else { continue }
  let key = line[range.upperBound...].prefix { $0 != " " }
  attempts[String(key), default: 0] += 1
}
let perClient = roots.map { attempts[$0 + "/var/lib/auto-monitor-client/id_ed25519", default: 0] }.sorted()
let drops = ((try? String(contentsOfFile: sshd.log, encoding: .utf8)) ?? "").components(separatedBy: "past MaxStartups").count - 1
let held = triggerTimes().sorted()
let times = arrival.values.sorted()
func percentile(_ values: [Double], _ p: Double) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))] }

bench("client \(clientBinary == BuildPaths.executable("monitoring-info-sync").path ? "this build" : clientBinary); \(clientCount) clients; sshd MaxStartups stock (10:30:100)")
bench(String(format: "%d triggers run in %.1f s while dpkg's lock was held (%d detached syncs waiting); --trigger held its caller: median %.0f ms, max %.0f ms (target < 1 s)",
  clientCount, spawnTime, waiting, percentile(held, 0.5) * 1000, (held.last ?? 0) * 1000))
bench(String(format: "every dpkg lock released within %.3f s (t = 0)", spread))
bench("stored in the server's registration store: \(valid.count)/\(clientCount) (lost: \(clientCount - valid.count))")
bench(String(format: "landed: 50%% after %.1f s, 90%% after %.1f s, last after %.1f s (target: all within 300 s)%@",
  percentile(times, 0.5), percentile(times, 0.9), times.last ?? 0, arrival.count < clientCount ? String(format: "; waited %.0f s", elapsed) : ""))
bench("register attempts per client: median \(perClient.isEmpty ? 0 : perClient[perClient.count / 2]), max \(perClient.last ?? 0), total \(perClient.reduce(0, +)); timer runs started \(timerRuns)")
bench("sshd dropped \(drops) connection(s) past MaxStartups; at most \(peakReceivers) receiver(s) running at once")
for (kind, count) in errorKinds.sorted(by: { $0.value > $1.value }).prefix(6) {
  bench("  failed, waiting (at most \(count) at once): \(kind)")
}
let ratio = (times.last ?? elapsed) / 300
bench(String(format: "ratio last landed / 300 s target: %.2f", ratio))
// The clients' own processes end by themselves (a busy retry sleeps at most 80 s); the
// server goes now, and with it their trees.
finish(valid.count == clientCount ? 0 : 2)
