import Glibc
import MonitoringInfo

/// Where Icinga 2 reads the generated objects. Each generation holds the host files in
/// `hosts/`, and beside them one directory per zone, `zones/ZONE/hosts/HOST.conf` (links to the
/// host files), and `global/` (links to the templates and the CheckCommand). Icinga reads them
/// through links named `auto-monitor` in its zones.d:
///
///     ZONESDIR/MASTER/auto-monitor  -> LIVE/zones/MASTER    (Icinga's own ZoneName)
///     ZONESDIR/SAT/auto-monitor     -> LIVE/zones/SAT       (each satellite zone)
///     ZONESDIR/GLOBAL/auto-monitor  -> LIVE/global          (global-templates)
///
/// so flipping `live` switches every zone at once, and Icinga's config sync sends a satellite
/// its zone's objects and the global zone (links are followed, the copies are plain files).
enum Icinga2Zone {
  static let linkName = "auto-monitor"
  static let apiUserFile = "auto-monitor-api-user.conf"

  /// The API user a satellite of `zone` knows (defined in the zone's objects).
  static func satelliteAPIUser(_ settings: ServerSettings, zone: String) -> String { settings.icinga2.apiUser + "-" + zone }

  /// The master zone: the setting, or what Icinga says its ZoneName is.
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

  /// The master zone, or the error that says how to name it.
  static func master(_ settings: ServerSettings) throws(ServerError) -> String {
    guard let zone = name(settings) else {
      throw ServerError("cannot tell Icinga 2's zone ('icinga2 variable get ZoneName' fails): set icinga2_zone in \(settings.configPath)")
    }
    return zone
  }

  /// The administrator's satellite zones, refused when one is named like the master or the
  /// global zone.
  static func satellites(_ settings: ServerSettings) throws(ServerError) -> ZoneMap {
    let map = try ZoneMap.load(settings)
    for zone in map.zones where zone.name == settings.icinga2.zone || zone.name == settings.icinga2.globalZone {
      throw ServerError("\(zone.path): '\(zone.name)' is the master's or the global zone, not a satellite zone: rename the file")
    }
    return map
  }

  /// Every link Icinga reads through, made or re-pointed (one rename each); a link of ours in a
  /// zone no longer configured goes. Directories made here get the owner of zones.d.
  static func link(_ settings: ServerSettings, master: String, satellites: ZoneMap) throws(ServerError) {
    let zonesDirectory = settings.icinga2.zonesDirectory
    var wanted = [master: settings.liveLink + "/zones/" + master, settings.icinga2.globalZone: settings.liveLink + "/global"]
    for zone in satellites.zones where zone.name != master { wanted[zone.name] = settings.liveLink + "/zones/" + zone.name }
    var owner = stat()
    // Debian's icinga2 ships no zones.d: made like its parent (nagios's /etc/icinga2).
    if stat(zonesDirectory, &owner) != 0, mkdir(zonesDirectory, 0o750) == 0, stat(zonesDirectory + "/..", &owner) == 0 {
      chown(zonesDirectory, owner.st_uid, owner.st_gid)
    }
    let owned = stat(zonesDirectory, &owner) == 0
    for (zone, target) in wanted.sorted(by: { $0.key < $1.key }) {
      let directory = zonesDirectory + "/" + zone
      if mkdir(directory, 0o750) == 0 {
        if owned { chown(directory, owner.st_uid, owner.st_gid) }
      } else if errno != EEXIST {
        throw ServerError("cannot create \(directory): \(errnoText())")
      }
      let link = directory + "/" + linkName
      guard FileReader.symlinkTarget(link) != target else { continue }
      let temporary = link + ".new"
      unlink(temporary)
      guard symlink(target, temporary) == 0, rename(temporary, link) == 0 else {
        throw ServerError("cannot link \(link) to \(target): \(errnoText())")
      }
      if owned { lchown(link, owner.st_uid, owner.st_gid) }
    }
    for zone in FileReader.entries(in: zonesDirectory) where wanted[zone] == nil {
      let link = zonesDirectory + "/" + zone + "/" + linkName
      if let target = FileReader.symlinkTarget(link), target.hasPrefix(settings.liveLink + "/") { unlink(link) }
    }
  }

  /// A new generation's zone directories: every configured zone gets one (empty or not, so no
  /// link dangles), each host a link in its objects' zone.
  static func arrange(generation: String, hosts: [String], placements: [String: HostPlacement], settings: ServerSettings)
    throws(ServerError)
  {
    let master = try master(settings)
    func make(_ path: String) throws(ServerError) {
      guard mkdir(path, 0o750) == 0 || errno == EEXIST else { throw ServerError("cannot create \(path): \(errnoText())") }
    }
    func put(_ target: String, _ path: String) throws(ServerError) {
      guard symlink(target, path) == 0 else { throw ServerError("cannot link \(path): \(errnoText())") }
    }
    try make(generation + "/global")
    try put("../templates/templates.conf", generation + "/global/templates.conf")
    try put("../templates/" + Icinga2Backend.checkCommandFile, generation + "/global/" + Icinga2Backend.checkCommandFile)
    try make(generation + "/zones")
    let zones = Set([master] + (try satellites(settings)).zones.map(\.name))
    let password = try Icinga2Setup.existingPassword(settings)
    for zone in zones {
      try make(generation + "/zones/" + zone)
      try make(generation + "/zones/" + zone + "/hosts")
      // Never an empty zone: when a zone's last file goes, the master keeps syncing its old copy.
      var text = Icinga2Renderer.header + "# The objects of zone \(zone): hosts/*.conf.\n"
      if zone != master {
        // The satellite's own API user, so the master can ask it for first checks (and for a
        // restart when it missed one, see SatelliteFirstChecks).
        text += Icinga2Setup.apiUser(satelliteAPIUser(settings, zone: zone), password: password, extra: ["actions/restart-process"])
      }
      try GenerationFile.write(Array(text.utf8), to: generation + "/zones/" + zone + "/zone.conf")
    }
    for host in hosts {
      let zone = placements[host]?.objectZone ?? master
      try put("../../../hosts/" + host + ".conf", generation + "/zones/" + (zones.contains(zone) ? zone : master) + "/hosts/" + host + ".conf")
    }
  }
}
