Tag: monitoring-info-trigger-awaits
Severity: warning
Check: monitoring-info
Explanation: Package activates monitoring-info-changed without -noawait.
 .
 The triggers control file has 'activate monitoring-info-changed' or
 'activate-await monitoring-info-changed'. Then dpkg does not count the
 package as configured until the monitoring client has processed the
 trigger: packages that depend on it wait, and a failing client leaves it
 half-done. Nothing needs the client to be finished first, so write
 'activate-noawait monitoring-info-changed' in debian/PACKAGE.triggers,
 or drop the line and let dh_monitoringinfo add it (it warns about this
 line too).
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1), deb-triggers(5)
