extension Rule {
  public static let duplicateSection = Rule(
    tag: "monitoring-info-duplicate-section", severity: .error,
    summary: "the same [service] appears twice in one file",
    explanation: """
      Each service is described by exactly one section. Merge the two sections, or give the \
      second service a name of its own.
      """,
    triggering: ["[web]\ntype = http\n[↓web]\ntype = tcp\nport = 81\n"],
    nonTriggering: ["[web]\ntype = http\n[web-admin]\ntype = tcp\nport = 81\n"])
}
