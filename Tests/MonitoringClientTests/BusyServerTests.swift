import Foundation
import MonitoringClient
import MonitoringInfo
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A generator with a seed: the jitter tests see the same draws on every run.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476C_E484_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct JitterTests {
  @Test(arguments: 1...9) func theBackoffStaysWithinAQuarterOfItsStep(failures: Int) {
    var generator = SeededGenerator(state: UInt64(failures))
    let base = ClientState.backoff(afterFailures: failures)
    let draws = (0..<500).map { _ in ClientState.jitteredBackoff(afterFailures: failures, using: &generator) }
    #expect(draws.allSatisfy { $0 >= base - base / 4 && $0 <= base + base / 4 }, "\(draws.min()!)...\(draws.max()!) for \(base)")
    // Spread, not one value: hosts that failed together come back apart.
    #expect(Set(draws).count > 20)
    #expect(draws.min()! < base && draws.max()! > base)
  }

  @Test func aRecordedFailureIsRetriedWithinTheJitteredBackoff() {
    var generator = SeededGenerator(state: 7)
    var retries = Set<Int>()
    for _ in 0..<200 {
      var state = ClientState()
      state.recordFailure("x", digest: nil, now: 1000, using: &generator)
      let due = state.nextRetry ?? 0
      #expect(due >= 1045 && due <= 1075)
      retries.insert(due)
    }
    #expect(retries.count > 10)
  }

  @Test func aPendingEnrollmentKeepsItsFixedInterval() {
    var state = ClientState()
    state.recordPending("pending", digest: nil, now: 1000)
    #expect(state.nextRetry == 1000 + ClientState.pendingEnrollmentInterval)
  }

  @Test func theBusyWindowGrowsAndIsBounded() {
    let plan = BusyRetryPlan()
    #expect((1...7).map { plan.window(busyCount: $0) } == [5, 10, 20, 40, 80, 80, 80])
    var generator = SeededGenerator(state: 3)
    for count in 1...7 {
      let draws = (0..<300).compactMap { _ in plan.delay(busyCount: count, retryAfter: nil, elapsed: 0, using: &generator) }
      #expect(draws.count == 300)
      #expect(draws.allSatisfy { $0 >= 1 && $0 <= plan.window(busyCount: count) })
      #expect(Set(draws).count > 1)
    }
  }

  @Test func theServersRetryAfterIsHonouredWithJitter() {
    var generator = SeededGenerator(state: 11)
    let draws = (0..<300).compactMap { _ in BusyRetryPlan().delay(busyCount: 1, retryAfter: 10, elapsed: 0, using: &generator) }
    #expect(draws.count == 300)
    #expect(draws.allSatisfy { $0 >= 10 && $0 <= 20 })
    #expect(Set(draws).count > 5)
  }

  @Test func theRunStopsRetryingAtItsBudget() {
    let plan = BusyRetryPlan()
    var generator = SeededGenerator(state: 5)
    #expect(plan.delay(busyCount: 1, retryAfter: nil, elapsed: plan.budget, using: &generator) == nil)
    #expect(plan.delay(busyCount: 1, retryAfter: 30, elapsed: plan.budget - 29, using: &generator) == nil)
    #expect(plan.delay(busyCount: 5, retryAfter: nil, elapsed: plan.budget - 80, using: &generator) != nil)
    // The longest run of sleeps the plan allows stays within the budget.
    var elapsed = 0
    var count = 0
    while let delay = plan.delay(busyCount: count + 1, retryAfter: nil, elapsed: elapsed, using: &generator) {
      elapsed += delay
      count += 1
    }
    #expect(elapsed <= plan.budget && count >= 5)
  }
}

@Suite struct BusyClassificationTests {
  static let dropped = [
    "kex_exchange_identification: Connection closed by remote host\r\nConnection closed by 127.0.0.1 port 2222\r\n",
    "kex_exchange_identification: read: Connection reset by peer\r\nConnection reset by 127.0.0.1 port 2222\r\n",
    "Connection timed out during banner exchange\r\nConnection to 127.0.0.1 port 2222 timed out\r\n",
    "Connection reset by 192.0.2.1 port 22\r\n",
    "ssh_exchange_identification: Connection closed by remote host\n",
  ]
  static let notBusy = [
    "automon@127.0.0.1: Permission denied (publickey).\r\n",
    "Host key verification failed.\r\n",
    "ssh: connect to host 127.0.0.1 port 2222: Connection refused\r\n",
    "ssh: Could not resolve hostname nowhere.invalid: Name or service not known\r\n",
    "",
  ]

  @Test(arguments: dropped) func aPreAuthenticationDropIsABusyServer(stderr: String) throws {
    let busy = try #require(ServerBusy.fromSSH(stderr))
    #expect(busy.retryAfter == nil)
    #expect(busy.description.contains("before authentication"))
  }

