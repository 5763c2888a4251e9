import Foundation
import MonitoringInfo
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The client against the real server pieces: TestKit's private sshd wired like the installed
/// drop-in, the real receiver and AuthorizedKeysCommand, the server's own store.
final class ClientServerRig {
  let server: PrivateServer
  let sshd: PrivateSSHD
  let root: TestRoot
  let host = "b.example.org"
  /// Every ssh the client starts is logged here (a wrapper first on PATH).
  let sshLog: String
  let environment: [String: String]

  init() throws {
    server = try PrivateServer()
    sshd = try PrivateSSHD(server: server)
    root = try TestRoot("e2e")
    let wrappers = root.path + "/wrappers"
    try FileManager.default.createDirectory(atPath: wrappers, withIntermediateDirectories: true)
    sshLog = root.path + "/ssh.log"
    try "#!/bin/sh\necho \"$*\" >> \(sshLog)\nexec /usr/bin/ssh \"$@\"\n".write(toFile: wrappers + "/ssh", atomically: true, encoding: .utf8)
    chmod(wrappers + "/ssh", 0o755)
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = wrappers + ":/usr/sbin:/usr/bin:/sbin:/bin"
    self.environment = environment
    try startSSHD()
    try configure(extra: "")
  }

  /// sshd from TestKit's configuration, but daemonized and stopped by its PID file: under
  /// Foundation's Process, `sshd -D` closes the descriptor Process watches, and Process then
  /// blocks its monitor thread in waitpid, hanging every later runProgram of the test process.
  func startSSHD() throws {
    let started = try runProgram("/usr/sbin/sshd", ["-f", sshd.directory.path + "/sshd_config", "-E", sshd.log])
    guard started.succeeded else { throw TestServerError("sshd: \(started.stderr)") }
    guard waitUntil(seconds: 10, { sshdPID != nil && isListening(sshd.port) }) else {
      throw TestServerError("sshd did not listen on \(sshd.port)")
    }
  }

  var sshdPID: pid_t? {
    (try? String(contentsOfFile: sshd.directory.path + "/sshd.pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  func stopSSHD() {
    guard let pid = sshdPID else { return }
    kill(pid, SIGTERM)
    _ = waitUntil(seconds: 5) { kill(pid, 0) != 0 }
    if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    try? FileManager.default.removeItem(atPath: sshd.directory.path + "/sshd.pid")
  }

  func configure(extra: String) throws {
    let hostKey = try String(contentsOfFile: sshd.directory.path + "/host_ed25519.pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    try root.configure("""
      server = 127.0.0.1
      port = \(sshd.port)
      user = \(server.user)
      server_key = \(hostKey)
      host = \(host)
      connect_timeout = 5
      timeout = 20
      \(extra)
      """)
  }

  func client(_ arguments: [String]) throws -> ProcessResult {
    try root.run(arguments, environment: environment)
  }

  func enrollWithTicket() throws {
    let ticket = try server.runAdmin(["ticket", host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let enroll = try client(["enroll", "--ticket", ticket])
    #expect(enroll.status == 0, "\(enroll.stdout)\(enroll.stderr)")
  }

  /// What the server stored for the host: service name -> params.
  var registered: [String: [String: String]]? {
    guard let bytes = FileManager.default.contents(atPath: server.stateDirectory + "/registrations/\(host).json"),
      let payload = try? RegistrationPayload.parse(Array(bytes))
    else { return nil }
    return Dictionary(uniqueKeysWithValues: payload.services.map { ($0.name, $0.params) })
  }

  var sshCount: Int { ((try? String(contentsOfFile: sshLog, encoding: .utf8)) ?? "").split(separator: "\n").count }

  /// Pretends the backoff has passed (the clock is not something a test can wait for).
  func makeRetryDue() throws {
    let path = root.path + "/var/lib/auto-monitor-client/state.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: #""next_retry":\d+"#, with: #""next_retry":0"#, options: .regularExpression)
      .write(toFile: path, atomically: true, encoding: .utf8)
  }

  func stop() {
    stopSSHD()
    sshd.stop()
    server.cleanUp()
  }
}

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

    // Unchanged: no ssh at all.
    let before = rig.sshCount
    let unchanged = try rig.client([])
    #expect(unchanged.status == 0 && unchanged.stdout.contains("nothing sent"))
    #expect(rig.sshCount == before)

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
    #expect(eventually(15) { rig.registered?["apache2"] != nil }, "\(root.state ?? "")")

    // deregister: the server forgets the host.
    let deregister = try rig.client(["deregister"])
    #expect(deregister.status == 0, "\(deregister.stderr)")
    #expect(eventually(5) { rig.registered == nil || rig.registered == [:] })
  }

  @Test func pendingEnrollmentThenAcceptedConverges() throws {
    let rig = try ClientServerRig()
    defer { rig.stop() }
    try rig.root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try rig.root.fragment("apache2", "[apache2]\ntype = http\n")
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
    try rig.root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try rig.root.fragment("apache2", "[apache2]\ntype = http\n")

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
    #expect(eventually(15) { rig.root.state?.contains("Connection refused") == true }, "\(rig.root.state ?? "")")
    #expect(try rig.client(["--status"]).stdout.contains("Connection refused"))

    // Back up: the next retry converges.
    try rig.startSSHD()
    try rig.makeRetryDue()
    #expect(try rig.client(["--retry"]).status == 0)
    #expect(rig.registered == ["apache2": ["port": "81"]])
    #expect(parseJSON(try rig.client(["--status", "--json"]).stdout)?["pending_retry"] is NSNull)
  }
}
