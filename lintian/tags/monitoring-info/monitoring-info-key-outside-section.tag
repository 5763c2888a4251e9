Tag: monitoring-info-key-outside-section
Severity: error
Check: monitoring-info
Explanation: Key = value before the first [service] header.
 .
 Every key belongs to a service, so it must come after a '[service]'
 header. Add a header naming the service above the key, or move the key
 into an existing section.
See-Also: monitoring-info-lint(1)
