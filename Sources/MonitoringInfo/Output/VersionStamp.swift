/// The version has one source, `debian/changelog`: `make generated` writes it into
/// `Version.swift` and the `.TH` line of every manual page, a test fails when they are stale,
/// and the package build refuses a tree whose changelog moved on without them.
public enum VersionStamp {
  public static let changelogPath = "debian/changelog"
  public static let swiftPath = "Sources/MonitoringInfo/Version.swift"
  public static let manualDirectory = "man"

  /// The version of the first changelog entry: `monitoring-info (0.1.0) unstable; ...`.
  public static func version(changelog: String) -> String? {
    guard let first = changelog.split(separator: "\n").first, let open = first.firstIndex(of: "("),
      let close = first[open...].firstIndex(of: ")")
    else { return nil }
    let version = first[first.index(after: open)..<close]
    return version.isEmpty ? nil : String(version)
  }

  public static func swiftSource(version: String) -> String {
    """
    // Generated from debian/changelog by `make generated`: do not edit.

    /// The version of the monitoring-info tools, shown by `--version` and written into the
    /// debhelper snippets' markers.
    public enum MonitoringInfoVersion {
      public static let current = "\(version)"
    }

    """
  }

  /// The manual page with its `.TH` line saying `monitoring-info VERSION` (its source field).
  public static func stamp(manualPage: String, version: String) -> String {
    var lines = manualPage.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let index = lines.firstIndex(where: { $0.hasPrefix(".TH ") }) else { return manualPage }
    var fields = quotedFields(lines[index])
    guard fields.count >= 5 else { return manualPage }
    fields[4] = "\"monitoring-info \(version)\""
    lines[index] = fields.joined(separator: " ")
    return lines.joined(separator: "\n")
  }

  /// `.TH NAME 8 "date" "source" "manual"` split into its words, quoted ones kept whole.
  static func quotedFields(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    for character in line {
      if character == "\"" { quoted.toggle() }
      if character == " " && !quoted {
        if !current.isEmpty { fields.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { fields.append(current) }
    return fields
  }
}
