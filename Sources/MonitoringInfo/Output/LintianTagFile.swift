/// The lintian `.tag` file of a rule (lintian 2.116 format). Generated, never edited by hand:
/// `make generated`.
public enum LintianTagFile {
  public static let checkName = "monitoring-info"

  public static func fileName(_ rule: Rule) -> String { "\(rule.tag).tag" }

  public static func render(_ rule: Rule) -> String {
    var text = "Tag: \(rule.tag)\nSeverity: \(rule.severity.rawValue)\nCheck: \(checkName)\nExplanation: \(rule.summary.capitalizedFirst).\n .\n"
    text += wrap(rule.explanation, width: 72).map { " \($0)\n" }.joined()
    let seeAlso = ["monitoring-info-lint(1)"] + rule.seeAlso.filter { $0 != "monitoring-info-lint(1)" }
    text += "See-Also: \(seeAlso.joined(separator: ", "))\n"
    return text
  }

  static func wrap(_ paragraph: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in paragraph.split(separator: " ") {
      if !current.isEmpty && current.count + 1 + word.count > width {
        lines.append(current)
        current = ""
      }
      current += current.isEmpty ? String(word) : " " + word
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }
}

