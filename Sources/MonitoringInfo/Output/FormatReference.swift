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

      ## TLS

      http, tcp, smtp, imap, pop3 and ldap can be checked over TLS, in one of two ways:

      - `ssl = true`: TLS from the first byte, on the implicit-TLS port (443, 465, 993, 995, 636
        by default).
      - `starttls = true` (smtp, imap, pop3 and ldap only): a plain connection to the plain port
        (25, 143, 110, 389 by default; 587 is a `port` away), switched to TLS inside the protocol
        before anything else is done: smtp `EHLO` then `STARTTLS`, imap `STARTTLS`, pop3 `STLS`,
        ldap the StartTLS extended operation (1.3.6.1.4.1.1466.20037). A server that does not
        offer it fails the check; nothing, credentials least of all, is sent before TLS but what
        the protocol needs to ask for it. Everything after (smtp's second `EHLO`, the login, the
        mail flow) runs inside TLS.

      The two exclude each other (`monitoring-info-ssl-with-starttls`). With either, the
      certificate is judged the same way: not expired (nor any certificate of its chain), its
      name matches `ssl_hostname`, it chains to a CA the monitoring server trusts, and with
      `expire_before_days` it does not expire within that many days. `ignore_invalid_ssl` skips
      those checks but not TLS itself.

      ## Types and keys

      """
    for type in ServiceType.allCases {
      let schema = type.schema
      text += "\n### \(type.rawValue)\n\n\(schema.summary.capitalizedFirst).\n\n| key | value | default | meaning |\n|---|---|---|---|\n"
      for key in schema.keys {
        let value = key.kind.expectation.replacing("|", with: "\\|")
        let defaultText = key.isRequired ? "**required**" : schema.defaultDescription(key) ?? "unset"
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
