import AutoMonitorServer
import Foundation
import MonitoringInfo
import TestKit
import Testing

/// The administrator's zone files: which zone checks a host, decided by the address its
/// registration came from or by its name, never by the client.
struct ZoneMapTests {
  func ip(_ text: String) -> IPAddress { IPAddress(text)! }

  @Test func addressRangesMatchIPv4IPv6AndMappedAddresses() throws {
    let v4 = try #require(AddressRange("198.18.1.0/24"))
    #expect(v4.contains(ip("198.18.1.200")))
    #expect(!v4.contains(ip("198.18.2.1")))
    #expect(v4.contains(ip("::ffff:198.18.1.7")))
    let odd = try #require(AddressRange("198.18.0.0/15"))
    #expect(odd.contains(ip("198.19.255.1")) && !odd.contains(ip("198.20.0.1")))
    let v6 = try #require(AddressRange("2001:db8:1::/48"))
    #expect(v6.contains(ip("2001:db8:1:ff::5")) && !v6.contains(ip("2001:db8:2::5")))
    #expect(!v6.contains(ip("198.18.1.1")))
    let single = try #require(AddressRange("198.18.1.9"))
    #expect(single.contains(ip("198.18.1.9")) && !single.contains(ip("198.18.1.10")))
    for bad in ["198.18.1.0/33", "198.18.1/24", "host.example.org", "198.18.1.0/", "198.18.1.0/2x", "::/129", ""] {
      #expect(AddressRange(bad) == nil, "\(bad)")
    }
  }

  @Test func firstMatchingZoneByNameWinsAndOthersAreTheMasters() throws {
    let directory = try temporaryDirectory("zones")
    defer { try? FileManager.default.removeItem(at: directory) }
    try "endpoint = sat-a.example.org 198.18.1.1\naddress = 198.18.1.0/24\n".write(
      to: directory.appendingPathComponent("a-dmz.conf"), atomically: true, encoding: .utf8)
    try "# branch\nendpoint = sat-b.example.org\nhost = *.branch.example.org\naddress = 198.18.0.0/15\n".write(
      to: directory.appendingPathComponent("b-branch.conf"), atomically: true, encoding: .utf8)
    var settings = ServerSettings()
    settings.zonesDirectory = directory.path
    let map = try ZoneMap.load(settings)
    #expect(map.zones.map(\.name) == ["a-dmz", "b-branch"])
    #expect(map.zones[0].endpoints == [ZoneMap.Endpoint(name: "sat-a.example.org", host: "198.18.1.1", port: nil)])
    #expect(map.match(host: "www.example.org", address: "198.18.1.5")?.zone.name == "a-dmz")
    #expect(map.match(host: "www.example.org", address: "198.18.1.5")?.reason == "registered from 198.18.1.5, in 198.18.1.0/24")
    #expect(map.match(host: "www.example.org", address: "198.18.7.5")?.zone.name == "b-branch")
    #expect(map.match(host: "db.branch.example.org", address: "10.0.0.1")?.zone.name == "b-branch")
    #expect(map.match(host: "db.example.org", address: "10.0.0.1") == nil)
    #expect(map.match(host: "db.example.org", address: nil) == nil)
  }

  @Test func mistakesNameTheFileLineAndFix() throws {
    let directory = try temporaryDirectory("zones")
    defer { try? FileManager.default.removeItem(at: directory) }
    var settings = ServerSettings()
    settings.zonesDirectory = directory.path
    let cases: [(String, String)] = [
      ("endpoint = sat.example.org\naddress = 198.18.1.0/99\n", "dmz.conf:2: '198.18.1.0/99' is no address range"),
      ("address = 198.18.1.0/24\n", "zone 'dmz' has no 'endpoint' line"),
      ("endpoint = sat.example.org\nrange = 198.18.1.0/24\n", "dmz.conf:2: unknown setting 'range'"),
      ("endpoint = sat.example.org 198.18.1.1 99999\n", "dmz.conf:1: '99999' is no port"),
      ("endpoint = \"sat\"\n", "dmz.conf:1: 'endpoint' is NAME [ADDRESS [PORT]]"),
    ]
    for (text, message) in cases {
      try text.write(to: directory.appendingPathComponent("dmz.conf"), atomically: true, encoding: .utf8)
      do {
        _ = try ZoneMap.load(settings)
        Issue.record("accepted: \(text)")
      } catch { #expect(error.description.contains(message), "\(error.description)") }
    }
  }

  @Test func theReceiverStoresTheSSHAddressNotTheClients() throws {
    #expect(Receiver.sourceAddress(sshConnection: "198.18.1.5 51000 198.18.1.1 22") == "198.18.1.5")
    #expect(Receiver.sourceAddress(sshConnection: "2001:db8::5 51000 2001:db8::1 22") == "2001:db8::5")
    #expect(Receiver.sourceAddress(sshConnection: "not-an-address 1 2 3") == nil)
    #expect(Receiver.sourceAddress(sshConnection: nil) == nil)
    let directory = try temporaryDirectory("receiver-zone")
    defer { try? FileManager.default.removeItem(at: directory) }
    var settings = ServerSettings()
    settings.stateDirectory = directory.path
    try FileManager.default.createDirectory(atPath: settings.registrations, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: settings.applyDirectory, withIntermediateDirectories: true)
    // The client claims an address inside a satellite's range; the receiver writes sshd's.
    let payload = #"{"version":1,"host":"web.example.org","source_address":"198.18.1.5","services":[{"name":"ssh","type":"ssh","source":"/etc/monitoring-info/openssh-server.conf","params":{}}]}"#
    let receiver = Receiver(settings: settings, sourceAddress: "198.18.0.9")
    let (reply, status) = receiver.handle(request: "register", identity: .bound("web.example.org")) { (Array(payload.utf8), false) }
    #expect(status == 0 && reply.result == .stored)
    let stored = try #require(RegistrationStore(settings: settings).payload("web.example.org"))
    #expect(stored.sourceAddress == "198.18.0.9")
    // The same services from another address are a change: the zone may differ.
    let moved = Receiver(settings: settings, sourceAddress: "198.18.1.77")
    #expect(moved.handle(request: "register", identity: .bound("web.example.org")) { (Array(payload.utf8), false) }.0.result == .stored)
    #expect(RegistrationStore(settings: settings).payload("web.example.org")?.sourceAddress == "198.18.1.77")
  }
}
