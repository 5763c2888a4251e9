import Glibc
import MonitoringInfo

/// `/etc/auto-monitor-server/server.conf` (`key = value`, `#` comments): where the server keeps
/// its state and how it reaches the monitoring system (Nagios 4 or Icinga 2). Every program
/// takes `--config FILE`, so tests run a whole server in a temporary directory.
public struct ServerSettings: Sendable {
  public static let defaultPath = "/etc/auto-monitor-server/server.conf"

  public var configPath = ServerSettings.defaultPath
  /// Keys, registrations, tickets, requests: the core's, kept across a change of backend.
  public var stateDirectory = "/var/lib/auto-monitor-server"
  /// The backend; nil means the one whose package is installed (`BackendKind.installed`).
  public var backendSetting: BackendKind?
  /// What the Nagios backend generates (generations, live link, status, quarantine).
  public var nagiosDirectory = "/var/lib/auto-monitor-server-nagios"
  /// What the Icinga 2 backend generates.
  public var icinga2Directory = "/var/lib/auto-monitor-server-icinga2"
  /// The ssh account clients log in as (it runs the receiver).
  public var user = "automon"
  public var receiver = "/usr/libexec/auto-monitor/monitoring-info-receive"
  public var nagiosConfig = "/etc/nagios4/nagios.cfg"
  public var nagiosBinary = "/usr/sbin/nagios4"
  /// The user the apply step runs as: the one the monitoring system runs as (Debian's nagios4
  /// and icinga2 both run as `nagios`).
  public var nagiosUser = "nagios"
  public var templates = "/etc/auto-monitor-server/nagios-templates.cfg"
  public var icinga2 = Icinga2Settings()
  public var overrides = "/etc/auto-monitor-server/overrides.conf"
  /// Satellite zones (Icinga 2): one `ZONE.conf` each, see `ZoneMap`.
  public var zonesDirectory = "/etc/auto-monitor-server/zones"
  /// Unbound keys waiting for `accept`, at most.
  public var maximumPending = 64
  /// At most this many receivers store a registration at once (`max_receivers`); one more
  /// answers `busy` (see ReceiverSlots). 0: no limit.
  public var maximumReceivers = 32
  /// The `retry_after` of a `busy` reply, in seconds (`busy_retry_after`).
  public var busyRetryAfter = 10
  /// A host that has not registered for this many days is listed as stale.
  public var staleDays = 30

  public init() {}

  public var registrations: String { stateDirectory + "/registrations" }
  public var keys: String { stateDirectory + "/keys" }
  public var pending: String { stateDirectory + "/pending" }
  /// ReceiverSlots' lock files.
  public var slots: String { stateDirectory + "/slots" }
  public var secret: String { stateDirectory + "/secret" }
  public var applyDirectory: String { stateDirectory + "/apply" }
  public var applyMark: String { applyDirectory + "/requested" }
  /// The backend in use: the setting, else the installed backend package, else Nagios (whose
  /// absence the apply step reports).
  public var backend: BackendKind { backendSetting ?? BackendKind.installed ?? .nagios }
  /// A backend is set or installed (the core alone has nothing to apply to).
  public var hasBackend: Bool { backendSetting != nil || BackendKind.installed != nil }
  /// "Nagios", "Icinga 2", or "the monitoring system" while no backend is installed.
  public var monitoringSystem: String { hasBackend ? backend.displayName : "the monitoring system" }
  /// Written by the apply step (user nagios): generations, the live link, status, quarantine.
  public var backendDirectory: String { backend == .icinga2 ? icinga2Directory : nagiosDirectory }
  public var liveLink: String { backendDirectory + "/live" }
  public var statusFile: String { backendDirectory + "/status.json" }
  public var quarantine: String { backendDirectory + "/quarantine" }

  public func registration(_ host: String) -> String { registrations + "/" + host + ".json" }

  /// Reads the settings file; a missing default file means the defaults.
  public static func load(_ path: String?) throws(ServerError) -> ServerSettings {
    var settings = ServerSettings()
    let file = path ?? defaultPath
    settings.configPath = file
    let bytes: [UInt8]
    do { bytes = try FileReader.read(file, limit: 65536) } catch {
      if path == nil && access(file, F_OK) != 0 { return settings }
      throw ServerError("\(file): cannot read: \(error)")
    }
    let entries: [KeyValueFile.Entry]
    do { entries = try KeyValueFile.parse(String(decoding: bytes, as: UTF8.self), path: file) } catch {
      throw ServerError(error.description)
    }
    for entry in entries {
      let (key, value, lineNumber) = (entry.key, entry.value, entry.line)
      func number() throws(ServerError) -> Int {
        guard let n = Int(value), n >= 0 else { throw ServerError("\(file):\(lineNumber): '\(key)' needs a number") }
        return n
      }
      switch key {
      case "state_dir": settings.stateDirectory = value
      case "backend":
        guard let kind = BackendKind(rawValue: value) else {
          throw ServerError("\(file):\(lineNumber): 'backend' is nagios or icinga2, not '\(value)'")
        }
        settings.backendSetting = kind
      case "nagios_dir": settings.nagiosDirectory = value
      case "icinga2_dir": settings.icinga2Directory = value
      case "icinga2_binary": settings.icinga2.binary = value
      case "icinga2_config": settings.icinga2.config = value
      case "icinga2_define": settings.icinga2.defines.append(value)
      case "icinga2_pid_file": settings.icinga2.pidFile = value
      case "icinga2_zones_dir": settings.icinga2.zonesDirectory = value
      case "icinga2_zone": settings.icinga2.zone = value
      case "icinga2_global_zone": settings.icinga2.globalZone = value
      case "icinga2_templates": settings.icinga2.templates = value
      case "icinga2_api": settings.icinga2.api = value
      case "icinga2_api_server_name": settings.icinga2.apiServerName = value
      case "icinga2_api_user": settings.icinga2.apiUser = value
      case "icinga2_api_password_file": settings.icinga2.apiPasswordFile = value
      case "icinga2_ca_file": settings.icinga2.caFile = value
      case "user": settings.user = value
      case "receiver": settings.receiver = value
      case "nagios_config": settings.nagiosConfig = value
      case "nagios_binary": settings.nagiosBinary = value
      case "nagios_user": settings.nagiosUser = value
      case "templates": settings.templates = value
      case "overrides": settings.overrides = value
      case "zones_dir": settings.zonesDirectory = value
      case "max_pending": settings.maximumPending = try number()
      case "max_receivers": settings.maximumReceivers = try number()
      case "busy_retry_after": settings.busyRetryAfter = try number()
      case "stale_days": settings.staleDays = try number()
      default: throw ServerError("\(file):\(lineNumber): unknown setting '\(key)' (see auto-monitor-server(8))")
      }
      if value.isEmpty { throw ServerError("\(file):\(lineNumber): '\(key)' has no value") }
    }
    return settings
  }
}

/// A failure with a message for a person: what, where, and what to do.
public struct ServerError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// A system-layer step inside the server's error domain.
func serverError<T>(_ body: () throws -> T) throws(ServerError) -> T {
  do { return try body() } catch { throw ServerError("\(error)") }
}
