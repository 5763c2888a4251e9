import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// `monitoring-info-sync enroll`: make the host's key when it has none, file the enrollment
/// request with the server, and show the key's fingerprint for the administrator to compare.
public struct Enrollment: Sendable {
  public let sync: Sync

  public init(sync: Sync) { self.sync = sync }

  /// Creates `id_ed25519` with ssh-keygen unless it exists; true when it was made now.
  @discardableResult
  public func ensureKey() throws(ClientError) -> Bool {
    let store = sync.store
    if access(store.keyPath, F_OK) == 0 { return false }
    try store.ensureDirectory()
    let result = try ChildProcess.run(
      "ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "auto-monitor-client@\(sync.host)", "-f", store.keyPath], timeout: 30)
    guard result.status == 0 else {
      throw .state("ssh-keygen could not make \(store.keyPath): \(SSHTransport.lastLine(result.stderrText))")
    }
    return true
  }

  /// The public key's `SHA256:` fingerprint, as `ssh-keygen -lf` shows it.
  public func fingerprint() throws(ClientError) -> String {
    let path = sync.store.keyPath + ".pub"
    guard let bytes = try? FileReader.read(path, limit: 1 << 16), let key = SSHPublicKey(line: String(decoding: bytes, as: UTF8.self)) else {
      throw .state("cannot read the public key \(path)")
    }
    return key.fingerprint
  }

  /// Sends the enrollment request (making the key first if needed) and returns the server's
  /// answer, a refusal included; records nothing (see `Sync.enroll`).
  public func file(ticket: String?) throws(ClientError) -> RegistrationReply {
    try ensureKey()
    let request = EnrollmentRequest(host: sync.host, ticket: ticket)
    return try sync.transport.send(request: "enroll", body: Array(request.serialized.utf8))
  }
}
