extension Rule {
  public static let missingRequiredKey = Rule(
    tag: "monitoring-info-missing-required-key", severity: .error,
    summary: "a key this type needs is missing",
    explanation: """
      Some types cannot be checked without certain keys: tcp and udp need 'port', mailflow \
      needs 'seconds' and 'id'. Add the missing key to the section.
      """,
    triggering: ["[↓db]\ntype = tcp\n", "[↓flow]\ntype = mailflow\nid = main\n"],
    nonTriggering: ["[db]\ntype = tcp\nport = 5432\n"])
}
