Tag: monitoring-info-fragment-without-trigger
Severity: warning
Check: monitoring-info
Explanation: Package ships a fragment but does not activate monitoring-info-changed.
 .
 The triggers control file does not contain 'activate-noawait
 monitoring-info-changed'. Without it the monitoring client is not told
 when the package is removed (the conffile stays on disk) or when an
 upgrade drops the fragment, and the server keeps monitoring a service
 that is gone. Use dh_monitoringinfo, which adds the trigger, or add the
 line to debian/PACKAGE.triggers yourself.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1), deb-triggers(5)
