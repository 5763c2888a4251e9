/// The GNU form with the offending source line and a caret under the reported text:
///
///     debian/apache2.monitoring-info:3:1: error: unknown key 'url' for type 'http' [monitoring-info-unknown-key]
///       |
///     3 | url = /index.html
///       | ^^^
///       = help: did you mean 'uri'?
struct HumanRenderer {
  /// Lines longer than this are cut around the caret for display.
  static let displayWidth = 120
  let filesByPath: [String: SourceFile]

  init(files: [SourceFile]) {
    var byPath: [String: SourceFile] = [:]
    for file in files { byPath[file.path] = file }
    filesByPath = byPath
  }

  func render(_ diagnostics: [Diagnostic]) -> String {
    var output = ""
    for diagnostic in diagnostics {
      let path = singleLine(diagnostic.path)
      let position = diagnostic.line == 0 ? path : "\(path):\(diagnostic.line):\(diagnostic.column)"
      output += "\(position): \(diagnostic.severity.rawValue): \(singleLine(diagnostic.message)) [\(diagnostic.tag)]\n"
      if let range = diagnostic.range, let file = filesByPath[diagnostic.path] {
        output += snippet(file, range, line: diagnostic.line, column: diagnostic.column)
      }
      if let help = diagnostic.help {
        output += "\(gutter(diagnostic.line)) = help: \(singleLine(help))\n"
      }
    }
    return output
  }

  private func snippet(_ file: SourceFile, _ range: SourceRange, line: Int, column: Int) -> String {
    var text = Array(singleLine(file.lineText(containing: range.start)).unicodeScalars)
    var caretColumn = column - 1
    let width = max(1, file.text(range).unicodeScalars.count)
    var caretWidth = min(width, max(1, text.count - caretColumn))
    if text.count > Self.displayWidth {
      let start = max(0, min(caretColumn - Self.displayWidth / 2, text.count - Self.displayWidth))
      let end = min(text.count, start + Self.displayWidth)
      text = (start > 0 ? ["…"] : []) + Array(text[start..<end]) + (end < text.count ? ["…"] : [])
      caretColumn = caretColumn - start + (start > 0 ? 1 : 0)
      caretWidth = max(1, min(caretWidth, text.count - caretColumn))
    }
    let pad = gutter(line)
    return """
      \(pad) |
      \(line) | \(String(String.UnicodeScalarView(text)))
      \(pad) | \(String(repeating: " ", count: max(0, caretColumn)))\(String(repeating: "^", count: caretWidth))

      """
  }

  private func gutter(_ line: Int) -> String {
    String(repeating: " ", count: max(1, String(line).count))
  }
}
