Tag: monitoring-info-fragment-outside-directory
Severity: error
Check: monitoring-info
Explanation: Monitoring-info fragment installed outside /etc/monitoring-info.
 .
 Fragments are read from /etc/monitoring-info/*.conf only, not from
 subdirectories or other places such as /usr/share. Install the file as
 /etc/monitoring-info/PACKAGE.conf; dh_monitoringinfo does this from
 debian/PACKAGE.monitoring-info.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
