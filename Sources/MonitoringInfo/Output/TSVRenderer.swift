/// `PATH<TAB>LINE<TAB>SEVERITY<TAB>TAG<TAB>NOTE`: the machine form the lintian check reads.
enum TSVRenderer {
  static func line(_ diagnostic: Diagnostic) -> String {
    [singleLine(diagnostic.path), String(diagnostic.line), diagnostic.severity.rawValue, diagnostic.tag, singleLine(diagnostic.note)]
      .joined(separator: "\t") + "\n"
  }
}
