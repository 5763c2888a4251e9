import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A private sshd on 127.0.0.1 with its own host key, run in the foreground and stopped by PID.
/// Two set-ups: wired like the installed drop-in for a `PrivateServer` (`Match User` of the
/// test account, `AuthorizedKeysCommand` — a root-owned copy under /run, because sshd refuses a
/// program below a world-writable directory such as /tmp — and `restrict`ed forced commands),
/// or bare, for the transport faults that happen before any receiver runs: no client key
/// accepted, or root's `authorizedKeys` lines.
public final class PrivateSSHD: @unchecked Sendable {
  public let port: Int
  public let directory: URL
  let binDirectory: String?
  var process: Daemon?
  public var log: String { directory.path + "/sshd.log" }
  public var hostKey: String { directory.path + "/host_ed25519" }
  /// The host key's base64 blob and its `SHA256:` fingerprint, as a client pins them.
  public let hostKeyBase64: String
  public let hostKeyFingerprint: String

  public init(server: PrivateServer) throws {
    port = allocatePort()
    directory = server.directory.appendingPathComponent("sshd")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let binDirectory = "/run/mi-sshd-\(getpid())-\(port)"
    self.binDirectory = binDirectory
    mkdir(binDirectory, 0o755)
    chmod(binDirectory, 0o755)
    let keysCommand = binDirectory + "/auto-monitor-authorized-keys"
    _ = try runProgram("install", ["-m", "0755", "-o", "root", "-g", "root",
      BuildPaths.executable("auto-monitor-authorized-keys").path, keysCommand])
    (hostKeyBase64, hostKeyFingerprint) = try Self.makeHostKey(directory.path + "/host_ed25519")
    try Self.write(config: """
      PermitRootLogin no
      AuthorizedKeysFile none
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      \(try String(contentsOfFile: BuildPaths.packageRoot.path + "/templates/server/sshd-auto-monitor-server.conf", encoding: .utf8)
        .replacingOccurrences(of: "Match User automon", with: "Match User \(server.user)")
        .replacingOccurrences(of: "/usr/libexec/auto-monitor/auto-monitor-authorized-keys", with: "\(keysCommand) --config \(server.configPath)")
        .replacingOccurrences(of: "AuthorizedKeysCommandUser automon", with: "AuthorizedKeysCommandUser \(server.user)"))
      """, port: port, directory: directory)
  }

  /// A bare sshd: no client key is accepted, or root's keys are `authorizedKeys` (one
  /// authorized_keys line each, a forced command in each).
  public init(authorizedKeys: String?) throws {
    port = allocatePort()
    directory = try temporaryDirectory("mi-sshd")
    binDirectory = nil
    (hostKeyBase64, hostKeyFingerprint) = try Self.makeHostKey(directory.path + "/host_ed25519")
    if let authorizedKeys {
      try authorizedKeys.write(toFile: directory.path + "/authorized_keys", atomically: true, encoding: .utf8)
    }
    try Self.write(config: """
      PermitTTY no
      AuthorizedKeysFile \(authorizedKeys == nil ? "none" : directory.path + "/authorized_keys")
      PermitRootLogin prohibit-password
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      AllowTcpForwarding no
      X11Forwarding no
      StrictModes no
      """, port: port, directory: directory)
  }

  static func makeHostKey(_ path: String) throws -> (base64: String, fingerprint: String) {
    _ = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
    let fields = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
    let fingerprint = try runProgram("ssh-keygen", ["-lf", path + ".pub"]).stdout.split(separator: " ")[1]
    return (String(fields[1]), String(fingerprint))
  }

  /// sshd_config: the common lines, then the set-up's own; checked with `sshd -t`.
  static func write(config: String, port: Int, directory: URL) throws {
    mkdir("/run/sshd", 0o755)
    let text = """
      ListenAddress 127.0.0.1
      Port \(port)
      HostKey \(directory.path)/host_ed25519
      PidFile \(directory.path)/sshd.pid
      UsePAM no
      \(config)

      """
    try text.write(toFile: directory.path + "/sshd_config", atomically: true, encoding: .utf8)
    let check = try runProgram("/usr/sbin/sshd", ["-t", "-f", directory.path + "/sshd_config"])
    guard check.succeeded else { throw TestFailure("sshd -t: \(check.stderr)") }
  }

  public func start() throws {
    process = try Daemon("/usr/sbin/sshd", ["-D", "-e", "-f", directory.path + "/sshd_config"], log: log)
    for _ in 0..<200 {
      if !PortAllocator.isFree(port, type: SOCK_STREAM) { return }
      usleep(25_000)
    }
    throw TestFailure("sshd did not listen on \(port)")
  }

  public func stop() {
    process?.stop()
    process = nil
    if let binDirectory { try? FileManager.default.removeItem(atPath: binDirectory) }
    if binDirectory == nil { try? FileManager.default.removeItem(at: directory) }
  }

  /// A client key pair (`PATH`, `PATH.pub`) in the server's directory.
  public func makeClientKey(_ name: String) throws -> (path: String, type: String, blob: String) {
    let path = directory.path + "/" + name
    _ = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
    let fields = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ")
    return (path, String(fields[0]), String(fields[1]))
  }

  /// Runs `ssh` as a client would, with `request` as the remote command and `stdin` as payload.
  public func ssh(key: String, user: String, request: [String], stdin: String = "", options: [String] = []) throws -> ProcessResult {
    try runProgram("ssh", [
      "-i", key, "-p", String(port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
      "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5",
      "-o", "IdentitiesOnly=yes", "-o", "KexAlgorithms=curve25519-sha256",
    ] + options + ["\(user)@127.0.0.1"] + request, stdin: Data(stdin.utf8))
  }

  deinit { stop() }
}
