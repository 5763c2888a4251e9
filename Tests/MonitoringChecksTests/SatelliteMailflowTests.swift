// A mail flow across zones, through the server: host A (in the satellite zone) sends with smtp,
// host B (in the master zone) collects with imap, both with one mailflowid. The flow's services
// run on the master, which keeps the tokens; A's other service runs on the satellite.
import Foundation
import TestKit
import Testing

@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2")))
final class SatelliteMailflowTests {
  @Test(.disabled("work in progress: A's flow service keeps the satellite's first result after B's registration moves it to the master (no forced check for re-placed hosts); the satellite holds no objects of a command_endpoint host; exim did not deliver within 20 s"))
  func flowAcrossZonesRunsOnTheMaster() throws {
    let mail = try MailServers()
    defer { mail.stop() }
    // Icinga runs the plugin as nagios on both nodes: one token store for every run.
    let store = try temporaryDirectory("mi-sat-mailflow")
    defer { try? FileManager.default.removeItem(at: store) }
    _ = try run("/bin/chown", ["nagios:nagios", store.path])
    let wrapper = "#!/bin/sh\nexec \"$(dirname \"$0\")/check_monitoring_info.real\" \"$@\" --mailflow-dir '\(store.path)'\n"
    // A is `localhost` (the satellite's zone by name), B `127.0.0.1` (the master's).
    let rig = try SatelliteServerRig(satelliteHosts: "localhost", plugin: wrapper)
    defer { rig.cleanUp() }
    let master = rig.pair.master, satellite = rig.pair.satellite
    try rig.start()

    let a = try rig.register("localhost", services: [
      ("mail-out", "smtp", ["port": String(mail.smtp), "email": "probe@mail.test", "mailflowid": "crossing"]),
      ("ssh", "ssh", ["port": String(rig.sshd.port)]),
    ])
    #expect(a.succeeded && a.stdout.contains("stored"), "\(a.stdout)\(a.stderr)")
    let b = try rig.register("127.0.0.1", services: [
      ("mail-in", "imap", ["port": String(mail.imap), "username": MailServers.user, "password": MailServers.password,
        "mailflowid": "crossing"]),
    ])
    #expect(b.succeeded && b.stdout.contains("stored"), "\(b.stdout)\(b.stderr)")

    // Every first result on the master; the flow's services checked there, A's ssh by the satellite.
    let checked = waitUntil(seconds: 60) { rig.firstResult(host: "localhost") != nil && rig.firstResult(host: "127.0.0.1") != nil }
    #expect(checked, "\(rig.diagnostics())")
    let states = try master.serviceStates(host: "localhost")
    let out = try #require(states.first { $0.name == "mail-out" })
    let ssh = try #require(states.first { $0.name == "ssh" })
    #expect(out.checkSource == master.nodeName && out.state == 0, "\(out)")
    #expect(out.output?.contains("accepted") == true, "\(out)")
    #expect(ssh.checkSource == satellite.nodeName && ssh.state == 0, "\(ssh)")
    #expect(try satellite.serviceStates(host: "localhost").map(\.name) == ["ssh"], "the satellite runs only A's own service")
    let show = try rig.server.runAdmin(["show", "localhost"])
    #expect(show.stdout.contains("zone: SAT"), "\(show.stdout)")

    // The token reaches the maildir; B's imap check (on the master) finds and removes it.
    #expect(mail.waitForMail(1, seconds: 20), "exim delivered the token mail")
    // Its first check may have run before the delivery: forced again (every 2 s) until the
    // maildir is empty.
    var collected: PrivateIcinga2.ServiceState?
    var outputs: Set<String> = []
    let consumed = waitUntil(seconds: 30) {
      collected = (try? master.serviceStates(host: "127.0.0.1"))?.first
      if let output = collected?.output { outputs.insert(output) }
      if mail.maildirCount == 0 { return true }
      _ = try? master.rescheduleChecks(hosts: ["127.0.0.1"])
      usleep(2_000_000)
      return false
    }
    #expect(consumed, "\(String(describing: collected))")
    #expect(waitUntil(seconds: 10) {
      collected = (try? master.serviceStates(host: "127.0.0.1"))?.first
      if let output = collected?.output { outputs.insert(output) }
      return outputs.contains { $0.contains("1 mail-flow mails removed (1 tokens matched)") }
    }, "\(outputs)")
    #expect(collected?.state == 0 && collected?.checkSource == master.nodeName, "\(String(describing: collected))")
    #expect(!outputs.contains { $0.contains("odd") }, "no secret in the output")
    #expect(FileManager.default.fileExists(atPath: store.path + "/crossing.tokens"))
  }
}
