Tag: monitoring-info-invalid-value
Severity: error
Check: monitoring-info
Explanation: Value does not fit its key.
 .
 Ports are numbers from 1 to 65535, booleans are true/false, yes/no,
 on/off or 1/0, 'uri' starts with '/', host names are DNS names or IP
 addresses, 'email' is an address, 'seconds' and 'expire_before_days' are
 whole numbers, 'mailflowid' and 'id' use the characters of a service
 name. No value may be empty.
See-Also: monitoring-info-lint(1)
