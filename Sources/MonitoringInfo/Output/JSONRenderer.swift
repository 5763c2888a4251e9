/// `{"diagnostics":[{"path":...,"line":3,"column":1,"severity":"error","tag":...,"message":...}]}`.
/// Written by hand: the shape is fixed and small, and Foundation's encoder costs start-up time.
enum JSONRenderer {
  static func render(_ diagnostics: [Diagnostic]) -> String {
    var output = "{\"diagnostics\":["
    for (index, diagnostic) in diagnostics.enumerated() {
      if index > 0 { output += "," }
      output += "{\"path\":\(quoted(diagnostic.path)),\"line\":\(diagnostic.line),\"column\":\(diagnostic.column),"
      output += "\"severity\":\"\(diagnostic.severity.rawValue)\",\"tag\":\"\(diagnostic.tag)\","
      output += "\"message\":\(quoted(diagnostic.message))"
      if let help = diagnostic.help { output += ",\"help\":\(quoted(help))" }
      output += "}"
    }
    return output + "]}\n"
  }

  /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
  static func quoted(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }
}
