import MonitoringInfo

/// One file of explicit Icinga 2 objects per host (`object Host`, `object Service`; no `apply`
/// rules: with tens of thousands of hosts those cost minutes at every validation). A check may
/// run on a node that has no copy of the registration, so each service carries its parameters
/// as custom variables `monitoring_info_KEY`, which the generated `auto-monitor-check`
/// CheckCommand passes to the plugin as single `--KEY=VALUE` arguments (passwords through the
/// environment). Every value passed the format's validation before it gets here; it is written
/// as a DSL string literal (`Icinga2Literal`), so it can neither end the string nor be taken
/// for a macro.
public struct Icinga2Renderer: Sendable {
  public static let header = NagiosRenderer.header

  public init() {}

  /// `placement` says where the checks run: on a satellite the objects move to (the file's
  /// directory), or through `command_endpoint` (see `HostPlacement`).
  public func render(
    host: String, services: [RegisteredService], overrides: Overrides = Overrides(), placement: HostPlacement = .master
  ) -> [UInt8] {
    precondition(HostName.isValid(host) && services.allSatisfy { ServiceName.isValid($0.name) })
    var text = Self.header
    if let zone = placement.checkingZone { text += "# checked by zone " + zone + ": " + placement.reason + "\n" }
    text += "object Host " + Icinga2Literal.string(host) + " {\n"
    text += "  import \"auto-monitor-host\"\n"
    text += "  address = " + Icinga2Literal.string(host) + "\n"
    if let endpoint = placement.commandEndpoint { text += "  command_endpoint = " + Icinga2Literal.string(endpoint) + "\n" }
    text += Self.attributes(overrides.settings(host: host, service: nil), groups: "hostgroups")
    text += "}\n"
    for service in services where !overrides.isDisabled(host: host, service: service.name) {
      text += "\nobject Service " + Icinga2Literal.string(service.name) + " {\n"
      text += "  import \"auto-monitor-service\"\n"
      text += "  host_name = " + Icinga2Literal.string(host) + "\n"
      text += "  check_command = \"" + Icinga2CheckCommand.name + "\"\n"
      if let endpoint = placement.endpoint(service: service.name) {
        text += "  command_endpoint = " + Icinga2Literal.string(endpoint) + "\n"
      }
      text += "  vars." + Icinga2CheckCommand.variable("type") + " = " + Icinga2Literal.string(service.type) + "\n"
      for (key, value) in service.params.sorted(by: { $0.key < $1.key }) where Icinga2CheckCommand.isKnown(key) {
        text += "  vars." + Icinga2CheckCommand.variable(key) + " = " + Icinga2Literal.string(value) + "\n"
      }
      text += Self.attributes(overrides.settings(host: host, service: service.name), groups: "servicegroups")
      text += "}\n"
    }
    return Array(text.utf8)
  }

  /// Overrides in Icinga's terms. Nagios counts intervals in minutes (interval_length 60), so
  /// the same number means minutes here too; settings Icinga keeps in Notification objects
  /// (contacts, notification periods and intervals) become `vars.auto_monitor_SETTING` for the
  /// administrator's notification rules. Values were checked strictly by `Overrides`.
  static func attributes(_ settings: [(String, String)], groups: String) -> String {
    var text = ""
    for (setting, value) in settings {
      let names = value.split(separator: ",").map { Icinga2Literal.string(String($0)) }.joined(separator: ", ")
      switch setting {
      case "check_interval", "retry_interval": text += "  \(setting) = \(value)m\n"
      case "max_check_attempts": text += "  max_check_attempts = \(value)\n"
      case "check_period": text += "  check_period = " + Icinga2Literal.string(value) + "\n"
      case "notifications_enabled": text += "  enable_notifications = \(value == "1")\n"
      case "active_checks_enabled": text += "  enable_active_checks = \(value == "1")\n"
      case groups: text += "  groups = [ \(names) ]\n"
      case "notification_interval", "first_notification_delay": text += "  vars.auto_monitor_\(setting) = \(value)m\n"
      case "contacts", "contact_groups", "hostgroups", "servicegroups": text += "  vars.auto_monitor_\(setting) = [ \(names) ]\n"
      default: text += "  vars.auto_monitor_\(setting) = " + Icinga2Literal.string(value) + "\n"
      }
    }
    return text
  }

  /// Service names in a file `render` wrote (for finding hosts that gained services).
  public static func services(in bytes: [UInt8]) -> [String] {
    var names: [String] = []
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("object Service \"") {
      let name = line.dropFirst("object Service \"".count).prefix { $0 != "\"" }
      if ServiceName.isValid(String(name)) { names.append(String(name)) }
    }
    return names
  }
}

/// Icinga 2 DSL string literals.
public enum Icinga2Literal {
  /// `"..."` with `\` and `"` escaped, control characters as escapes (`\n`, `\001`), UTF-8 as
  /// it is, and `$` doubled: Icinga resolves macros in custom variables again when a command
  /// uses them (`"$host.name$"` would arrive as the host's name), and `$$` is its literal
  /// dollar sign.
  public static func string(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "$": output += "$$"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        // The format refuses control characters; should one come, it stays a literal byte.
        let octal = String(scalar.value, radix: 8)
        output += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }
}
