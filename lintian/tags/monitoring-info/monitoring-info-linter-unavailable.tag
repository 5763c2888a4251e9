Tag: monitoring-info-linter-unavailable
Severity: error
Check: monitoring-info
Explanation: Fragments could not be validated: monitoring-info-lint is missing or failed.
 .
 The package ships monitoring-info fragments, but lintian could not
 validate them: monitoring-info-lint was not found, could not be run, or
 failed (the note says which). The fragments were not checked. Install
 dh-monitoringinfo, which provides monitoring-info-lint, or name the
 linter in the LINTIAN_MONITORING_INFO_LINT environment variable (lintian
 passes only LINTIAN_* variables, PATH, HOME and TMPDIR to its checks).
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
