extension Rule {
  public static let incompleteCredentials = Rule(
    tag: "monitoring-info-incomplete-credentials", severity: .warning,
    summary: "username without password, or password without username",
    explanation: """
      A login (imap, pop3) or bind (ldap) needs both 'username' and 'password'. With only one of \
      them the check falls back to an anonymous exchange, which is probably not what was meant.
      """,
    triggering: ["[mail]\ntype = imap\n↓username = monitor\n", "[dir]\ntype = ldap\n↓password = secret\n"],
    nonTriggering: ["[mail]\ntype = imap\nusername = monitor\npassword = secret\n"])
}
