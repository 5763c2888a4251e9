Tag: monitoring-info-fragment-name-mismatch
Severity: warning
Check: monitoring-info
Explanation: Fragment is not named after its package.
 .
 All packages share /etc/monitoring-info/, so a fragment is called
 PACKAGE.conf, or NAME.conf where NAME starts with the package or source
 package name and a dot or hyphen (apache2-ssl.conf in apache2);
 otherwise two packages may ship the same file. Let dh_monitoringinfo
 install the fragment from debian/PACKAGE.monitoring-info. A package with
 several fragments uses 'dh_monitoringinfo --name=PACKAGE-WHAT' with
 debian/PACKAGE.PACKAGE-WHAT.monitoring-info. The name is also accepted
 when a maintainer script names the file.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
