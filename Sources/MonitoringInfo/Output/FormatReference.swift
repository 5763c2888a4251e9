/// docs/format-reference.md: the types, keys and tags as Markdown, made from the schema table
/// and the rules so the documentation cannot drift from the code.
public enum FormatReference {
  public static let path = "docs/format-reference.md"

  public static func markdown() -> String {
    var text = """
      # monitoring-info format reference

      Generated from the schema table and the lint rules by `make generated`; do not edit.

      Files `/etc/monitoring-info/*.conf` (in a source package: `debian/PACKAGE.monitoring-info`)
      hold one `[service]` section per service and `key = value` lines. A service name is
      `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters, unique on a host. `#` and `;` start a
      comment only at the beginning of a line; inside a value they are part of it, and so are
      quotes. Booleans are `true/false`, `yes/no`, `on/off` or `1/0`. `type` is mandatory.

      ## Types and keys

      """
    for type in ServiceType.allCases {
      let schema = type.schema
      text += "\n### \(type.rawValue)\n\n\(schema.summary.capitalizedFirst).\n\n| key | value | default | meaning |\n|---|---|---|---|\n"
      for key in schema.keys {
        let value = key.kind.expectation.replacing("|", with: "\\|")
        let defaultText = key.isRequired ? "**required**" : key.defaultDescription ?? "unset"
        text += "| `\(key.name)` | \(value) | \(defaultText) | \(key.summary) |\n"
      }
    }
    text += "\n## Lint tags\n\nThe same tags in `monitoring-info-lint`, `dh_monitoringinfo` and the lintian check.\n\n| tag | severity | where | meaning |\n|---|---|---|---|\n"
    for rule in Rule.all {
      let scope = switch rule.scope {
      case .content: "content"
      case .package: "lintian check"
      case .source: "source package"
      }
      text += "| `\(rule.tag)` | \(rule.severity.rawValue) | \(scope) | \(rule.summary) |\n"
    }
    return text
  }
}

extension String {
  var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
