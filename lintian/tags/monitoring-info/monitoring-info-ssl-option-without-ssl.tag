Tag: monitoring-info-ssl-option-without-ssl
Severity: warning
Check: monitoring-info
Explanation: SSL/TLS option set while ssl is off.
 .
 ssl_hostname, ignore_invalid_ssl and expire_before_days only matter when
 'ssl = true'. Either turn ssl on or drop the option.
See-Also: monitoring-info-lint(1)
