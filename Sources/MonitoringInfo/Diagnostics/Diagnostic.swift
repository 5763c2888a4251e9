/// A finding in the user's input (as opposed to `MonitoringInfoError`, the tool failing).
public struct Diagnostic: Sendable, Hashable {
  public let rule: Rule
  public let path: String
  /// 1-based; 0 when the whole file is meant.
  public let line: Int
  /// 1-based; 0 when the whole file is meant.
  public let column: Int
  /// Where in the file, for showing the source line; nil for whole-file findings.
  public let range: SourceRange?
  /// What is wrong, naming the offending text.
  public let message: String
  /// How to fix it, e.g. "did you mean 'uri'?".
  public let help: String?

  public init(rule: Rule, in file: SourceFile, at range: SourceRange?, message: String, help: String? = nil) {
    self.rule = rule
    self.path = file.path
    self.range = range
    if let range {
      let location = file.location(of: range.start)
      (line, column) = (location.line, location.column)
    } else {
      (line, column) = (0, 0)
    }
    self.message = message
    self.help = help
  }

  public var tag: String { rule.tag }
  public var severity: Severity { rule.severity }

  /// The message with its help in brackets: the variable part lintian shows after the tag.
  public var note: String {
    guard let help else { return message }
    return "\(message) (\(help))"
  }

  /// `path:line:col: note`, the form debhelper tools put after `error:`; one line whatever
  /// the path and the quoted text hold.
  public var gnuDescription: String {
    let text = line == 0 ? "\(path): \(note)" : "\(path):\(line):\(column): \(note)"
    return singleLine(text)
  }
}
