extension Rule {
  public static let keyOutsideSection = Rule(
    tag: "monitoring-info-key-outside-section", severity: .error,
    summary: "key = value before the first [service] header",
    explanation: """
      Every key belongs to a service, so it must come after a '[service]' header. Add a header \
      naming the service above the key, or move the key into an existing section.
      """,
    triggering: ["↓type = http\n[web]\ntype = http\n"],
    nonTriggering: ["[web]\ntype = http\n"])
}
