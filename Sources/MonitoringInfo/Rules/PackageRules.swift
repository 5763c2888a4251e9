// Tags about where and how a package ships its fragment: in the built package, which only the
// lintian check sees, and in the source package's debian/ (dh_monitoringinfo sees that too).
extension Rule {
  public static let fragmentOutsideDirectory = Rule(
    tag: "monitoring-info-fragment-outside-directory", severity: .error, scope: .package,
    summary: "monitoring-info fragment installed outside /etc/monitoring-info",
    explanation: """
      The package ships a monitoring-info fragment outside /etc/monitoring-info/: in a \
      subdirectory of it, or elsewhere (a NAME.conf file in a directory called monitoring-info, \
      or a file called *.monitoring-info). The monitoring client reads only \
      /etc/monitoring-info/*.conf, so this service is never monitored. Name the maintainer's \
      file debian/PACKAGE.monitoring-info and let dh_monitoringinfo install it (add \
      dh-sequence-monitoringinfo to Build-Depends); it installs the fragment as \
      /etc/monitoring-info/PACKAGE.conf. Example files belong under \
      /usr/share/doc/PACKAGE/examples/, which this check ignores.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentNameMismatch = Rule(
    tag: "monitoring-info-fragment-name-mismatch", severity: .warning, scope: .package,
    summary: "fragment is not named after its package",
    explanation: """
      All packages share /etc/monitoring-info/, so a fragment is called PACKAGE.conf, or \
      NAME.conf where NAME starts with the package or source package name and a dot or hyphen \
      (apache2-ssl.conf in apache2); otherwise two packages may ship the same file. Let \
      dh_monitoringinfo install the fragment from debian/PACKAGE.monitoring-info. A package \
      with several fragments uses 'dh_monitoringinfo --name=PACKAGE-WHAT' with \
      debian/PACKAGE.PACKAGE-WHAT.monitoring-info. The name is also accepted when a maintainer \
      script names the file.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentNeedsConfSuffix = Rule(
    tag: "monitoring-info-fragment-needs-conf-suffix", severity: .warning, scope: .package,
    summary: "file in /etc/monitoring-info without the .conf suffix",
    explanation: """
      The monitoring client reads only /etc/monitoring-info/*.conf and ignores this file, so \
      the service is not monitored. Let dh_monitoringinfo install the fragment from \
      debian/PACKAGE.monitoring-info; it names it PACKAGE.conf.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentWithoutTrigger = Rule(
    tag: "monitoring-info-fragment-without-trigger", severity: .warning, scope: .package,
    summary: "package ships a fragment but does not activate monitoring-info-changed",
    explanation: """
      The triggers control file does not contain 'activate-noawait monitoring-info-changed'. \
      Without it the monitoring client is not told when the package is removed (the conffile \
      stays on disk) or when an upgrade drops the fragment, and the server keeps monitoring a \
      service that is gone. Use dh_monitoringinfo, which adds the trigger, or add the line to \
      debian/PACKAGE.triggers yourself.
      """,
    seeAlso: ["dh_monitoringinfo(1)", "deb-triggers(5)"])

  public static let triggerAwaits = Rule(
    tag: "monitoring-info-trigger-awaits", severity: .warning, scope: .package,
    summary: "package activates monitoring-info-changed without -noawait",
    explanation: """
      The triggers control file has 'activate monitoring-info-changed' or 'activate-await \
      monitoring-info-changed'. Then dpkg does not count the package as configured until the \
      monitoring client has processed the trigger: packages that depend on it wait, and a \
      failing client leaves it half-done. Nothing needs the client to be finished first, so \
      write 'activate-noawait monitoring-info-changed' in debian/PACKAGE.triggers, or drop the \
      line and let dh_monitoringinfo add it (it warns about this line too).
      """,
    seeAlso: ["dh_monitoringinfo(1)", "deb-triggers(5)"])

  public static let worldReadableCredentials = Rule(
    tag: "monitoring-info-world-readable-credentials", severity: .warning, scope: .package,
    summary: "fragment with a password is readable by everyone",
    explanation: """
      The fragment sets a password and the package ships it readable by every user. dpkg \
      unpacks a file with the mode it has in the package, so the password is readable from \
      the unpack on; a chmod in the postinst comes too late (the new conffile waits as \
      NAME.conf.dpkg-new until configure) and overrides the administrator's \
      dpkg-statoverride. Ship the file mode 0600: dh_monitoringinfo installs a fragment with a \
      password so, and runs after dh_fixperms in the dh sequence, which would reset it to \
      0644. With an override_dh_fixperms target or without dh, run dh_monitoringinfo after \
      dh_fixperms, or call dh_fixperms -Xetc/monitoring-info/.
      """,
    seeAlso: ["dh_monitoringinfo(1)", "dpkg-statoverride(1)", "debian-policy 10.9.1"])

  public static let linterUnavailable = Rule(
    tag: "monitoring-info-linter-unavailable", severity: .error, scope: .package,
    summary: "fragments could not be validated: monitoring-info-lint is missing or failed",
    explanation: """
      The package ships monitoring-info fragments, but lintian could not validate them: \
      monitoring-info-lint was not found, could not be run, or failed (the note says which). \
      The fragments were not checked. Install dh-monitoringinfo, which provides \
      monitoring-info-lint, or name the linter in the LINTIAN_MONITORING_INFO_LINT environment \
      variable (lintian passes only LINTIAN_* variables, PATH, HOME and TMPDIR to its checks).
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let unusedFragment = Rule(
    tag: "monitoring-info-unused-fragment", severity: .warning, scope: .source,
    summary: "fragment in debian/ that dh_monitoringinfo never installs",
    explanation: """
      The source package has a monitoring-info fragment in debian/ that debhelper's file \
      lookup never finds, so no binary package ships it and the service is not monitored, \
      while the build succeeds. Either the file is named for a binary package that \
      debian/control does not have (debian/mydeamon.monitoring-info when the package is \
      mydaemon), or it is debian/monitoring-info, which is only a fallback for the first \
      binary package: it is not read when debian/FIRSTPACKAGE.monitoring-info exists, and \
      debian/monitoring-info.ARCH is never read. Name the file debian/PACKAGE.monitoring-info, \
      debian/PACKAGE.monitoring-info.ARCH for one architecture, or \
      debian/PACKAGE.NAME.monitoring-info for 'dh_monitoringinfo --name=NAME'. \
      dh_monitoringinfo warns about the same files during the build.
      """,
    seeAlso: ["dh_monitoringinfo(1)", "debhelper(7)"])
}
