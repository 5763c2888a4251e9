import Glibc
import MonitoringInfo

/// Where Icinga 2 reads the generated objects: `ZONESDIR/ZONE/auto-monitor`, a link to the
/// backend's live generation, in the zone whose endpoint checks the hosts (Icinga's own
/// `ZoneName` unless the settings name one). A directory link in zones.d is followed (verified
/// with `icinga2 daemon -C` and reloads).
enum Icinga2Zone {
  static let linkName = "auto-monitor"
  static let apiUserFile = "auto-monitor-api-user.conf"

  /// The zone: the setting, or what Icinga says its ZoneName is.
  static func name(_ settings: ServerSettings) -> String? {
    if let zone = settings.icinga2.zone { return zone }
    let arguments = ["variable", "get", "ZoneName"]
    guard let result = try? Subprocess.run(settings.icinga2.binary, arguments), result.status == 0 else { return nil }
    let zone = result.stdoutText.trimmingWhitespace
    return zone.isEmpty || zone.contains("/") || zone.hasPrefix(".") ? nil : zone
  }

  static func directory(_ settings: ServerSettings) -> String? {
    name(settings).map { settings.icinga2.zonesDirectory + "/" + $0 }
  }

  static func link(_ settings: ServerSettings) -> String? {
    directory(settings).map { $0 + "/" + linkName }
  }
}
