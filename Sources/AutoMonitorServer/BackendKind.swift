import Glibc

/// The monitoring systems the server can feed. Each has its own package
/// (`auto-monitor-server-nagios`, `auto-monitor-server-icinga2`), which ships a marker file;
/// the packages conflict, so at most one is installed and switching is installing the other.
public enum BackendKind: String, Sendable, CaseIterable {
  case nagios, icinga2

  public var displayName: String { self == .nagios ? "Nagios" : "Icinga 2" }
  public var packageName: String { "auto-monitor-server-" + rawValue }

  /// `/usr/share/auto-monitor-server/backend-NAME`, shipped by the backend's package.
  public var marker: String { "/usr/share/auto-monitor-server/backend-" + rawValue }

  /// The backend whose package is installed (nil: none, or both markers during a switch).
  public static var installed: BackendKind? {
    let present = allCases.filter { access($0.marker, F_OK) == 0 }
    return present.count == 1 ? present[0] : nil
  }

  public func make() -> any MonitoringBackend {
    switch self {
    case .nagios: NagiosBackend()
    case .icinga2: Icinga2Backend()
    }
  }
}
