extension Rule {
  public static let invalidValue = Rule(
    tag: "monitoring-info-invalid-value", severity: .error,
    summary: "value does not fit its key",
    explanation: """
      Ports are numbers from 1 to 65535, booleans are true/false, yes/no, on/off or 1/0, 'uri' \
      starts with '/', host names are DNS names or IP addresses, 'email' is an address, \
      'seconds' and 'expire_before_days' are whole numbers, 'mailflowid' and 'id' use the \
      characters of a service name. No value may be empty.
      """,
    triggering: ["[web]\ntype = http\nport = ↓eighty\n", "[web]\ntype = http\naccept_redirection = ↓maybe\n",
                 "[web]\ntype = http\nuri = ↓index.html\n", "[web]\ntype = http\nport = ↓70000\n",
                 "[mail]\ntype = smtp\nemail = ↓postmaster\n", "[web]\ntype = http\nuri =↓\n"],
    nonTriggering: ["[web]\ntype = http\nport = 8080\naccept_redirection = no\nuri = /status?full=1\n"])
}
