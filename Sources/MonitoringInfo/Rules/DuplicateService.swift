extension Rule {
  public static let duplicateService = Rule(
    tag: "monitoring-info-duplicate-service", severity: .error,
    summary: "the same service name is used in two files",
    explanation: """
      Service names are unique on a host across all files in /etc/monitoring-info, since each \
      becomes one Nagios service of that host. Rename one of them, for example with the \
      package name as a prefix.
      """,
    triggering: ["[web]\ntype = http\n---\n[↓web]\ntype = tcp\nport = 81\n"],
    nonTriggering: ["[web]\ntype = http\n---\n[web-admin]\ntype = tcp\nport = 81\n"])
}
