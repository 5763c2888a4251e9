import MonitoringInfo

/// Nagios' `status.dat` (`status_file` in nagios.cfg), which the daemon rewrites every
/// `status_update_interval` seconds: the current state of every service. The one reader of it,
/// for `auto-monitor-server show` and for the tests and tools that wait for a first result.
///
///     servicestatus {
///         host_name=web1.example.org
///         service_description=apache2
///         has_been_checked=1
///         current_state=0
///         plugin_output=HTTP OK - 200 in 0.004 s
///         last_check=1765000000
///         }
public enum NagiosStatus {
  /// Every service of `host` that status.dat lists, in the file's order.
  public static func services(of host: String, in bytes: [UInt8]) -> [ServiceState] {
    var result: [ServiceState] = []
    var fields: [Substring: Substring]?
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let text = line.trimmingWhitespace
      if text == "servicestatus {" {
        fields = [:]
      } else if text == "}" {
        if let block = fields, block["host_name"].map(String.init) == host, let name = block["service_description"] {
          let checked = block["has_been_checked"] == "1"
          result.append(ServiceState(
            name: String(name), state: checked ? Int(block["current_state"] ?? "").flatMap(ServiceState.Status.init) : nil,
            output: String(block["plugin_output"] ?? ""), lastCheck: checked ? Int(block["last_check"] ?? "") : nil))
        }
        fields = nil
      } else if fields != nil, let equals = text.firstIndex(of: "=") {
        let key = text[..<equals]
        if key == "host_name" || key == "service_description" || key == "has_been_checked" || key == "current_state"
          || key == "plugin_output" || key == "last_check"
        {
          fields![key] = text[text.index(after: equals)...]
        }
      }
    }
    return result
  }
}
