import Foundation
import MonitoringInfo
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif


@Suite(.serialized) struct ClientServerTests {
  @Test func syncRegistersUpdatesAndFollowsPackageState() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    let root = rig.root
    try root.setPackages([
      PackageRecord(name: "apache2", conffiles: [conffile("apache2")]),
      PackageRecord(name: "dovecot-imapd", conffiles: [conffile("dovecot-imapd")]),
    ])
    try root.fragment("apache2", "[apache2]\ntype = http\nport = 80\n")
    try root.fragment("dovecot-imapd", "[imap]\ntype = imap\n")

    // Enrollment with a ticket binds the key and registers at once.
    try rig.enrollWithTicket()
    #expect(rig.registered == ["apache2": ["port": "80"], "imap": [:]])
    let status = try #require(parseJSON(try rig.client(["--status", "--json"]).stdout))
    #expect(status["registered"] as? [String] == ["apache2", "imap"])
    #expect(status["last_error"] is NSNull)

    // Unchanged: the trigger's run makes no ssh at all; one by hand asks the server once
    // (`status`) whether it still holds the registration, and sends nothing.
    let before = rig.sshCount
    #expect(try rig.client(["--detached"]).status == 0)
    #expect(rig.sshCount == before)
    let unchanged = try rig.client([])
    #expect(unchanged.status == 0 && unchanged.stdout.contains("nothing sent"))
    #expect(rig.requests(since: before) == ["status"])

    // A changed fragment updates the registration.
    try root.fragment("apache2", "[apache2]\ntype = http\nport = 8080\nuri = /status\n")
    #expect(try rig.client([]).status == 0)
    #expect(rig.registered?["apache2"] == ["port": "8080", "uri": "/status"])

    // Brian's exclude: the package disappears.
    try rig.configure(extra: "exclude = apache2")
    #expect(try rig.client([]).status == 0)
    #expect(rig.registered == ["imap": [:]])
    try rig.configure(extra: "")

    // Removed but not purged: the conffile stays, the service goes.
    try root.setPackages([
      PackageRecord(name: "apache2", state: "config-files", conffiles: [conffile("apache2")]),
      PackageRecord(name: "dovecot-imapd", conffiles: [conffile("dovecot-imapd")]),
    ])
    #expect(try rig.client([]).status == 0)
    #expect(rig.registered == ["imap": [:]])

    // The trigger does the same in the background.
    try root.setPackages([
      PackageRecord(name: "apache2", conffiles: [conffile("apache2")]),
      PackageRecord(name: "dovecot-imapd", conffiles: [conffile("dovecot-imapd")]),
    ])
    let trigger = try rig.client(["--trigger"])
    #expect(trigger.status == 0 && trigger.stdout.isEmpty && trigger.stderr.isEmpty)
    #expect(waitUntil(seconds: 15) { rig.registered?["apache2"] != nil }, "\(root.state ?? "")")

