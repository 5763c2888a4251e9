import MonitoringInfo

/// The few paths the apply step needs from `nagios.cfg`: the pid in `lock_file`, objects.cache,
/// the command file. The defaults are Debian 12's values, used only where nagios.cfg says nothing.
public struct NagiosMainConfig: Sendable {
  public var lockFile = "/var/run/nagios4/nagios4.pid"
  public var objectCache = "/var/lib/nagios4/objects.cache"
  public var commandFile = "/var/lib/nagios4/rw/nagios.cmd"
  public var statusFile = "/var/lib/nagios4/status.dat"

  public static func load(_ path: String) throws(ServerError) -> NagiosMainConfig {
    var config = NagiosMainConfig()
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path, limit: 1 << 20) } catch { throw ServerError("\(path): cannot read: \(error)") }
    // nagios.cfg is Nagios' to judge: lines that are not `key=value` are passed over.
    let entries = (try? KeyValueFile.parse(String(decoding: bytes, as: UTF8.self), path: path, skippingOtherLines: true)) ?? []
    for entry in entries {
      let (key, value) = (entry.key, entry.value)
      switch key {
      case "lock_file": config.lockFile = value
      case "object_cache_file": config.objectCache = value
      case "command_file": config.commandFile = value
      case "status_file": config.statusFile = value
      default: break
      }
    }
    return config
  }
}
