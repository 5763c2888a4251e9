import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The whole server against a master and a satellite: a `PrivateIcinga2Satellite` whose master
/// a `PrivateServer` feeds (zone file `SAT.conf`: the satellite's endpoint, and `host =
/// PATTERN` for the hosts it checks), a `PrivateSSHD` clients register through. Both Icinga
/// instances run this build's plugin (or `plugin`, a script that may call it as
/// `REAL_PLUGIN`), from `pluginDirectory`.
public final class SatelliteServerRig: @unchecked Sendable {
  public let directory: URL
  public let pair: PrivateIcinga2Satellite
  public let server: PrivateServer
  public let sshd: PrivateSSHD
  public var pluginDirectory: String { directory.path + "/plugins" }
  /// Each enrolled host's client key.
  public private(set) var keys: [String: String] = [:]

  /// `plugin` (a shell script) replaces the plugin Icinga runs; this build's plugin is then
  /// `pluginDirectory/check_monitoring_info.real`.
  public init(satelliteHosts pattern: String, plugin: String? = nil) throws {
    directory = try temporaryDirectory("mi-sat-server")
    chmod(directory.path, 0o755)
    let pluginDirectory = directory.path + "/plugins"
    try PrivateServer.installPlugin(in: pluginDirectory)
    if let plugin {
      let path = pluginDirectory + "/check_monitoring_info"
      guard rename(path, path + ".real") == 0 else { throw TestFailure("cannot move the plugin aside") }
      try plugin.write(toFile: path, atomically: true, encoding: .utf8)
      chmod(path, 0o755)
    }
    pair = try PrivateIcinga2Satellite(directory: directory.appendingPathComponent("pair"), pluginDir: pluginDirectory)
    // The server's own objects keep the zone in the config sync: no placeholder needed.
    try? FileManager.default.removeItem(atPath: pair.placeholderFile)
    let zone = "endpoint = \(pair.satellite.nodeName) 127.0.0.1 \(pair.satellite.port)\nhost = \(pattern)\n"
    server = try PrivateServer(backend: .icinga2, icinga: pair.master, zones: [pair.satelliteZone: zone])
    sshd = try PrivateSSHD(server: server)
  }

  /// sshd, the master, the satellite (until the two are connected), the apply watcher.
  public func start(timeout: Double = 60) throws {
    try sshd.start()
    try pair.master.start(timeout: timeout)
    try pair.satellite.start(timeout: timeout)
    guard waitUntil(seconds: timeout, { (try? self.pair.connected()) == true }) else {
      throw TestFailure("master and satellite did not connect: \(diagnostics())")
    }
    try server.startWatcher()
  }

  /// Enrolls `host` with a ticket (once; its key kept in `keys`), then registers `services`
  /// through sshd. Returns the register request's result.
  @discardableResult
  public func register(_ host: String, services: [(String, String, [String: String])]) throws -> ProcessResult {
    try enroll(host)
    return try sshd.ssh(key: keys[host]!, user: server.user, request: ["register"],
      stdin: PrivateServer.payload(host: host, services: services))
  }

  /// Enrolls `host` with a ticket through sshd, once (its key kept in `keys`).
  public func enroll(_ host: String) throws {
    if keys[host] == nil {
      let key = try sshd.makeClientKey(host.replacingOccurrences(of: ".", with: "-"))
      let ticket = try server.runAdmin(["ticket", host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      let enrolled = try sshd.ssh(key: key.path, user: server.user, request: ["enroll"],
        stdin: "{\"version\":1,\"host\":\"\(host)\",\"ticket\":\"\(ticket)\"}")
      guard enrolled.succeeded else { throw TestFailure("enroll \(host): \(enrolled.stdout)\(enrolled.stderr)") }
      keys[host] = key.path
    }
  }

  /// The first result of every service of `host` on the master (nil until each has one).
  public func firstResult(host: String) -> [PrivateIcinga2.ServiceState]? {
    guard let states = try? pair.master.serviceStates(host: host), !states.isEmpty, states.allSatisfy({ $0.lastCheck != nil })
    else { return nil }
    return states
  }

  /// The watcher's log, the server's status and the satellite's last rejected config.
  public func diagnostics() -> String {
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    let status = (try? server.runAdmin(["status"]).stdout) ?? ""
    return "watch.log:\n" + read(server.directory.path + "/watch.log") + "\nstatus:\n" + status
      + "\nsatellite rejected:\n" + read(pair.satellite.dataDirectory + "/api/zones-stage-startup-last-failed.log")
  }

  public func cleanUp() {
    server.cleanUp()
    sshd.stop()
    pair.cleanUp()
    try? FileManager.default.removeItem(at: directory)
  }
}
