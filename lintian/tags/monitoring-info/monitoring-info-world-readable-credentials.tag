Tag: monitoring-info-world-readable-credentials
Severity: warning
Check: monitoring-info
Explanation: Fragment with a password is readable by everyone.
 .
 The fragment sets a password and is readable by every user on the
 system, and the postinst does not restrict its mode. Use
 dh_monitoringinfo: for a fragment with a password it adds 'chmod 0600
 /etc/monitoring-info/NAME.conf' to the postinst. A hand-written postinst
 needs the same command (any chmod that removes read access for others is
 accepted) and the #DEBHELPER# token.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
