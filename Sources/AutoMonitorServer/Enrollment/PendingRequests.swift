import Glibc
import MonitoringInfo

/// Enrollment requests of unknown keys, waiting for `auto-monitor-server accept HOST`:
/// `pending/DIGEST.json`, one per key (a key asking again replaces its own request), at most
/// `max_pending` of them and each a few hundred bytes, so unknown keys cannot fill the disk.
public struct PendingRequests: Sendable {
  public struct Request: Sendable {
    public var host: String
    public var key: SSHPublicKey
    public var time: Int
    public var digest: String
  }

  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  public func all() -> [Request] {
    let names = (try? FileReader.files(in: settings.pending, withSuffix: ".json")) ?? []
    return names.compactMap { name in
      guard let bytes = try? FileReader.read(settings.pending + "/" + name, limit: 16384),
        let json = try? JSONValue.parse(bytes), let host = json["host"]?.stringValue, HostName.isValid(host),
        let type = json["type"]?.stringValue, let blob = json["key"]?.stringValue,
        let key = SSHPublicKey(type: type, blob: blob)
      else { return nil }
      return Request(host: host, key: key, time: json["time"]?.intValue ?? 0, digest: String(name.dropLast(5)))
    }
  }

  public enum Filed: Sendable { case filed, full }

  public func file(host: String, key: SSHPublicKey) throws(ServerError) -> Filed {
    let path = settings.pending + "/" + key.digest + ".json"
    let count = ((try? FileReader.files(in: settings.pending, withSuffix: ".json")) ?? []).count
    if access(path, F_OK) != 0 && count >= settings.maximumPending { return .full }
    let json = JSONValue.object([
      "host": .string(host), "type": .string(key.type), "key": .string(key.blob), "time": .number(Int(time(nil))),
    ])
    try serverError { try AtomicFile.write(Array(json.serialized.utf8), to: path, mode: 0o600) }
    return .filed
  }

  public func remove(_ request: Request) throws(ServerError) {
    try serverError { try AtomicFile.remove(settings.pending + "/" + request.digest + ".json") }
  }

  /// Settles every request filed under `host`, and any filed by `key` under another name.
  public func remove(host: String, key: SSHPublicKey? = nil) throws(ServerError) {
    for request in all() where request.host == host || request.key == key { try remove(request) }
  }
}
