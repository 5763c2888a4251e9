import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A master and one satellite zone for tests: two `PrivateIcinga2` on 127.0.0.1 (own ports,
/// directories `DIRECTORY/master` and `DIRECTORY/satellite`, node names `masterName` and
/// `satelliteName`), the satellite's certificate signed by the master's CA. Both `zones.conf`
/// list the zone `master` (the master's endpoint), the zone `satelliteZone` with parent master
/// (the satellite's endpoint) and the global zone `global-templates`; the satellite accepts
/// config and commands and has no zones.d of its own.
///
/// Objects written to `satelliteZoneDirectory` (the master's `zones.d/SAT`), once the master is
/// validated and reloaded, are sent to the satellite, which validates them in a staging
/// directory, restarts itself and checks them; the results reach the master. `apply()` does
/// that and waits for the satellite to run the new config; `waitForResults` forces the first
/// checks.
///
/// Both endpoints carry `host` and `port`, so each side connects to the other as soon as its
/// new worker starts (Icinga's reconnect timer fires at once on start, then every 10 s): the
/// master reaches the satellite right after its reload, the satellite the master right after its
/// restart. With only one side connecting, the other side's restart costs up to 10 s.
public final class PrivateIcinga2Satellite: @unchecked Sendable {
  public let master: PrivateIcinga2
  public let satellite: PrivateIcinga2
  public let directory: URL

  public var satelliteZone: String { satellite.zone }
  /// The master's `zones.d/SAT`: objects checked by the satellite.
  public var satelliteZoneDirectory: String { master.zonesDirectory + "/" + satelliteZone }
  /// A comment-only file in `satelliteZoneDirectory`. Icinga 2.13 syncs a zone only while its
  /// zones.d directory has a file: when the last object file goes, the master keeps sending its
  /// old copy (DataDir/api/zones/SAT) and the satellite keeps the objects.
  public var placeholderFile: String { satelliteZoneDirectory + "/placeholder.conf" }
  /// Where the satellite keeps what it received and loaded for `zone` (its DataDir/api/zones/ZONE/_etc).
  public func syncedDirectory(zone: String) -> String { satellite.dataDirectory + "/api/zones/" + zone + "/_etc" }

  public init(
    directory: URL? = nil, pluginDir: String = "/usr/lib/nagios/plugins", masterName: String = "icinga-master.localdomain",
    satelliteName: String = "icinga-satellite.localdomain", satelliteZone: String = "SAT"
  ) throws {
    self.directory = try directory ?? temporaryDirectory("mi-icinga2-pair")
    master = try PrivateIcinga2(
      directory: self.directory.appendingPathComponent("master"), pluginDir: pluginDir, nodeName: masterName)
    satellite = try PrivateIcinga2(
      directory: self.directory.appendingPathComponent("satellite"), pluginDir: pluginDir, nodeName: satelliteName,
      zone: satelliteZone, acceptsConfig: true, issuer: master)
    chmod(self.directory.path, 0o755)
    try FileManager.default.createDirectory(atPath: satelliteZoneDirectory, withIntermediateDirectories: true)
    try "// Keeps the zone in the config sync when it has no objects.\n".write(
      toFile: placeholderFile, atomically: true, encoding: .utf8)
    chmod(placeholderFile, 0o644)
    _ = try runProgram("chown", ["-R", "nagios:nagios", satelliteZoneDirectory])
    let literal = PrivateIcinga2.literal
    let zones = """
      object Endpoint \(literal(master.nodeName)) { host = "127.0.0.1"; port = \(master.port) }
      object Endpoint \(literal(satellite.nodeName)) { host = "127.0.0.1"; port = \(satellite.port) }
      object Zone \(literal(master.zone)) { endpoints = [ \(literal(master.nodeName)) ] }
      object Zone \(literal(satelliteZone)) { endpoints = [ \(literal(satellite.nodeName)) ]; parent = \(literal(master.zone)) }
      object Zone \(literal(master.globalZone)) { global = true }

      """
    try master.writeZones(zones)
    try satellite.writeZones(zones)
  }

  /// Starts the master, then the satellite, and returns once the satellite runs the master's
  /// current config (see `waitForSync`).
  public func start(timeout: Double = 60) throws {
    try master.start(timeout: timeout)
    try satellite.start(timeout: timeout)
    try waitForSync(timeout: timeout)
  }

  /// Whether the master has a connection to the satellite's endpoint.
  public func connected() throws -> Bool {
    let (status, body) = try master.get("/v1/objects/endpoints/" + satellite.nodeName + "?attrs=connected")
    guard status == 200, let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let results = json["results"] as? [[String: Any]], let attrs = results.first?["attrs"] as? [String: Any]
    else { throw TestFailure("GET endpoint \(satellite.nodeName): \(status) \(body)") }
    return (attrs["connected"] as? Bool) ?? false
  }

  /// Validates the master's config (throws with Icinga's output when invalid), reloads the
  /// master and waits until the satellite runs the new config.
  public func apply(timeout: Double = 60) throws {
    let validation = try master.validate()
    guard validation.status == 0 else { throw TestFailure("master config invalid:\n\(validation.output)") }
    try master.reload(timeout: timeout)
    try waitForSync(timeout: timeout)
  }

  /// Waits until the two are connected and the satellite's running worker loaded the master's
  /// files of the satellite zone and the global zone: the same file names under the satellite's
  /// `syncedDirectory`, and a worker started after they were written there. Throws with the
  /// satellite's last failed staging validation if there is one that is newer than the call.
  public func waitForSync(timeout: Double = 60) throws {
    let started = Date()
    let deadline = started.addingTimeInterval(timeout)
    let failedLog = satellite.dataDirectory + "/api/zones-stage-startup-last-failed.log"
    while Date() < deadline {
      if let modified = Self.modificationTime(failedLog), modified >= started.timeIntervalSince1970 - 1 {
        let log = (try? String(contentsOfFile: failedLog, encoding: .utf8)) ?? ""
        throw TestFailure("the satellite rejected the synced config:\n\(log)")
      }
      if try isSynced() { return }
      usleep(50_000)
    }
    throw TestFailure("the satellite did not run the master's config within \(timeout) s")
  }

  func isSynced() throws -> Bool {
    for zone in [satelliteZone, master.globalZone] {
      if Self.confFiles(master.zonesDirectory + "/" + zone) != Self.confFiles(syncedDirectory(zone: zone)) { return false }
    }
    // The satellite replaces DataDir/api/zones as a whole before it restarts.
    let zones = satellite.dataDirectory + "/api/zones"
    guard let status = try? satellite.workerStatus(), status.programStart > 0 else { return false }
    if let copied = Self.modificationTime(zones), copied >= status.programStart { return false }
    return try connected()
  }

  /// The relative paths of the `.conf` files below `directory` (empty when it is missing).
  static func confFiles(_ directory: String) -> Set<String> {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var files: Set<String> = []
    while let path = walker.nextObject() as? String {
      if path.hasSuffix(".conf") { files.insert(path) }
    }
    return files
  }

  static func modificationTime(_ path: String) -> Double? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
  }

  /// Forces the first checks of every service of `hosts` in the satellite zone and waits until
  /// the master has a result for each (throws after `timeout` s). The check is forced through
  /// the satellite's own API, every 0.2 s: the satellite drops a next-check time it gets from
  /// the master when that lies within 60 s of its own start (ClusterEvents in 2.13), so a
  /// `reschedule-check` on the master is ignored right after the satellite's restart.
  public func waitForResults(hosts: [String], timeout: Double = 30) throws -> [String: [PrivateIcinga2.ServiceState]] {
    let deadline = Date().addingTimeInterval(timeout)
    var states: [String: [PrivateIcinga2.ServiceState]] = [:]
    while Date() < deadline {
      try satellite.rescheduleChecks(hosts: hosts)
      states = try Dictionary(uniqueKeysWithValues: hosts.map { ($0, try master.serviceStates(host: $0)) })
      if states.values.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.lastCheck != nil } }) { return states }
      usleep(200_000)
    }
    throw TestFailure("no results on the master within \(timeout) s: \(states)")
  }

  /// Stops the satellite, then the master.
  public func stop() {
    satellite.stop()
    master.stop()
  }

  public func cleanUp() {
    stop()
    try? FileManager.default.removeItem(at: directory)
  }
}
