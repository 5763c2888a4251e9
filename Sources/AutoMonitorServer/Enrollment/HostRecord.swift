import Glibc
import MonitoringInfo

/// Everything the server keeps about one host: its registration, its key
/// binding, and the enrollment requests filed under its name. Forgetting a host (the
/// administrator's `forget`, a client's `deregister` when it is purged) removes all of them,
/// so no orphan key can register again and `list` no longer shows the host.
public struct HostRecord: Sendable {
  public let settings: ServerSettings
  public let host: String

  public init(settings: ServerSettings, host: String) {
    self.settings = settings
    self.host = host
  }

  var store: RegistrationStore { RegistrationStore(settings: settings) }

  /// The server holds something about this host.
  public var exists: Bool {
    store.read(host) != nil || KeyBindings(settings: settings).key(of: host) != nil
      || PendingRequests(settings: settings).all().contains { $0.host == host }
  }

  /// Removes the registration, the key and the pending requests, then asks for
  /// an apply so the host's objects leave the monitoring system.
  public func forget() throws(ServerError) {
    try store.remove(host)
    try KeyBindings(settings: settings).unbind(host)
    try PendingRequests(settings: settings).remove(host: host)
    try store.requestApply()
  }
}
