Tag: monitoring-info-fragment-needs-conf-suffix
Severity: warning
Check: monitoring-info
Explanation: File in /etc/monitoring-info without the .conf suffix.
 .
 Only files ending in .conf are read; this one is ignored. Rename it to
 PACKAGE.conf, or let dh_monitoringinfo install it.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
