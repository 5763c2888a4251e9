import Foundation
import TestKit
import Testing

/// Satellite zones through the whole server (issue 19): a client registers through a real sshd,
/// the zone file puts its host in the satellite zone `SAT` of a `PrivateIcinga2Satellite`, the
/// satellite checks it and the master shows the result; a host outside the zone is checked by
/// the master; deregistering removes the objects from both. Skipped where icinga2 is not
/// installed.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2")))
struct SatelliteServerTests {
  @Test func hostOfTheSatelliteZoneIsCheckedByTheSatellite() throws {
    // `localhost` and `127.0.0.1` both reach the sshd, so both ssh checks can be OK.
    let rig = try SatelliteServerRig(satelliteHosts: "localhost")
    defer { rig.cleanUp() }
    let pair = rig.pair, server = rig.server
    try rig.start()

    let started = Date()
    let stored = try rig.register("localhost", services: [("ssh", "ssh", ["port": String(rig.sshd.port)])])
    #expect(stored.succeeded && stored.stdout.contains("stored"), "\(stored.stdout)\(stored.stderr)")
    let local = try rig.register("127.0.0.1", services: [("ssh", "ssh", ["port": String(rig.sshd.port)])])
    #expect(local.succeeded, "\(local.stdout)\(local.stderr)")

    // The satellite checks the host of its zone; the result is OK on the master.
    let checked = waitUntil(seconds: 60) { rig.firstResult(host: "localhost") != nil }
    let elapsed = Date().timeIntervalSince(started)
    #expect(checked, "no result: \(rig.diagnostics())")
    let remote = try #require(try pair.master.serviceStates(host: "localhost").first)
    print("satellite zone through the server: first result on the master after \(elapsed) s")
    #expect(remote.name == "ssh" && remote.state == 0, "\(remote)")
    #expect(remote.checkSource == pair.satellite.nodeName)
    #expect(elapsed < 45)
    #expect(try pair.satellite.serviceStates(host: "localhost").map(\.name) == ["ssh"])

    // The other host is the master's.
    #expect(waitUntil(seconds: 30) { (try? pair.master.serviceStates(host: "127.0.0.1"))?.first?.lastCheck != nil })
    let master = try #require(try pair.master.serviceStates(host: "127.0.0.1").first)
    #expect(master.state == 0 && master.checkSource == pair.master.nodeName, "\(master)")
    #expect(try pair.satellite.get("/v1/objects/hosts/127.0.0.1").status == 404)

    // Administration names the zone.
    let show = try server.runAdmin(["show", "localhost"])
    #expect(show.stdout.contains("zone: SAT"), "\(show.stdout)")
    #expect(!(try server.runAdmin(["show", "127.0.0.1"]).stdout.contains("zone: SAT")))

    // Deregistering removes the host from the master and the satellite.
    let gone = try rig.sshd.ssh(key: rig.keys["localhost"]!, user: server.user, request: ["deregister"])
    #expect(gone.succeeded, "\(gone.stdout)\(gone.stderr)")
    #expect(waitUntil(seconds: 60) {
      (try? pair.satellite.get("/v1/objects/hosts/localhost").status) == 404
        && (try? pair.master.serviceStates(host: "localhost"))?.isEmpty == true
    }, "\(rig.diagnostics())")
    #expect(!FileManager.default.fileExists(atPath: pair.syncedDirectory(zone: "SAT") + "/auto-monitor/hosts/localhost.conf"))
    #expect(try pair.master.serviceStates(host: "127.0.0.1").count == 1)
  }

  /// A satellite that is down costs an apply seconds, not the first-check loop's whole limit:
  /// the host's objects still go live on the master (checked when the satellite is back).
  @Test func aSatelliteThatIsDownDoesNotHoldTheApply() throws {
    let rig = try SatelliteServerRig(satelliteHosts: "localhost")
    defer { rig.cleanUp() }
    try rig.start()
    rig.pair.satellite.stop()
    try rig.enroll("localhost")
    let stored = try rig.sshd.ssh(key: rig.keys["localhost"]!, user: rig.server.user, request: ["register"],
      stdin: PrivateServer.payload(host: "localhost", services: [("ssh", "ssh", ["port": String(rig.sshd.port)])]))
    #expect(stored.succeeded, "\(stored.stdout)\(stored.stderr)")
    let started = Date()
    let applied = try rig.server.runAdmin(["apply", "--all"])
    let elapsed = Date().timeIntervalSince(started)
    #expect(applied.succeeded && applied.stdout.contains("applied"), "\(applied.stdout)\(applied.stderr)")
    #expect(elapsed < 15, "apply took \(elapsed) s with the satellite down (the first-check loop's limit is 20 s)")
    #expect(try rig.pair.master.serviceStates(host: "localhost").map(\.name) == ["ssh"])
  }

  /// A zone file for a zone Icinga does not know: the apply fails (Icinga refuses the objects),
  /// and the error says how to add the zone.
  @Test func aZoneIcingaDoesNotKnowIsNamedWithTheFix() throws {
    let icinga = try PrivateIcinga2()
    defer { icinga.cleanUp() }
    let server = try PrivateServer(backend: .icinga2, icinga: icinga, zones: ["ghost": "endpoint = ghost.example.org 127.0.0.1\nhost = *.ghost.example.org\n"])
    defer { server.cleanUp() }
    try icinga.start()
    defer { icinga.stop() }
    _ = try server.receive(client: "web.ghost.example.org", request: "register",
      payload: PrivateServer.payload(host: "web.ghost.example.org", services: [("ssh", "ssh", [:])]))
    let applied = try server.runAdmin(["apply"])
    #expect(!applied.succeeded)
    let status = try server.runAdmin(["status"])
    #expect(status.stdout.contains("zone 'ghost' is not an Icinga zone: add it with 'auto-monitor-server satellite add ghost"),
      "\(status.stdout)\(applied.stdout)\(applied.stderr)")
  }
}
