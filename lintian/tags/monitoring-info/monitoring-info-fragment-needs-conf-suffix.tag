Tag: monitoring-info-fragment-needs-conf-suffix
Severity: warning
Check: monitoring-info
Explanation: File in /etc/monitoring-info without the .conf suffix.
 .
 The monitoring client reads only /etc/monitoring-info/*.conf and ignores
 this file, so the service is not monitored. Let dh_monitoringinfo
 install the fragment from debian/PACKAGE.monitoring-info; it names it
 PACKAGE.conf.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
