Tag: monitoring-info-invalid-service-name
Severity: error
Check: monitoring-info
Explanation: Section name is not a valid service name.
 .
 A section name is the service's name in Nagios. It must start with a
 letter or digit, contain only letters, digits, '.', '_' and '-', and be
 at most 64 characters long.
See-Also: monitoring-info-lint(1)
