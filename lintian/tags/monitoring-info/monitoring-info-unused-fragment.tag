Tag: monitoring-info-unused-fragment
Severity: warning
Check: monitoring-info
Explanation: Fragment in debian/ that dh_monitoringinfo never installs.
 .
 The source package has a monitoring-info fragment in debian/ that
 debhelper's file lookup never finds, so no binary package ships it and
 the service is not monitored, while the build succeeds. Either the file
 is named for a binary package that debian/control does not have
 (debian/mydeamon.monitoring-info when the package is mydaemon), or it is
 debian/monitoring-info, which is only a fallback for the first binary
 package: it is not read when debian/FIRSTPACKAGE.monitoring-info exists,
 and debian/monitoring-info.ARCH is never read. Name the file
 debian/PACKAGE.monitoring-info, debian/PACKAGE.monitoring-info.ARCH for
 one architecture, or debian/PACKAGE.NAME.monitoring-info for
 'dh_monitoringinfo --name=NAME'. dh_monitoringinfo warns about the same
 files during the build.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1), debhelper(7)
