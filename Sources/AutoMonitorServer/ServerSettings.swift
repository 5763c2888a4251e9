import Glibc
import MonitoringInfo

/// `/etc/auto-monitor-server/server.conf` (`key = value`, `#` comments): where the server keeps
/// its state and how it reaches Nagios. Every program takes `--config FILE`, so tests run a
/// whole server in a temporary directory.
public struct ServerSettings: Sendable {
  public static let defaultPath = "/etc/auto-monitor-server/server.conf"

  public var configPath = ServerSettings.defaultPath
  public var stateDirectory = "/var/lib/auto-monitor-server-nagios"
  /// The ssh account clients log in as (it runs the receiver).
  public var user = "automon"
  public var receiver = "/usr/libexec/auto-monitor/monitoring-info-receive"
  public var nagiosConfig = "/etc/nagios4/nagios.cfg"
  public var nagiosBinary = "/usr/sbin/nagios4"
  /// The user the apply step runs as: the one Nagios runs as.
  public var nagiosUser = "nagios"
  public var templates = "/etc/auto-monitor-server/nagios-templates.cfg"
  public var overrides = "/etc/auto-monitor-server/overrides.conf"
  /// Unbound keys waiting for `accept`, at most.
  public var maximumPending = 64
  /// A host that has not registered for this many days is listed as stale.
  public var staleDays = 30

  public init() {}

  public var registrations: String { stateDirectory + "/registrations" }
  public var hosts: String { stateDirectory + "/hosts" }
  public var keys: String { stateDirectory + "/keys" }
  public var pending: String { stateDirectory + "/pending" }
  public var secret: String { stateDirectory + "/secret" }
  public var applyDirectory: String { stateDirectory + "/apply" }
  public var applyMark: String { applyDirectory + "/requested" }
  /// Written by the apply step (user nagios): generations, the live link, status, quarantine.
  public var nagiosDirectory: String { stateDirectory + "/nagios" }
  public var liveLink: String { nagiosDirectory + "/live" }
  public var statusFile: String { nagiosDirectory + "/status.json" }
  public var quarantine: String { nagiosDirectory + "/quarantine" }

  public func registration(_ host: String) -> String { registrations + "/" + host + ".json" }
  public func hostFile(_ host: String) -> String { hosts + "/" + host + ".cfg" }

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
      case "user": settings.user = value
      case "receiver": settings.receiver = value
      case "nagios_config": settings.nagiosConfig = value
      case "nagios_binary": settings.nagiosBinary = value
      case "nagios_user": settings.nagiosUser = value
      case "templates": settings.templates = value
      case "overrides": settings.overrides = value
      case "max_pending": settings.maximumPending = try number()
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
