// A mail flow across zones, through the server: host A (in the satellite zone) sends with smtp,
// host B (in the master zone) collects with imap, both with one mailflowid. The flow's services
// run on the master, which keeps the tokens; A's other service runs on the satellite.
import Foundation
import TestKit
import Testing

@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2")))
final class SatelliteMailflowTests {
  @Test
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

    // Every first result on the master. A registered first, so the satellite may have checked
    // its smtp before B's registration moved the flow to the master: wait for the master's run
    // (the moved host's forced first check). A's ssh stays with the satellite.
    let checked = waitUntil(seconds: 60) {
      rig.firstResult(host: "127.0.0.1") != nil
        && rig.firstResult(host: "localhost")?.first { $0.name == "mail-out" }?.checkSource == master.nodeName
    }
    #expect(checked, "\((try? master.serviceStates(host: "localhost")).map { "\($0)" } ?? "")\n\(rig.diagnostics())")
    let states = try master.serviceStates(host: "localhost")
    let out = try #require(states.first { $0.name == "mail-out" })
    let ssh = try #require(states.first { $0.name == "ssh" })
    #expect(out.checkSource == master.nodeName && out.state == 0, "\(out)")
    #expect(out.output?.contains("accepted") == true, "\(out)")
    #expect(ssh.checkSource == satellite.nodeName && ssh.state == 0, "\(ssh)")
    let show = try rig.server.runAdmin(["show", "localhost"])
    #expect(show.stdout.contains("zone: SAT"), "\(show.stdout)")

    // Exim delivers in the background, and B's imap check may collect the mail before the test
    // looks at the maildir: exim's log tells whether it was delivered.
    #expect(waitUntil(seconds: 30) { mail.deliveries >= 1 }, "exim delivered the token mail")
    // B's imap check (on the master) finds the mails and clears their tokens. Its first check may
    // have run before the delivery: forced again (every 2 s) until the maildir and the token
    // store are empty.
    let flow = { try plugin(["mailflow", "--id", "crossing", "--seconds", "1", "--mailflow-dir", store.path]) }
    var collected: PrivateIcinga2.ServiceState?
    var outputs: Set<String> = []
    var inFlight = try flow()
    let consumed = waitUntil(seconds: 60) {
      collected = (try? master.serviceStates(host: "127.0.0.1"))?.first
      if let output = collected?.output { outputs.insert(output) }
      inFlight = (try? flow()) ?? inFlight
      if mail.maildirCount == 0 && inFlight.line.contains("no mail for 'crossing' in flight")
        && outputs.contains(where: { $0.contains("mail-flow mails removed") }) { return true }
      _ = try? master.rescheduleChecks(hosts: ["127.0.0.1"])
      usleep(2_000_000)
      return false
    }
    #expect(consumed, "maildir: \(mail.maildirCount), \(inFlight), \(outputs)")
    // Every mail it removed carried a token of the store (the satellite's first smtp run, if
    // any, shares the store through --mailflow-dir).
    let removals = outputs.compactMap { $0.firstMatch(of: /(\d+) mail-flow mails removed \((\d+) tokens matched\)/) }
    #expect(!removals.isEmpty && removals.allSatisfy { $0.1 == $0.2 }, "\(outputs)")
    #expect(collected?.state == 0 && collected?.checkSource == master.nodeName, "\(String(describing: collected))")
    #expect(!outputs.contains { $0.contains("odd") }, "no secret in the output")
    #expect(inFlight.status == 0, "\(inFlight)")
    #expect(FileManager.default.fileExists(atPath: store.path + "/crossing.tokens"))
  }
}
