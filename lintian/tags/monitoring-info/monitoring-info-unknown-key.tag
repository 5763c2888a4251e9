Tag: monitoring-info-unknown-key
Severity: error
Check: monitoring-info
Explanation: Key not defined for this service type.
 .
 Each type accepts a fixed set of keys (lower case); an unknown one is
 usually a typo or belongs to another type. 'monitoring-info-lint
 --explain' and the monitoring-info format description list the keys of
 every type.
See-Also: monitoring-info-lint(1)
