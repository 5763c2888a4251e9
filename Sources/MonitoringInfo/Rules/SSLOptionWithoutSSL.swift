extension Rule {
  public static let sslOptionWithoutSSL = Rule(
    tag: "monitoring-info-ssl-option-without-ssl", severity: .warning,
    summary: "SSL/TLS option set while ssl is off",
    explanation: """
      ssl_hostname, ignore_invalid_ssl and expire_before_days only matter when 'ssl = true'. \
      Either turn ssl on or drop the option.
      """,
    triggering: ["[web]\ntype = http\n↓ssl_hostname = www.example.org\n"],
    nonTriggering: ["[web]\ntype = http\nssl = yes\nssl_hostname = www.example.org\n"])
}
