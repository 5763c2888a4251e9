/// The ways `monitoring-info-lint` can print its findings.
public enum OutputFormat: String, Sendable, CaseIterable {
  /// `path:line:col: severity: message [tag]` with the source line and a caret (GNU style).
  case human
  /// `E: PACKAGE: tag note [path:line]`, like lintian's own output.
  case lintian
  /// `PATH<TAB>LINE<TAB>SEVERITY<TAB>TAG<TAB>NOTE`, read by the lintian check.
  case tsv
  /// `{"diagnostics":[...]}` (monitoring-info-lint(1)).
  case json

  /// Renders all findings of a report. `package` names the package in the lintian format;
  /// without it each file's name (less `.conf` or `.monitoring-info`) is used.
  public func render(_ diagnostics: [Diagnostic], files: [SourceFile], package: String? = nil) -> String {
    switch self {
    case .human: HumanRenderer(files: files).render(diagnostics)
    case .lintian: diagnostics.map { LintianRenderer.line($0, package: package) }.joined()
    case .tsv: diagnostics.map(TSVRenderer.line).joined()
    case .json: JSONRenderer.render(diagnostics)
    }
  }
}
