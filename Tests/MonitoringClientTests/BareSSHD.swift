import Foundation
import TestKit

#if canImport(Glibc)
import Glibc
#endif

/// A private sshd on 127.0.0.1 with its own host key that accepts no client key at all
/// (`AuthorizedKeysFile none`): enough for the transport faults that happen before any
/// receiver runs (host key mismatch, refused key). Stopped by PID.
final class BareSSHD {
  let directory: String
  let port: Int
  let pid: pid_t
  let hostKeyBase64: String
  let hostKeyFingerprint: String

  /// `authorizedKeys`: lines for root's keys (a forced command each), or none accepted.
  init(authorizedKeys: String? = nil) throws {
    directory = NSTemporaryDirectory() + "mi-client-sshd-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    TempDirectories.shared.add(directory)
    try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
    let key = directory + "/host_ed25519"
    _ = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: " ")
    hostKeyBase64 = String(publicKey[1])
    hostKeyFingerprint = try runProgram("ssh-keygen", ["-lf", key + ".pub"]).stdout.split(separator: " ")[1].description
    port = allocatePort()
    if let authorizedKeys { try authorizedKeys.write(toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8) }
    let config = directory + "/sshd_config"
    try """
      Port \(port)
      ListenAddress 127.0.0.1
      HostKey \(key)
      PidFile \(directory)/sshd.pid
      UsePAM no
      PermitTTY no
      AuthorizedKeysFile \(authorizedKeys == nil ? "none" : directory + "/authorized_keys")
      PermitRootLogin prohibit-password
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      AllowTcpForwarding no
      X11Forwarding no
      StrictModes no

      """.write(toFile: config, atomically: true, encoding: .utf8)
    // sshd daemonizes once it listens and writes its PID file; stopped by that PID.
    let started = try runProgram("/usr/sbin/sshd", ["-f", config, "-E", directory + "/sshd.log"])
    // The daemon writes its PID file just after the parent returns (created first, then
    // written: wait for a number in it, not for the file).
    let deadline = Date().addingTimeInterval(10)
    let pidFile = directory + "/sshd.pid"
    func written() -> Bool {
      (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil
    }
    while Date() < deadline, !(written() && isListening(port)) { usleep(10_000) }
    guard started.succeeded, let text = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8),
      let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      // It may still come up after we gave up: never leave it behind.
      if let text = try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8),
        let late = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        kill(late, SIGKILL)
      }
      let log = (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? ""
      throw TestFailure("sshd did not start (status \(started.status)): \(started.stderr)\(log)")
    }
    self.pid = pid
  }

  func stop() {
    kill(pid, SIGTERM)
    for _ in 0..<250 where kill(pid, 0) == 0 { usleep(20_000) }
    if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
  }

}
