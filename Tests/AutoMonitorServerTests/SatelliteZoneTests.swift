import Foundation
import TestKit
import Testing

/// A master and a satellite zone (issue 19): objects written to the master's zones.d/SAT are
/// synced to the satellite and checked there, their results show on the master; removing the
/// file removes the objects from both. Skipped where icinga2 is not installed.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2")))
struct SatelliteZoneTests {
  static let checkCommand = """
    object CheckCommand "sat-fake" {
      command = [ PluginDir + "/check_fake" ]
      arguments = { "--uri" = { value = "$monitoring_info_uri$"; separator = "=" } }
      env = { CHECK_MONITORING_INFO_PASSWORD = "$monitoring_info_password$"; FAKE_OUT = "$host.name$!$service.name$" }
    }

    """

  static func hostFile(_ host: String, service: String) -> String {
    """
    object Host \(PrivateIcinga2.literal(host)) { check_command = "dummy"; check_interval = 5m; max_check_attempts = 1 }
    object Service \(PrivateIcinga2.literal(service)) {
      host_name = \(PrivateIcinga2.literal(host))
      check_command = "sat-fake"
      check_interval = 5m
      max_check_attempts = 1
      vars.monitoring_info_uri = "/\(service)"
      vars.monitoring_info_password = "secret-\(service)"
    }

    """
  }

  @Test func objectsInTheSatelliteZoneAreCheckedThere() throws {
    let directory = try temporaryDirectory("mi-icinga2-pair")
    defer { try? FileManager.default.removeItem(at: directory) }
    let plugins = directory.path + "/plugins", out = directory.path + "/out"
    try PrivateIcinga2Tests.installFakePlugin(in: plugins, output: out)
    let pair = try PrivateIcinga2Satellite(directory: directory.appendingPathComponent("pair"), pluginDir: plugins)
    defer { pair.cleanUp() }
    let master = pair.master, satellite = pair.satellite
    try PrivateIcinga2Tests.writeFile(Self.checkCommand, master.globalZoneDirectory + "/commands.conf")
    try PrivateIcinga2Tests.writeFile(Self.hostFile("m1.example.org", service: "local"), master.zoneDirectory + "/m1.example.org.conf")
    try pair.start()
    #expect(try pair.connected())
    #expect(FileManager.default.fileExists(atPath: pair.syncedDirectory(zone: master.globalZone) + "/commands.conf"))

    // Write, validate, reload; force the first check until the master has its result.
    let started = Date()
    let file = pair.satelliteZoneDirectory + "/s1.example.org.conf"
    try PrivateIcinga2Tests.writeFile(Self.hostFile("s1.example.org", service: "remote"), file)
    try pair.apply()
    let synced = Date().timeIntervalSince(started)
    let states = try pair.waitForResults(hosts: ["s1.example.org"])
    let elapsed = Date().timeIntervalSince(started)
    print("satellite zone: config running on the satellite after \(synced) s, first result on the master after \(elapsed) s")
    let remote = try #require(states["s1.example.org"]?.first)
    #expect(remote.name == "remote" && remote.state == 0, "\(remote)")
    #expect(remote.checkSource == satellite.nodeName)
    #expect(elapsed < 10, "first result after \(elapsed) s")
    let received = FileManager.default.contents(atPath: out + "/s1.example.org!remote").map {
      $0.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(received == ["--uri=/remote", "ENV=secret-remote"])
    #expect(try satellite.serviceStates(host: "s1.example.org").map(\.name) == ["remote"])

    // A service of the master zone is checked by the master.
    try master.rescheduleChecks(hosts: ["m1.example.org"])
    #expect(waitUntil(seconds: 20) { (try? master.serviceStates(host: "m1.example.org"))?.first?.lastCheck != nil })
    #expect(try master.serviceStates(host: "m1.example.org").first?.checkSource == master.nodeName)

    // Removing the file removes the objects from both (the placeholder keeps the zone synced).
    try FileManager.default.removeItem(atPath: file)
    try pair.apply()
    #expect(try master.serviceStates(host: "s1.example.org").isEmpty)
    #expect(try satellite.serviceStates(host: "s1.example.org").isEmpty)
    #expect(try satellite.get("/v1/objects/hosts/s1.example.org").status == 404)
    #expect(!FileManager.default.fileExists(atPath: pair.syncedDirectory(zone: pair.satelliteZone) + "/s1.example.org.conf"))

    pair.stop()
    #expect(master.pid == nil && satellite.pid == nil)
  }
}
