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
    #expect(waitUntil(seconds: 10) { isListening(port) })
    let result = try check("openssh-server", service: "ssh", port: port)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("SSH OK"))
  }

  @Test func exim4DaemonLight() throws {
    let port = allocatePort()
    let directory = try TestRoot("exim4-stock").path
    // The stock configuration (update-exim4.conf's), only the listening address moved. In the
    // foreground and spawned directly: a daemonizing exim keeps Foundation's Process waiting.
    let exim = try Daemon("/usr/sbin/exim4", ["-bdf", "-oX", "127.0.0.1.\(port)", "-oP", directory + "/exim.pid"])
    defer { exim.stop() }
    #expect(waitUntil(seconds: 10) { isListening(port) })
    for package in ["exim4-daemon-light", "exim4-daemon-heavy"] {
      let result = try check(package, service: "exim4", port: port)
      #expect(result.status == 0, "\(package): \(result.stdout)\(result.stderr)")
      #expect(result.stdout.hasPrefix("SMTP OK"))
    }
  }
}
