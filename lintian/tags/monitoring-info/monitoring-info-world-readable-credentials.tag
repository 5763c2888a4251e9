Tag: monitoring-info-world-readable-credentials
Severity: warning
Check: monitoring-info
Explanation: Fragment with a password is readable by everyone.
 .
 The fragment holds a password but is installed readable by all users,
 and nothing in the postinst restricts it. Make it mode 0600 on the
 installed system; dh_monitoringinfo adds a postinst snippet that does so
 for fragments with credentials.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
