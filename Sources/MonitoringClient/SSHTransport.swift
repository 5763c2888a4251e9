import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// The registration transport: the system `ssh` with the client's own key and its own
/// known_hosts pinned to `server_key`, BatchMode, a connect timeout and a total deadline.
/// The request (`register`, `deregister`, `status`, `enroll`) is the remote command; the
/// server's forced command sees it as SSH_ORIGINAL_COMMAND and reads the JSON from stdin.
public struct SSHTransport: Sendable {
  public let configuration: ClientConfiguration
  public let store: StateStore
  /// Where known_hosts goes when the state directory cannot take it (full, read-only).
  public let fallbackKnownHosts: String
  /// Host-key alias in known_hosts: the pin holds whatever address `server` resolves to.
  static let alias = "auto-monitor-server"

  public init(configuration: ClientConfiguration, store: StateStore, fallbackKnownHosts: String) {
    self.configuration = configuration
    self.store = store
    self.fallbackKnownHosts = fallbackKnownHosts
  }

  public var destination: String { "\(configuration.user)@\(configuration.server ?? ""):\(configuration.port)" }

  public func arguments(request: String, knownHosts: String) -> [String] {
    [
      "-F", "/dev/null",
      "-i", store.keyPath,
      "-p", String(configuration.port),
      "-o", "IdentitiesOnly=yes",
      "-o", "IdentityAgent=none",
      "-o", "BatchMode=yes",
      "-o", "StrictHostKeyChecking=yes",
      "-o", "UserKnownHostsFile=\(knownHosts)",
      "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "HostKeyAlias=\(Self.alias)",
      "-o", "UpdateHostKeys=no",
      "-o", "ConnectTimeout=\(configuration.connectTimeout)",
      "-o", "ServerAliveInterval=5",
      "-o", "ServerAliveCountMax=2",
      "-o", "KexAlgorithms=curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256",
      "-o", "LogLevel=ERROR",
      "-T",
      "-l", configuration.user,
      "--", configuration.server ?? "", request,
    ]
  }

  /// Sends one request and returns the server's reply. Transport failures (no connection,
  /// host key, refused key, timeout), a busy server (dropped before authentication, or its
  /// `busy` reply) and answers that are not the protocol's are errors.
  public func send(request: String, body: [UInt8]) throws(ClientError) -> RegistrationReply {
    let knownHosts = try pinHostKey()
    guard access(store.keyPath, R_OK) == 0 else {
      throw .transport("no client key \(store.keyPath): run 'monitoring-info-sync enroll' first")
    }
    let result = try ChildProcess.run("ssh", arguments(request: request, knownHosts: knownHosts), input: body, timeout: Double(configuration.timeout))
    if result.timedOut {
      throw .transport("no answer from \(destination) within \(configuration.timeout) s (timeout)")
    }
    if result.status == 255 {
      if let why = Unreachable.fromSSH(result.stderrText, host: configuration.server ?? "", port: configuration.port,
        connectTimeout: configuration.connectTimeout)
      {
        throw .unreachable(destination, why)
      }
      if let busy = ServerBusy.fromSSH(result.stderrText) { throw .busy(destination, busy) }
      throw .transport("\(destination): \(Self.explain(result.stderrText))")
    }
    let reply: RegistrationReply
    do { reply = try RegistrationReply.parse(result.stdout) } catch {
      let stderr = Self.lastLine(result.stderrText)
      throw .server("\(destination) answered '\(request)' with exit status \(result.status) and no valid reply (\(error))"
        + (stderr.isEmpty ? "" : ": \(stderr)"))
    }
    if reply.result == .busy {
      throw .busy(destination, ServerBusy(.said(retryAfter: reply.retryAfter ?? BusyRetryPlan().firstWindow, message: reply.message)))
    }
    return reply
  }

  /// Writes known_hosts from `server_key`: a whole key directly; a fingerprint by asking the
  /// server for its keys (ssh-keyscan) and keeping the one that matches.
  /// Returns the known_hosts file to use.
  func pinHostKey() throws(ClientError) -> String {
    guard let text = configuration.serverKey else {
      throw .configuration("'server_key' is not set: confirm the server's host key ('monitoring-info-sync discover' shows it) and set it in the configuration")
    }
    guard let pin = SSHPublicKey.Pin(text) else {
      throw .configuration("'server_key' is neither a public key ('ssh-ed25519 AAAA...') nor a fingerprint ('SHA256:...')")
    }
    let key: SSHPublicKey
    switch pin {
    case let .key(pinned): key = pinned
    case let .fingerprint(fingerprint):
      if let bytes = try? FileReader.read(store.knownHostsPath, limit: 1 << 16),
        let known = SSHPublicKey(line: String(decoding: bytes, as: UTF8.self)), known.fingerprint == fingerprint
      {
        return store.knownHostsPath
      }
      key = try scanKey(matching: fingerprint)
    }
    let line = Array("\(Self.alias) \(key.line)\n".utf8)
    if let current = try? FileReader.read(store.knownHostsPath, limit: 1 << 16), current == line { return store.knownHostsPath }
    do {
      try store.ensureDirectory()
      try StateStore.writeAtomically(line, to: store.knownHostsPath, mode: 0o644)
      return store.knownHostsPath
    } catch {
      // A full or read-only state directory must not stop the registration itself.
      let directory = String(fallbackKnownHosts[..<fallbackKnownHosts.lastIndex(of: "/")!])
      try StateStore(directory: directory).ensureDirectory()
      try StateStore.writeAtomically(line, to: fallbackKnownHosts, mode: 0o644)
      return fallbackKnownHosts
    }
  }

  private func scanKey(matching fingerprint: String) throws(ClientError) -> SSHPublicKey {
    let result = try ChildProcess.run(
      "ssh-keyscan", ["-T", String(configuration.connectTimeout), "-p", String(configuration.port), "--", configuration.server ?? ""],
      timeout: Double(configuration.timeout))
    let offered = result.stdoutText.split(separator: "\n").compactMap { SSHPublicKey(line: String($0)) }
    if let match = offered.first(where: { $0.fingerprint == fingerprint }) { return match }
    if offered.isEmpty {
      // ssh-keyscan says nothing when a connection is refused, and its own words otherwise:
      // one connection of our own tells whether the server can be reached at all, and why not.
      if let why = Unreachable.probe(host: configuration.server ?? "", port: configuration.port, connectTimeout: configuration.connectTimeout) {
        throw .unreachable(destination, why)
      }
      let said = Self.lastLine(result.stderrText)
      throw .transport("\(destination): the server offered no host key to ssh-keyscan" + (said.isEmpty ? "" : " (\(said))"))
    }
    throw .transport("\(destination): host key does not match server_key \(fingerprint) (offered: \(offered.map(\.fingerprint).joined(separator: ", ")))")
  }

  /// ssh's own words, with what to do about the common cases.
  static func explain(_ stderr: String) -> String {
    let text = lastLine(stderr)
    if stderr.contains("Host key verification failed") || stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
      return "host key verification failed: the server's key is not the one in server_key (\(text))"
    }
    if stderr.contains("Permission denied") {
      return "the server refused this host's key: enroll it ('monitoring-info-sync enroll') and have it accepted (\(text))"
    }
    return text.isEmpty ? "ssh failed" : text
  }

  /// The last non-empty line (ssh ends lines with CR LF, one Character in Swift).
  static func lastLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).last.map { $0.trimmingWhitespace } ?? ""
  }
}
