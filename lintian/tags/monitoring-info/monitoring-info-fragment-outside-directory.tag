Tag: monitoring-info-fragment-outside-directory
Severity: error
Check: monitoring-info
Explanation: Monitoring-info fragment installed outside /etc/monitoring-info.
 .
 The package ships a monitoring-info fragment outside
 /etc/monitoring-info/: in a subdirectory of it, or elsewhere (a
 NAME.conf file in a directory called monitoring-info, or a file called
 *.monitoring-info). The monitoring client reads only
 /etc/monitoring-info/*.conf, so this service is never monitored. Name
 the maintainer's file debian/PACKAGE.monitoring-info and let
 dh_monitoringinfo install it (add dh-sequence-monitoringinfo to
 Build-Depends); it installs the fragment as
 /etc/monitoring-info/PACKAGE.conf. Example files belong under
 /usr/share/doc/PACKAGE/examples/, which this check ignores.
See-Also: monitoring-info-lint(1), dh_monitoringinfo(1)
