Tag: monitoring-info-quoted-value
Severity: warning
Check: monitoring-info
Explanation: Value is enclosed in quotes, which become part of it.
 .
 Quotes are not special in monitoring-info files: 'uri = "/status"' asks
 for the path '"/status"'. Remove the quotes unless they really belong to
 the value.
See-Also: monitoring-info-lint(1)
