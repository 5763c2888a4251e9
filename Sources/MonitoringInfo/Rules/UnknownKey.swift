extension Rule {
  public static let unknownKey = Rule(
    tag: "monitoring-info-unknown-key", severity: .error,
    summary: "key not defined for this service type",
    explanation: """
      Each type accepts a fixed set of keys (lower case); an unknown one is usually a typo or \
      belongs to another type. 'monitoring-info-lint --explain' and the monitoring-info \
      format description list the keys of every type.
      """,
    triggering: ["[web]\ntype = http\n↓url = /index.html\n", "[db]\ntype = tcp\nport = 5432\n↓uri = /\n",
                 "[web]\ntype = http\n↓Port = 80\n", "[web]\ntype = http\n↓starttls = true\n"],
    nonTriggering: ["[web]\ntype = http\nuri = /index.html\n", "[mail]\ntype = smtp\nstarttls = true\n"])
}
