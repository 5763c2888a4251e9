/// The text behind `--list-tags` and `--explain TAG`, made from the rule descriptions.
public enum TagListing {
  public static func list() -> String {
    let width = Rule.all.map(\.tag.count).max() ?? 0
    return Rule.all.map { rule in
      let padded = rule.tag + String(repeating: " ", count: width - rule.tag.count)
      let scope = switch rule.scope {
      case .content: ""
      case .package: " (lintian check only)"
      case .source: " (source package)"
      }
      return "\(rule.severity.lintianCode) \(padded)  \(rule.summary)\(scope)\n"
    }.joined()
  }

  public static func explain(_ rule: Rule) -> String {
    var text = "\(rule.tag) (\(rule.severity.rawValue))\n  \(rule.summary)\n\n"
    text += LintianTagFile.wrap(rule.explanation, width: 76).map { "  \($0)\n" }.joined()
    if !rule.triggering.isEmpty {
      text += "\nReported for:\n" + rule.triggering.map { indent(example($0)) }.joined(separator: "\n")
    }
    if !rule.nonTriggering.isEmpty {
      text += "\nFine:\n" + rule.nonTriggering.map { indent(example($0)) }.joined(separator: "\n")
    }
    if rule.tag != Rule.unknownKey.tag, rule.tag != Rule.missingRequiredKey.tag { return text }
    return text + "\nKeys by type:\n" + keyTable()
  }

  /// Every type with its keys and defaults.
  public static func keyTable() -> String {
    ServiceType.allCases.map { type in
      let schema = type.schema
      let keys = schema.keys.map { key in
        let detail = key.isRequired ? "required" : schema.defaultDescription(key).map { "default \($0)" } ?? "optional"
        return "      \(key.name) (\(detail)): \(key.summary)\n"
      }.joined()
      return "  \(type.rawValue): \(schema.summary)\n\(keys)"
    }.joined()
  }

  private static func example(_ text: String) -> String {
    text.replacing("↓", with: "").replacing("\n---\n", with: "\n# (next file)\n")
  }

  private static func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    \($0)" }.joined(separator: "\n")
  }
}
