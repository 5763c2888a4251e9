extension Rule {
  public static let duplicateKey = Rule(
    tag: "monitoring-info-duplicate-key", severity: .error,
    summary: "the same key is set twice in one section",
    explanation: """
      A key may be set only once per service; it is not clear which value is meant. Remove one \
      of the two lines.
      """,
    triggering: ["[web]\ntype = http\nport = 80\n↓port = 8080\n"],
    nonTriggering: ["[web]\ntype = http\nport = 80\n[admin]\ntype = http\nport = 8080\n"])
}
