import Foundation
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shipped defaults against the real daemons with their stock Debian configuration, moved
/// only to a private port on 127.0.0.1: the default's type, keys and TLS setting must be what
/// the daemon serves. The default goes through the client (`--dry-run`) into a registration
/// file, which check_monitoring_info checks as the server's Nagios would.
@Suite(.serialized) struct DefaultsAgainstDaemonsTests {
  /// Runs the default of `package` with its port replaced by `port`; returns the plugin's result.
  func check(_ package: String, service: String, port: Int) throws -> ProcessResult {
    let root = try TestRoot("daemon-\(package)")
    var text = try String(contentsOfFile: Client.packageRoot + "/defaults/\(package).conf", encoding: .utf8)
    if text.contains("\nport = ") {
      text = text.replacingOccurrences(of: #"\nport = \d+"#, with: "\nport = \(port)", options: .regularExpression)
    } else {
      text = text.replacingOccurrences(of: "[\(service)]\n", with: "[\(service)]\nport = \(port)\n")
    }
    try root.fragment(package, text)
    try root.configure("host = localhost\n")
    let payload = try root.run(["--dry-run"])
    #expect(payload.status == 0, "\(payload.stderr)")
    let registration = root.path + "/registration.json"
    try payload.stdout.write(toFile: registration, atomically: true, encoding: .utf8)
    return try runProgram(BuildPaths.executable("check_monitoring_info").path,
                          ["--registration", registration, "--service", service, "-H", "127.0.0.1"])
  }

  /// Starts a daemon in the foreground with its output on /dev/null; the caller stops it.
  func spawn(_ program: String, _ arguments: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0) }
    // The test runner's threads block signals; the daemon must get SIGCHLD and SIGTERM.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let result = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
    guard result == 0 else { throw TestServerError("\(program): \(String(cString: strerror(result)))") }
    return pid
  }

  func stop(pidFile: String) {
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
    kill(pid, SIGTERM)
    _ = waitUntil(seconds: 5) { kill(pid, 0) != 0 }
    if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
  }

  @Test func opensshServer() throws {
    let port = allocatePort()
    let directory = try TestRoot("sshd-stock").path
    mkdir("/run/sshd", 0o755)
    let started = try runProgram("/usr/sbin/sshd", [
      "-f", "/etc/ssh/sshd_config", "-o", "Port=\(port)", "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=\(directory)/sshd.pid",
      "-E", directory + "/sshd.log",
    ])
    #expect(started.succeeded, "\(started.stderr)")
    defer { stop(pidFile: directory + "/sshd.pid") }
    #expect(waitUntil(seconds: 10) { BareSSHD.accepts(port) })
    let result = try check("openssh-server", service: "ssh", port: port)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("SSH OK"))
  }

  @Test func exim4DaemonLight() throws {
    let port = allocatePort()
    let directory = try TestRoot("exim4-stock").path
    // The stock configuration (update-exim4.conf's), only the listening address moved. In the
    // foreground and spawned directly: a daemonizing exim keeps Foundation's Process waiting.
    let pid = try spawn("/usr/sbin/exim4", ["-bdf", "-oX", "127.0.0.1.\(port)", "-oP", directory + "/exim.pid"])
    defer {
      kill(pid, SIGTERM)
      if !waitUntil(seconds: 5, { var status: Int32 = 0; return waitpid(pid, &status, WNOHANG) == pid }) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
      }
    }
    #expect(waitUntil(seconds: 10) { BareSSHD.accepts(port) })
    for package in ["exim4-daemon-light", "exim4-daemon-heavy"] {
      let result = try check(package, service: "exim4", port: port)
      #expect(result.status == 0, "\(package): \(result.stdout)\(result.stderr)")
      #expect(result.stdout.hasPrefix("SMTP OK"))
    }
  }
}
