extension Rule {
  public static let emptyFragment = Rule(
    tag: "monitoring-info-empty-fragment", severity: .warning,
    summary: "fragment describes no service",
    explanation: """
      The file has no '[service]' section, so nothing will be monitored. Describe a service or \
      do not ship the file.
      """,
    triggering: ["# nothing here yet\n", ""],
    nonTriggering: ["[web]\ntype = http\n"])
}
