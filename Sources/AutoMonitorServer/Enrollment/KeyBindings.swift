import Glibc
import MonitoringInfo

/// Which key belongs to which host: `keys/HOST.key` holds the key (`TYPE BLOB`), and
/// `keys/DIGEST.host` (SHA-256 of that line) names the host, so the AuthorizedKeysCommand finds
/// a key with one lookup and confirms it against the full key. One key per host.
public struct KeyBindings: Sendable {
  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  func keyFile(_ host: String) -> String { settings.keys + "/" + host + ".key" }
  func indexFile(_ digest: String) -> String { settings.keys + "/" + digest + ".host" }

  public func host(for key: SSHPublicKey) -> String? {
    guard let bytes = try? FileReader.read(indexFile(key.digest), limit: 512)
    else { return nil }
    let host = String(decoding: bytes, as: UTF8.self).trimmingWhitespace.split(separator: "\n").first.map(String.init) ?? ""
    guard HostName.isValid(host), self.key(of: host) == key else { return nil }
    return host
  }

  public func key(of host: String) -> SSHPublicKey? {
    guard let bytes = try? FileReader.read(keyFile(host), limit: SSHPublicKey.maximumLength + 128) else { return nil }
    let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count == 2 else { return nil }
    return SSHPublicKey(type: String(fields[0]), blob: String(fields[1]))
  }

  public func hosts() -> [String] {
    ((try? FileReader.files(in: settings.keys, withSuffix: ".key")) ?? []).map { String($0.dropLast(4)) }
      .filter(HostName.isValid)
  }

  /// Binds `key` to `host`, replacing the host's previous key (the client made a new one).
  /// The key file is written last: until then the index points at nothing that matches.
  /// The enrollment is settled: requests waiting under this host's name or from this key go.
  public func bind(_ key: SSHPublicKey, to host: String) throws(ServerError) {
    if let old = self.key(of: host), old != key { try serverError { try AtomicFile.remove(indexFile(old.digest)) } }
    if let other = self.host(for: key), other != host { try unbind(other) }
    try serverError { try AtomicFile.write(Array((host + "\n").utf8), to: indexFile(key.digest), mode: 0o600) }
    try serverError { try AtomicFile.write(Array((key.line + "\n").utf8), to: keyFile(host), mode: 0o600) }
    try PendingRequests(settings: settings).remove(host: host, key: key)
  }

  public func unbind(_ host: String) throws(ServerError) {
    if let old = key(of: host) { try serverError { try AtomicFile.remove(indexFile(old.digest)) } }
    try serverError { try AtomicFile.remove(keyFile(host)) }
  }
}
