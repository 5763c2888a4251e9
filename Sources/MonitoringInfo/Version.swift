// Generated from debian/changelog by `make generated`: do not edit.

/// The version of the monitoring-info tools, shown by `--version` and written into the
/// debhelper snippets' markers.
public enum MonitoringInfoVersion {
  public static let current = "0.2.0"
}
