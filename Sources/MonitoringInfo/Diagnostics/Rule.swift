/// One lint tag: its name, severity and the text that explains it. The same descriptions feed
/// the validator, `--list-tags`/`--explain`, the lintian `.tag` files and the example tests.
public struct Rule: Sendable, Hashable {
  public enum Scope: String, Sendable {
    /// Found in a fragment's text (linter, dh_monitoringinfo, lintian check).
    case content
    /// Found in a built package's layout (lintian check only).
    case package
    /// Found in a source package's debian/ directory (dh_monitoringinfo warns, the lintian
    /// check reports it on the source package).
    case source
  }

  public let tag: String
  public let severity: Severity
  public let scope: Scope
  public let summary: String
  public let explanation: String
  /// Fragments that must produce this tag. `↓` marks where (line and column) it is reported;
  /// an example without `↓` expects a whole-file finding (line 0). Several files of one example
  /// are separated by a line `---`.
  public let triggering: [String]
  /// Fragments that must not produce this tag.
  public let nonTriggering: [String]
  public let seeAlso: [String]

  public init(
    tag: String, severity: Severity, scope: Scope = .content, summary: String, explanation: String,
    triggering: [String] = [], nonTriggering: [String] = [], seeAlso: [String] = []
  ) {
    self.tag = tag
    self.severity = severity
    self.scope = scope
    self.summary = summary
    self.explanation = explanation
    self.triggering = triggering
    self.nonTriggering = nonTriggering
    self.seeAlso = seeAlso
  }

  public static func == (lhs: Rule, rhs: Rule) -> Bool { lhs.tag == rhs.tag }
  public func hash(into hasher: inout Hasher) { hasher.combine(tag) }

  public static func named(_ tag: String) -> Rule? { all.first { $0.tag == tag } }
}
