/// `{"diagnostics":[{"path":...,"line":3,"column":1,"severity":"error","tag":...,"message":...}]}`.
/// Written by hand: the shape is fixed and small, and Foundation's encoder costs start-up time.
enum JSONRenderer {
  static func render(_ diagnostics: [Diagnostic]) -> String {
    var output = "{\"diagnostics\":["
    for (index, diagnostic) in diagnostics.enumerated() {
      if index > 0 { output += "," }
      output += "{\"path\":\(JSONValue.quoted(diagnostic.path)),\"line\":\(diagnostic.line),\"column\":\(diagnostic.column),"
      output += "\"severity\":\"\(diagnostic.severity.rawValue)\",\"tag\":\"\(diagnostic.tag)\","
      output += "\"message\":\(JSONValue.quoted(diagnostic.message))"
      if let help = diagnostic.help { output += ",\"help\":\(JSONValue.quoted(help))" }
      output += "}"
    }
    return output + "]}\n"
  }
}
