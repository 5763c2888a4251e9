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
    settings.icinga2.zone ?? variable("ZoneName", settings.icinga2)
  }

  /// An Icinga constant as the last validation or start left it (`icinga2 variable get`); nil
  /// when Icinga cannot tell or the value is no plain name.
  static func variable(_ name: String, _ settings: Icinga2Settings) -> String? {
    guard let result = try? Subprocess.run(settings.binary, ["variable", "get", name], timeout: 30), result.succeeded else {
      return nil
    }
    let value = result.stdoutText.trimmingWhitespace
    let plain = value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }
    return value.isEmpty || !plain || value.hasPrefix(".") ? nil : value
  }

  static func directory(_ settings: ServerSettings) -> String? {
    name(settings).map { settings.icinga2.zonesDirectory + "/" + $0 }
  }

  static func link(_ settings: ServerSettings) -> String? {
    directory(settings).map { $0 + "/" + linkName }
  }
}
