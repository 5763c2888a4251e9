extension Rule {
  public static let unknownType = Rule(
    tag: "monitoring-info-unknown-type", severity: .error,
    summary: "'type' names no known service type",
    explanation: """
      The known types are http, tcp, udp, smtp, imap, pop3, mailflow, ldap and ssh (lower case). \
      For a service that speaks none of these protocols, use tcp or udp with its port.
      """,
    triggering: ["[web]\ntype = ↓htp\n", "[web]\ntype = ↓HTTP\n"],
    nonTriggering: ["[web]\ntype = http\n"])
}
