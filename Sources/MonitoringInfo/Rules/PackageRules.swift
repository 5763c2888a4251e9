// Tags about where and how a package ships its fragment; only the lintian check can see these.
extension Rule {
  public static let fragmentOutsideDirectory = Rule(
    tag: "monitoring-info-fragment-outside-directory", severity: .error, scope: .package,
    summary: "monitoring-info fragment installed outside /etc/monitoring-info",
    explanation: """
      Fragments are read from /etc/monitoring-info/*.conf only, not from subdirectories or \
      other places such as /usr/share. Install the file as /etc/monitoring-info/PACKAGE.conf; \
      dh_monitoringinfo does this from debian/PACKAGE.monitoring-info.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentNameMismatch = Rule(
    tag: "monitoring-info-fragment-name-mismatch", severity: .warning, scope: .package,
    summary: "fragment is not named after its package",
    explanation: """
      A package's fragment is /etc/monitoring-info/PACKAGE.conf, so that administrators can \
      tell which package a service comes from and exclude it. dh_monitoringinfo installs it \
      under that name; use its --name option only for a package that ships more than one.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentNeedsConfSuffix = Rule(
    tag: "monitoring-info-fragment-needs-conf-suffix", severity: .warning, scope: .package,
    summary: "file in /etc/monitoring-info without the .conf suffix",
    explanation: """
      Only files ending in .conf are read; this one is ignored. Rename it to PACKAGE.conf, or \
      let dh_monitoringinfo install it.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])

  public static let fragmentWithoutTrigger = Rule(
    tag: "monitoring-info-fragment-without-trigger", severity: .warning, scope: .package,
    summary: "package ships a fragment but does not activate monitoring-info-changed",
    explanation: """
      Without 'activate-noawait monitoring-info-changed' in the triggers control file, removing \
      the package does not tell the monitoring client, and its services stay registered. \
      dh_monitoringinfo adds the trigger.
      """,
    seeAlso: ["dh_monitoringinfo(1)", "deb-triggers(5)"])

  public static let worldReadableCredentials = Rule(
    tag: "monitoring-info-world-readable-credentials", severity: .warning, scope: .package,
    summary: "fragment with a password is readable by everyone",
    explanation: """
      The fragment holds a password but is installed readable by all users, and nothing in \
      the postinst restricts it. Make it mode 0600 on the installed system; dh_monitoringinfo \
      adds a postinst snippet that does so for fragments with credentials.
      """,
    seeAlso: ["dh_monitoringinfo(1)"])
}
