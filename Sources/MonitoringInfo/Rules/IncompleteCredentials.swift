extension Rule {
  public static let incompleteCredentials = Rule(
    tag: "monitoring-info-incomplete-credentials", severity: .warning,
    summary: "username without password, password without username, or mailflowid without either",
    explanation: """
      A login (imap, pop3) or bind (ldap) needs both 'username' and 'password'. With only one of \
      them the check falls back to an anonymous exchange, which is probably not what was meant. \
      An imap or pop3 check with a 'mailflowid' must log in to collect the flow's token mails.
      """,
    triggering: ["[mail]\ntype = imap\n↓username = monitor\n", "[dir]\ntype = ldap\n↓password = secret\n",
                 "[mail]\ntype = pop3\n↓mailflowid = main\n"],
    nonTriggering: ["[mail]\ntype = imap\nusername = monitor\npassword = secret\n"])
}
