import MonitoringInfo

/// The one CheckCommand of the Icinga 2 backend, generated from the format's schema table, so
/// it knows every key the format knows. An array command (no shell); each key is one
/// `--KEY=VALUE` argument (the value cannot be taken for another option), dropped when the
/// service has no such variable; keys holding secrets go through the environment, never argv
/// (and their variables contain "password", which Icinga Web hides by default).
public enum Icinga2CheckCommand {
  public static let name = "auto-monitor-check"

  public static func variable(_ key: String) -> String { "monitoring_info_" + key }

  /// Every key of every type, in schema order, once.
  static let keys: [KeySpec] = {
    var seen: Set<String> = []
    var keys: [KeySpec] = []
    for type in ServiceType.allCases {
      for key in type.schema.keys where seen.insert(key.name).inserted { keys.append(key) }
    }
    return keys
  }()

  static let knownKeys = Set(keys.map(\.name))

  static func isKnown(_ key: String) -> Bool { knownKeys.contains(key) }

  public static func definition(pluginDirectory: String = "PluginDir") -> [UInt8] {
    var text = Icinga2Renderer.header
    text += "object CheckCommand \"\(name)\" {\n"
    text += "  command = [ \(pluginDirectory) + \"/check_monitoring_info\" ]\n"
    text += "  arguments = {\n"
    text += "    \"type\" = { value = \"$\(variable("type"))$\"; skip_key = true; required = true; order = -2 }\n"
    text += "    \"-H\" = { value = \"$address$\"; order = -1 }\n"
    var environment: [String] = []
    for key in keys {
      if key.kind == .password {
        environment.append("    \(PackageFacts.pluginPasswordVariable) = \"$\(variable(key.name))$\"\n")
        continue
      }
      text += "    \"--\(key.name)\" = { value = \"$\(variable(key.name))$\"; separator = \"=\" }\n"
    }
    text += "  }\n"
    if !environment.isEmpty { text += "  env = {\n" + environment.joined() + "  }\n" }
    text += "}\n"
    return Array(text.utf8)
  }
}
