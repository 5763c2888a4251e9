import AutoMonitorServer
import MonitoringInfo
import Testing

/// Which zone's objects a host goes into, and where a mail flow across zones runs.
struct PlacementTests {
  static let map = ZoneMap(zones: [
    ZoneMap.Zone(name: "dmz", path: "dmz.conf", endpoints: [ZoneMap.Endpoint(name: "sat-dmz.example.org")],
      ranges: [AddressRange("198.18.1.0/24")!], hostPatterns: []),
    ZoneMap.Zone(name: "branch", path: "branch.conf", endpoints: [ZoneMap.Endpoint(name: "sat-branch.example.org")],
      ranges: [], hostPatterns: ["*.branch.example.org"]),
  ])

  static func service(_ name: String, _ type: String, _ params: [String: String] = [:]) -> RegisteredService {
    RegisteredService(name: name, type: type, source: "/etc/monitoring-info/x.conf", params: params)
  }

  @Test func hostsGoToTheirZoneAndFlowsWithinOneZoneStayThere() {
    let placements = Placements.compute(Self.map, registrations: [
      ("mx.example.org", RegistrationPayload(host: "mx.example.org", services: [Self.service("smtp", "smtp", ["mailflowid": "f1"])],
        sourceAddress: "198.18.1.5")),
      ("box.example.org", RegistrationPayload(host: "box.example.org", services: [Self.service("imap", "imap", ["mailflowid": "f1"])],
        sourceAddress: "198.18.1.6")),
      ("db.example.org", RegistrationPayload(host: "db.example.org", services: [Self.service("ssh", "ssh")], sourceAddress: "10.1.1.1")),
    ])
    #expect(placements["mx.example.org"]?.objectZone == "dmz" && placements["mx.example.org"]?.commandEndpoint == nil)
    #expect(placements["box.example.org"]?.objectZone == "dmz" && placements["box.example.org"]?.masterServices == [])
    #expect(placements["db.example.org"]?.objectZone == nil && placements["db.example.org"]?.checkingZone == nil)
    #expect(placements["db.example.org"]?.signature == "")
  }

  @Test func aFlowAcrossZonesRunsOnTheMasterAndTheRestStaysOnTheSatellite() {
    let placements = Placements.compute(Self.map, registrations: [
      ("mx.example.org", RegistrationPayload(host: "mx.example.org", services: [
        Self.service("smtp", "smtp", ["mailflowid": "f1"]), Self.service("ssh", "ssh"),
      ], sourceAddress: "198.18.1.5")),
      ("box.example.org", RegistrationPayload(host: "box.example.org", services: [Self.service("imap", "imap", ["mailflowid": "f1"])],
        sourceAddress: "10.0.0.7")),
    ])
    let mx = placements["mx.example.org"]!
    #expect(mx.objectZone == nil && mx.checkingZone == "dmz" && mx.commandEndpoint == "sat-dmz.example.org")
    #expect(mx.masterServices == ["smtp"])
    #expect(mx.endpoint(service: "smtp") == nil && mx.endpoint(service: "ssh") == "sat-dmz.example.org")
    #expect(mx.reason.contains("mail flow f1 spans zones"))
    let box = placements["box.example.org"]!
    #expect(box.objectZone == nil && box.commandEndpoint == nil && box.masterServices == ["imap"])
    #expect(mx.signature != "" && box.signature != "")
  }

  @Test func renderedObjectsCarryTheCommandEndpoint() {
    let placement = HostPlacement(objectZone: nil, checkingZone: "dmz", commandEndpoint: "sat-dmz.example.org",
      masterServices: ["smtp"], reason: "registered from 198.18.1.5, in 198.18.1.0/24")
    let text = String(decoding: Icinga2Renderer().render(host: "mx.example.org", services: [
      Self.service("smtp", "smtp", ["mailflowid": "f1"]), Self.service("ssh", "ssh"),
    ], placement: placement), as: UTF8.self)
    let objects = text.components(separatedBy: "\nobject ")
    #expect(objects.count == 4 && objects[0].contains("# checked by zone dmz: registered from 198.18.1.5"))
    #expect(objects[1].hasPrefix("Host ") && objects[1].contains("command_endpoint = \"sat-dmz.example.org\""))
    #expect(objects.first { $0.hasPrefix("Service \"smtp\"") }.map { !$0.contains("command_endpoint") } == true)
    #expect(objects.first { $0.hasPrefix("Service \"ssh\"") }.map { $0.contains("command_endpoint = \"sat-dmz.example.org\"") } == true)
    let plain = String(decoding: Icinga2Renderer().render(host: "mx.example.org", services: [Self.service("ssh", "ssh")]), as: UTF8.self)
    #expect(!plain.contains("command_endpoint") && !plain.contains("checked by zone"))
  }
}
