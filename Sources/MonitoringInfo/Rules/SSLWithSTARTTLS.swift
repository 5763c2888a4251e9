extension Rule {
  public static let sslWithSTARTTLS = Rule(
    tag: "monitoring-info-ssl-with-starttls", severity: .error,
    summary: "ssl and starttls both on",
    explanation: """
      'ssl = true' means TLS from the first byte, on the implicit-TLS port (465, 993, 995, 636); \
      'starttls = true' means a plain connection to the protocol's usual port (25 or 587, 143, \
      110, 389) that the protocol's STARTTLS command (STLS for pop3, the StartTLS extended \
      operation for ldap) switches to TLS. A server offers one or the other on a port, never \
      both, so a service can have only one of them. Mail and directory servers mostly offer \
      STARTTLS: keep 'starttls = true' and drop 'ssl'.
      """,
    triggering: ["[mail]\ntype = smtp\nssl = true\n↓starttls = true\n",
                 "[mailbox]\ntype = imap\nstarttls = yes\nport = 143\n↓ssl = on\n"],
    nonTriggering: ["[mail]\ntype = smtp\nstarttls = true\nexpire_before_days = 14\n",
                    "[mail]\ntype = smtp\nssl = true\nstarttls = false\n",
                    "[directory]\ntype = ldap\nssl = no\nstarttls = yes\n"])
}
