Tag: monitoring-info-duplicate-service
Severity: error
Check: monitoring-info
Explanation: The same service name is used in two files.
 .
 Service names are unique on a host across all files in
 /etc/monitoring-info, since each becomes one Nagios service of that
 host. Rename one of them, for example with the package name as a prefix.
See-Also: monitoring-info-lint(1)
