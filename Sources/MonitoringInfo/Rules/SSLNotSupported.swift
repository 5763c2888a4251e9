extension Rule {
  public static let sslNotSupported = Rule(
    tag: "monitoring-info-ssl-not-supported", severity: .error,
    summary: "SSL/TLS key on a type that cannot use SSL/TLS",
    explanation: """
      Only http, tcp, smtp, imap, pop3 and ldap can be checked over SSL/TLS. The keys ssl, \
      ssl_hostname, ignore_invalid_ssl and expire_before_days are not valid for udp, ssh and \
      mailflow.
      """,
    triggering: ["[shell]\ntype = ssh\n↓ssl = true\n"],
    nonTriggering: ["[web]\ntype = http\nssl = true\n"])
}