    // deregister: the server forgets the host (and its key); the client does not enroll again
    // unasked.
    let deregister = try rig.client(["deregister"])
    #expect(deregister.status == 0, "\(deregister.stderr)")
    #expect(waitUntil(seconds: 5) { rig.registered == nil || rig.registered == [:] })
    let count = rig.sshCount
    let afterwards = try rig.client([])
    #expect(afterwards.status == 1 && afterwards.stderr.contains("not enrolled"), "\(afterwards.stdout)\(afterwards.stderr)")
    #expect(!rig.requests(since: count).contains("enroll"))
    #expect(!rig.pendingOnServer)
  }

  @Test func pendingEnrollmentThenAcceptedConverges() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    let enroll = try rig.client(["enroll"])
    #expect(enroll.status == 2, "\(enroll.stdout)\(enroll.stderr)")
    #expect(enroll.stdout.contains("auto-monitor-server accept \(rig.host)"))
    let fingerprint = try #require(enroll.stdout.split(separator: "(").dropFirst().first?.split(separator: ")").first).description
    #expect(fingerprint.hasPrefix("SHA256:"))

    // Not accepted yet: the sync is refused and that is what --status shows.
    let early = try rig.client([])
    #expect(early.status != 0)
    let status = try rig.client(["--status"])
    #expect(status.stdout.contains("last error:") && status.stdout.contains("enroll"), "\(status.stdout)")
    #expect(rig.registered == nil)

    // The administrator accepts the key with the fingerprint the client printed.
    #expect(try rig.server.runAdmin(["accept", rig.host, "--key", fingerprint]).succeeded)
    try rig.makeRetryDue()
    #expect(try rig.client(["--retry"]).status == 0)
    #expect(rig.registered == ["apache2": [:]])
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["last_error"] is NSNull)
  }

  @Test func refusedKeyServerDownAndRecovery() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()

    // A key the server does not know is refused.
    try FileManager.default.createDirectory(atPath: rig.root.path + "/var/lib/auto-monitor-client", withIntermediateDirectories: true)
    _ = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", rig.root.path + "/var/lib/auto-monitor-client/id_ed25519"])
    let refused = try rig.client([])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("not enrolled"), "\(refused.stderr)")
    try rig.enrollWithTicket()
    #expect(rig.registered == ["apache2": [:]])

    // Server down: the trigger returns at once, the failure is recorded.
    rig.stopSSHD()
    try rig.root.fragment("apache2", "[apache2]\ntype = http\nport = 81\n")
    let start = Date()
    let trigger = try rig.client(["--trigger"])
    #expect(trigger.status == 0 && Date().timeIntervalSince(start) < 1)
    #expect(waitUntil(seconds: 15) { rig.root.state?.contains("Connection refused") == true }, "\(rig.root.state ?? "")")
    #expect(try rig.client(["--status"]).stdout.contains("Connection refused"))

    // Back up: the next retry converges.
    try rig.startSSHD()
    try rig.makeRetryDue()
    #expect(try rig.client(["--retry"]).status == 0)
    #expect(rig.registered == ["apache2": ["port": "81"]])
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["pending_retry"] is NSNull)
  }

  /// Issue 15, case 8: a registration the monitoring system refused is stored, not live. The
  /// by-hand run says so with the reason (exit 3), --status too; once fixed, it is gone.
  @Test func aQuarantinedRegistrationIsReportedAsSuch() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    // Another host is live; then the server's administrator defines this one by hand, so
    // Nagios refuses the file generated for it.
    _ = try rig.server.receive(client: "a.example.org", request: "register",
      payload: PrivateServer.payload(host: "a.example.org", services: [("web", "http", [:])]))
    #expect(try rig.server.runAdmin(["apply"]).succeeded)
    let manual = rig.server.nagios.confD + "/manual.cfg"
    try "define host {\n    use generic-host\n    host_name \(rig.host)\n    address 127.0.0.1\n    max_check_attempts 1\n    check_period 24x7\n    contact_groups admins\n}\n"
      .write(toFile: manual, atomically: true, encoding: .utf8)
    chmod(manual, 0o644)
    try rig.enrollWithTicket()
    let apply = try rig.server.runAdmin(["apply"])
    #expect(apply.stdout.contains("quarantined \(rig.host)"), "\(apply.status) \(apply.stdout)\(apply.stderr)")
    let reasonFile = rig.server.backendDirectory + "/quarantine/\(rig.host).reason"
    let reason = try String(contentsOfFile: reasonFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let reasonLine = try #require(reason.split(separator: "\n").first.map(String.init))

    // A new registration: stored, and the reply says it is quarantined.
    try rig.root.fragment("apache2", "[apache2]\ntype = http\nport = 8080\n")
    let sync = try rig.client([])
    #expect(sync.status == 3, "\(sync.stdout)\(sync.stderr)")
    #expect(sync.stderr.contains("quarantined") && sync.stderr.contains(reasonLine), "\(sync.stderr)")
    #expect(sync.stdout.contains("not live"), "\(sync.stdout)")
    #expect(rig.registered == ["apache2": ["port": "8080"]])
    let text = try rig.client(["--status"]).stdout
    #expect(text.contains("quarantined:  ") && text.contains(reasonLine), "\(text)")
    let json = try #require(parseJSON(try rig.client(["--status", "--json"]).stdout))
    #expect((json["quarantined"] as? String)?.contains(reasonLine) == true, "\(json)")

    // Unchanged: the by-hand run asks the server, which still says so.
    let again = try rig.client([])
    #expect(again.status == 3, "\(again.stdout)\(again.stderr)")
    #expect(again.stderr.contains(reasonLine), "\(again.stderr)")

    // The administrator fixes the cause; the next by-hand run learns it.
    try FileManager.default.removeItem(atPath: manual)
    #expect(try rig.server.runAdmin(["apply", "--retry-quarantined"]).succeeded)
    let fixed = try rig.client([])
    #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
    #expect(!fixed.stderr.contains("quarantined"))
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["quarantined"] is NSNull)
  }

  /// Issue 15, case 2: a server purged and re-installed knows no client any more. The trigger's
  /// run stays without network when nothing changed; a by-hand run asks the server (one status
  /// round trip), notices, files the enrollment request again and says what to do; --status
  /// says so; once accepted it registers. The timer asks once a day and notices by itself.
  @Test func aReinstalledServerIsNoticedAndTheHostEnrollsAgain() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    try rig.enrollWithTicket()
    #expect(rig.registered == ["apache2": [:]])

    // The server holds another list than the client had accepted (here: none) but still knows
    // the key: the by-hand run's status round trip sees the difference and sends it again.
    _ = try rig.server.receive(client: rig.host, request: "register", payload: PrivateServer.payload(host: rig.host, services: []))
    #expect(rig.registered == [:])
    var count = rig.sshCount
    let resent = try rig.client([])
    #expect(resent.status == 0, "\(resent.stdout)\(resent.stderr)")
    #expect(rig.requests(since: count) == ["status", "register"])
    #expect(rig.registered == ["apache2": [:]])

    // Unchanged and confirmed: the timer's run and the trigger's stay off the network.
    count = rig.sshCount
    #expect(try rig.client(["--retry"]).status == 0)
    #expect(try rig.client(["--detached"]).status == 0)
    #expect(rig.sshCount == count)
    // A by-hand run confirms with one status round trip and sends nothing.
    let confirmed = try rig.client([])
    #expect(confirmed.status == 0 && confirmed.stdout.contains("nothing sent"), "\(confirmed.stdout)\(confirmed.stderr)")
    #expect(rig.requests(since: count) == ["status"])

    // Purge and reinstall of the server.
    try rig.reinstallServer()
    count = rig.sshCount
    #expect(try rig.client(["--detached"]).status == 0)
    #expect(rig.sshCount == count, "the trigger's run went to the network although nothing changed")
    let noticed = try rig.client([])
    #expect(noticed.status == 2, "\(noticed.stdout)\(noticed.stderr)")
    #expect(noticed.stderr.contains("no longer knows"), "\(noticed.stderr)")
    #expect(noticed.stderr.contains("auto-monitor-server accept \(rig.host)"), "\(noticed.stderr)")
    #expect(rig.requests(since: count).prefix(2) == ["status", "enroll"], "\(rig.requests(since: count))")
    #expect(rig.pendingOnServer)
    let text = try rig.client(["--status"]).stdout
    #expect(text.contains("enrollment:   pending"), "\(text)")
    #expect(text.contains("no longer knew"), "\(text)")
    #expect(text.contains("registered:   none"), "\(text)")
    let json = try #require(parseJSON(try rig.client(["--status", "--json"]).stdout))
    #expect(json["enrollment"] as? String == "pending", "\(json)")
    #expect(json["forgotten_by_server"] is String, "\(json)")

    // The administrator accepts it: it registers (here at the timer's next run).
    #expect(try rig.server.runAdmin(["accept", rig.host]).succeeded)
    try rig.makeRetryDue()
    _ = try rig.client(["--retry"])
    #expect(waitUntil(seconds: 10) { rig.registered == ["apache2": [:]] })
    let after = try #require(parseJSON(try rig.client(["--status", "--json"]).stdout))
    #expect(after["enrollment"] as? String == "enrolled", "\(after)")
    #expect(after["forgotten_by_server"] is NSNull, "\(after)")
    #expect(after["last_error"] is NSNull, "\(after)")

    // Nobody touches the client: the timer confirms once a day and notices a new reinstall.
    try rig.reinstallServer()
    count = rig.sshCount
    #expect(try rig.client(["--retry"]).status == 0)
    #expect(rig.sshCount == count, "confirmed less than a day ago: no network")
    try rig.ageConfirmation(by: 86_401)
    let daily = try rig.client(["--retry"])
    #expect(daily.stdout.isEmpty && daily.stderr.isEmpty)
    #expect(rig.requests(since: count).prefix(2) == ["status", "enroll"], "\(rig.requests(since: count))")
    #expect(rig.pendingOnServer)
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["enrollment"] as? String == "pending")
  }

  /// A request the administrator rejected is not filed again by itself.
  @Test func aRejectedRequestIsNotFiledAgain() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    try rig.enrollWithTicket()
    try rig.reinstallServer()
    #expect(try rig.client([]).status == 2)
    #expect(rig.pendingOnServer)
    #expect(try rig.server.runAdmin(["reject", rig.host]).succeeded)
    let count = rig.sshCount
    let after = try rig.client([])
    #expect(after.status == 1, "\(after.stdout)\(after.stderr)")
    #expect(after.stderr.contains("monitoring-info-sync enroll"), "\(after.stderr)")
    #expect(!rig.requests(since: count).contains("enroll"))
    #expect(!rig.pendingOnServer)
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["enrollment"] as? String == "not-enrolled")
  }

  /// Issue 15, case 11: after `auto-monitor-server accept` a host whose enrollment was filed by
  /// hand registers within seconds, without anyone touching it again; the timer retries a
  /// pending enrollment at a short fixed interval, not the failure backoff.
  @Test func afterAcceptTheHostRegistersWithinSeconds() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    let enroll = try rig.client(["enroll"])
    #expect(enroll.status == 2, "\(enroll.stdout)\(enroll.stderr)")
    #expect(enroll.stdout.contains("auto-monitor-server accept \(rig.host)"), "\(enroll.stdout)")
    #expect(enroll.stdout.contains("run 'monitoring-info-sync' here"), "\(enroll.stdout)")
    usleep(1_500_000)
    #expect(rig.registered == nil)
    #expect(try rig.server.runAdmin(["accept", rig.host]).succeeded)
    let accepted = Date()
    #expect(waitUntil(seconds: 20) { rig.registered == ["apache2": [:]] })
    let elapsed = Date().timeIntervalSince(accepted)
    print("accept to registration: \(String(format: "%.1f", elapsed)) s")
    #expect(elapsed < 8, "\(elapsed) s from accept to registration")
    #expect(waitUntil(seconds: 5) { parseJSON((try? rig.client(["--status", "--json"]).stdout) ?? "")?["last_error"] is NSNull })
  }

  @Test func aPendingEnrollmentIsRetriedAtAFixedInterval() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.installApache2()
    #expect(try rig.client(["enroll"]).status == 2)
    for attempt in 1...4 {
      try rig.makeRetryDue()
      let retry = try rig.client(["--retry"])
      #expect(retry.stdout.isEmpty && retry.stderr.isEmpty)
      let state = try #require(parseJSON(rig.root.state ?? ""))
      let interval = (state["next_retry"] as? Int ?? 0) - (state["last_attempt"] as? Int ?? 0)
      #expect(interval == 30, "attempt \(attempt): retry after \(interval) s")
    }
    #expect(rig.registered == nil)
  }
}
