Tag: monitoring-info-empty-fragment
Severity: warning
Check: monitoring-info
Explanation: Fragment describes no service.
 .
 The file has no '[service]' section, so nothing will be monitored.
 Describe a service or do not ship the file.
See-Also: monitoring-info-lint(1)
