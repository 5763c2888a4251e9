Tag: monitoring-info-missing-type
Severity: error
Check: monitoring-info
Explanation: Service has no 'type' key.
 .
 'type' says which check monitors the service and is mandatory in every
 section. Add a line such as 'type = http'.
See-Also: monitoring-info-lint(1)