  @Test(arguments: notBusy) func otherSSHFailuresAreNot(stderr: String) {
    #expect(ServerBusy.fromSSH(stderr) == nil)
  }

  @Test func aBusyReplyCarriesItsRetryAfter() throws {
    let reply = RegistrationReply(host: "b.example.org", result: .busy, message: "server busy", retryAfter: 12)
    #expect(reply.serialized.contains("\"retry_after\":12"))
    #expect(reply.serialized.contains("\"result\":\"busy\""))
    #expect(try RegistrationReply.parse(Array(reply.serialized.utf8)) == reply)
    #expect(RegistrationReply.Result.busy.exitStatus == 75)
    let stored = RegistrationReply(host: "b.example.org", result: .stored)
    #expect(!stored.serialized.contains("retry_after"))
  }

  @Test func whatABackgroundRunRetriesWithinTheRun() {
    let timedOut = MonitoringClient.Unreachable.fromSSH("ssh: connect to host s port 22: Connection timed out\r\n", host: "s", port: 22, connectTimeout: 5)!
    let refused = MonitoringClient.Unreachable.fromSSH("ssh: connect to host s port 22: Connection refused\r\n", host: "s", port: 22, connectTimeout: 5)!
    #expect(Sync.retriesWithinRun(.busy("d", ServerBusy(.dropped("x")))) == .some(nil))
    #expect(Sync.retriesWithinRun(.busy("d", ServerBusy(.said(retryAfter: 9, message: "")))) == .some(9))
    #expect(Sync.retriesWithinRun(.unreachable("d", timedOut)) == .some(nil))
    #expect(Sync.retriesWithinRun(.unreachable("d", refused)) == nil)
    #expect(Sync.retriesWithinRun(.transport("d: Permission denied")) == nil)
    #expect(Sync.retriesWithinRun(.server("refused: x")) == nil)
  }

  @Test func theStateRemembersABusyServer() {
    var state = ClientState()
    state.recordBusy("server busy", digest: "d", now: 500)
    #expect(state.serverBusy == 500 && state.failures == 1 && state.isPending)
    #expect(ClientState(json: state.json) == state)
    state.recordFailure("other", digest: "d", now: 600)
    #expect(state.serverBusy == nil)
  }
}

/// Through a real private sshd: a client that finds the server busy (the receiver's busy reply)
/// lands within the same background run. (sshd's own drops are classified by
/// BusyClassificationTests and measured by bench/herd.)
@Suite(.serialized) struct BusyServerTests {
  /// `--retry` started in the background, as the timer starts it.
  func startRetry(_ rig: ClientServerRig) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Client.binary)
    process.arguments = ["--retry", "--root", rig.root.path]
    process.environment = rig.environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  func state(_ rig: ClientServerRig) -> [String: Any] { parseJSON(rig.root.state ?? "") ?? [:] }

  @Test func aBusyReplyIsRetriedWithinTheRunUntilItLands() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try "max_receivers = 1\nbusy_retry_after = 1\n".appendLine(to: rig.server.configPath)
    try rig.installApache2()
    // Another receiver holds the only slot.
    let slot = rig.server.stateDirectory + "/slots/0"
    let holder = open(slot, O_CREAT | O_RDWR, 0o600)
    #expect(holder >= 0)
    if let account = getpwnam(rig.server.user) { fchown(holder, account.pointee.pw_uid, account.pointee.pw_gid) }
    #expect(flock(holder, LOCK_EX) == 0)
    let ticket = try rig.server.runAdmin(["ticket", rig.host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let enroll = try rig.client(["enroll", "--ticket", ticket])
    #expect(enroll.status == 1, "\(enroll.stdout)\(enroll.stderr)")
    #expect(enroll.stderr.contains("busy") && enroll.stderr.contains("retry after 1 s"), "\(enroll.stderr)")
    #expect(rig.registered == nil)
    let status = try rig.client(["--status"])
    #expect(status.stdout.contains("busy:") && status.stdout.contains("next attempt after"), "\(status.stdout)")
    #expect(try rig.client(["--status", "--json"]).stdout.contains("\"server_busy\":\""))

    try rig.makeRetryDue()
    let before = rig.sshCount
    let retry = try startRetry(rig)
    // Busy once more in this run (the state records it), then the slot is free.
    let failures = state(rig)["failures"] as? Int ?? 0
    #expect(waitUntil(seconds: 30) { (state(rig)["failures"] as? Int ?? 0) > failures })
    close(holder)
    #expect(waitUntil(seconds: 60) { !retry.isRunning })
    #expect(retry.terminationStatus == 0)
    #expect(rig.registered?.keys.sorted() == ["apache2"])
    #expect(rig.requests(since: before).filter { $0 == "register" }.count >= 2)
    #expect(state(rig)["server_busy"] == nil && state(rig)["failures"] as? Int == 0)
  }
}

extension String {
  func appendLine(to path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    handle.seekToEndOfFile()
    handle.write(Data(utf8))
  }
}
