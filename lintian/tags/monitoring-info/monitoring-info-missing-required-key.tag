Tag: monitoring-info-missing-required-key
Severity: error
Check: monitoring-info
Explanation: A key this type needs is missing.
 .
 Some types cannot be checked without certain keys: tcp and udp need
 'port', mailflow needs 'seconds' and 'id'. Add the missing key to the
 section.
See-Also: monitoring-info-lint(1)
