import Foundation
import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// The client against the real server pieces: TestKit's private sshd wired like the installed
/// drop-in, the real receiver and AuthorizedKeysCommand, the server's own store.
public final class ClientServerRig {
  public let server: PrivateServer
  public let sshd: PrivateSSHD
  public let root: TestRoot
  public let host = "b.example.org"
  /// Every ssh the client starts is logged here (a wrapper first on PATH).
  public let sshLog: String
  public let environment: [String: String]

  /// apache2 installed with the plainest fragment: the service most tests register.
  public func installApache2() throws {
    try root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
  }

  public init() throws {
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
  public func startSSHD() throws {
    let started = try runProgram("/usr/sbin/sshd", ["-f", sshd.directory.path + "/sshd_config", "-E", sshd.log])
    guard started.succeeded else { throw TestFailure("sshd: \(started.stderr)") }
    guard waitUntil(seconds: 10, { sshdPID != nil && isListening(sshd.port) }) else {
      throw TestFailure("sshd did not listen on \(sshd.port)")
    }
  }

  public var sshdPID: pid_t? {
    (try? String(contentsOfFile: sshd.directory.path + "/sshd.pid", encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  public func stopSSHD() {
    guard let pid = sshdPID else { return }
    kill(pid, SIGTERM)
    _ = waitUntil(seconds: 5) { kill(pid, 0) != 0 }
    if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    try? FileManager.default.removeItem(atPath: sshd.directory.path + "/sshd.pid")
  }

  public func configure(extra: String) throws {
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

  public func client(_ arguments: [String]) throws -> ProcessResult {
    try root.run(arguments, environment: environment)
  }

  public func enrollWithTicket() throws {
    let ticket = try server.runAdmin(["ticket", host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let enroll = try client(["enroll", "--ticket", ticket])
    guard enroll.status == 0 else { throw TestFailure("enroll: \(enroll.stdout)\(enroll.stderr)") }
  }

  /// What the server stored for the host: service name -> params.
  public var registered: [String: [String: String]]? {
    guard let bytes = FileManager.default.contents(atPath: server.stateDirectory + "/registrations/\(host).json"),
      let payload = try? RegistrationPayload.parse(Array(bytes))
    else { return nil }
    return Dictionary(uniqueKeysWithValues: payload.services.map { ($0.name, $0.params) })
  }

  public var sshCount: Int { ((try? String(contentsOfFile: sshLog, encoding: .utf8)) ?? "").split(separator: "\n").count }

  /// Pretends the backoff has passed (the clock is not something a test can wait for).
  public func makeRetryDue() throws {
    let path = root.path + "/var/lib/auto-monitor-client/state.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: #""next_retry":\d+"#, with: #""next_retry":0"#, options: .regularExpression)
      .write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// What a purge and reinstall of the server package does to its state: every key binding,
  /// registration and pending request gone, a new ticket secret.
  public func reinstallServer() throws {
    try FileManager.default.removeItem(atPath: server.stateDirectory)
    let setup = try server.runAdmin(["setup"])
    guard setup.succeeded else { throw TestFailure("setup: \(setup.stderr)") }
  }

  /// Pretends the server last confirmed the registration `seconds` ago.
  public func ageConfirmation(by seconds: Int) throws {
    let path = root.path + "/var/lib/auto-monitor-client/state.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let then = Int(Date().timeIntervalSince1970) - seconds
    try text.replacingOccurrences(of: #""last_confirmed":\d+"#, with: "\"last_confirmed\":\(then)", options: .regularExpression)
      .replacingOccurrences(of: #""last_success":\d+"#, with: "\"last_success\":\(then)", options: .regularExpression)
      .write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// The requests (`status`, `register`, `enroll`, ...) of the ssh calls logged since `count`.
  public func requests(since count: Int) -> [String] {
    let lines = ((try? String(contentsOfFile: sshLog, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst(count)
    return lines.map { $0.split(separator: " ").last.map(String.init) ?? "" }
  }

  /// This host's pending enrollment requests on the server (`auto-monitor-server list`).
  public var pendingOnServer: Bool {
    let list = parseJSON((try? server.runAdmin(["--json", "list"]).stdout) ?? "")
    return ((list?["pending"] as? [[String: Any]]) ?? []).contains { $0["host"] as? String == host }
  }

  public func stop() {
    stopSSHD()
    sshd.stop()
    server.cleanUp()
  }
}
