Tag: monitoring-info-ssl-not-supported
Severity: error
Check: monitoring-info
Explanation: SSL/TLS key on a type that cannot use SSL/TLS.
 .
 Only http, tcp, smtp, imap, pop3 and ldap can be checked over SSL/TLS.
 The keys ssl, ssl_hostname, ignore_invalid_ssl and expire_before_days
 are not valid for udp, ssh and mailflow.
See-Also: monitoring-info-lint(1)
