Tag: monitoring-info-world-readable-credentials
Severity: warning
Check: monitoring-info
Explanation: Fragment with a password is readable by everyone.
 .
 The fragment sets a password and the package ships it readable by every
 user. dpkg unpacks a file with the mode it has in the package, so the
 password is readable from the unpack on; a chmod in the postinst comes
 too late (the new conffile waits as NAME.conf.dpkg-new until configure)
 and overrides the administrator's dpkg-statoverride. Ship the file mode
 0600: dh_monitoringinfo installs a fragment with a password so, and runs
 after dh_fixperms in the dh sequence, which would reset it to 0644. With
 an override_dh_fixperms target or without dh, run dh_monitoringinfo
 after dh_fixperms, or call dh_fixperms -Xetc/monitoring-info/.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1), dpkg-statoverride(1), debian-policy 10.9.1
