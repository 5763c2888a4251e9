Tag: monitoring-info-duplicate-key
Severity: error
Check: monitoring-info
Explanation: The same key is set twice in one section.
 .
 A key may be set only once per service; it is not clear which value is
 meant. Remove one of the two lines.
See-Also: monitoring-info-lint(1)
