Tag: monitoring-info-fragment-without-trigger
Severity: warning
Check: monitoring-info
Explanation: Package ships a fragment but does not activate monitoring-info-changed.
 .
 Without 'activate-noawait monitoring-info-changed' in the triggers
 control file, removing the package does not tell the monitoring client,
 and its services stay registered. dh_monitoringinfo adds the trigger.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1), deb-triggers(5)
