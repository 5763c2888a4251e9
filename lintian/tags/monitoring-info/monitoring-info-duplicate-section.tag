Tag: monitoring-info-duplicate-section
Severity: error
Check: monitoring-info
Explanation: The same [service] appears twice in one file.
 .
 Each service is described by exactly one section. Merge the two
 sections, or give the second service a name of its own.
See-Also: monitoring-info-lint(1)
