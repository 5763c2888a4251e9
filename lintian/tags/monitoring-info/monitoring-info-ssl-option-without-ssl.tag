Tag: monitoring-info-ssl-option-without-ssl
Severity: warning
Check: monitoring-info
Explanation: SSL/TLS option set while ssl (and starttls) is off.
 .
 ssl_hostname, ignore_invalid_ssl and expire_before_days only matter when
 the check uses TLS: with 'ssl = true', or for smtp, imap, pop3 and ldap
 with 'starttls = true'. Either turn one of them on or drop the option.
See-Also: monitoring-info-lint(1)
