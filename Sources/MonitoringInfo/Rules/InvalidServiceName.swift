extension Rule {
  public static let invalidServiceName = Rule(
    tag: "monitoring-info-invalid-service-name", severity: .error,
    summary: "section name is not a valid service name",
    explanation: """
      A section name is the service's name in Nagios. It must start with a letter or digit, \
      contain only letters, digits, '.', '_' and '-', and be at most 64 characters long.
      """,
    triggering: ["[↓web server]\ntype = http\n", "[↓-web]\ntype = http\n", "[↓]\ntype = http\n"],
    nonTriggering: ["[web-server_1.main]\ntype = http\n"])
}
