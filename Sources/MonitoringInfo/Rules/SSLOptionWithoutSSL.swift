extension Rule {
  public static let sslOptionWithoutSSL = Rule(
    tag: "monitoring-info-ssl-option-without-ssl", severity: .warning,
    summary: "SSL/TLS option set while ssl (and starttls) is off",
    explanation: """
      ssl_hostname, ignore_invalid_ssl and expire_before_days only matter when the check uses \
      TLS: with 'ssl = true', or for smtp, imap, pop3 and ldap with 'starttls = true'. Either \
      turn one of them on or drop the option.
      """,
    triggering: ["[web]\ntype = http\n↓ssl_hostname = www.example.org\n",
                 "[mail]\ntype = smtp\nstarttls = false\n↓expire_before_days = 14\n"],
    nonTriggering: ["[web]\ntype = http\nssl = yes\nssl_hostname = www.example.org\n",
                    "[mail]\ntype = smtp\nstarttls = true\nexpire_before_days = 14\nssl_hostname = mx.example.org\n"])
}
