extension Rule {
  public static let syntaxError = Rule(
    tag: "monitoring-info-syntax-error", severity: .error,
    summary: "line is not a section header, a key = value pair or a comment",
    explanation: """
      A monitoring-info fragment is an INI-style UTF-8 text file. Every line must be blank, a \
      comment starting with '#' or ';', a section header '[service]', or 'key = value'. Invalid \
      UTF-8, NUL bytes and other control characters are errors too.
      """,
    triggering: ["[web]\ntype = http\n↓port 8080\n", "[web]\ntype = http\n↓port: 8080\n", "↓[web\ntype = http\n",
                 "[web]\ntype = http\nuri = /a↓\u{1}b\n", "[web]\ntype = http\n↓= 80\n"],
    nonTriggering: ["[web]\ntype = http\nport = 8080\n", "# comment\n; comment\n\n[web]\r\ntype = http\r\n"],
    seeAlso: ["monitoring-info-lint(1)"])
}
