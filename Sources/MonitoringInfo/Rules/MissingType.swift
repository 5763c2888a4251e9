extension Rule {
  public static let missingType = Rule(
    tag: "monitoring-info-missing-type", severity: .error,
    summary: "service has no 'type' key",
    explanation: """
      'type' says which check monitors the service and is mandatory in every section. Add a \
      line such as 'type = http'.
      """,
    triggering: ["[↓web]\nport = 80\n"],
    nonTriggering: ["[web]\nport = 80\ntype = http\n"])
}
