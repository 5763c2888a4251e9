Tag: monitoring-info-fragment-name-mismatch
Severity: warning
Check: monitoring-info
Explanation: Fragment is not named after its package.
 .
 A package's fragment is /etc/monitoring-info/PACKAGE.conf, so that
 administrators can tell which package a service comes from and exclude
 it. dh_monitoringinfo installs it under that name; use its --name option
 only for a package that ships more than one.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
