import Foundation
import MonitoringInfo
import TestKit
import Testing

/// Through a real sshd into a private nagios4 or Icinga 2: enroll, register, update,
/// deregister, forget.
@Suite(.serialized) struct EndToEndTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  @Test(arguments: TestBackend.allCases) func enrollRegisterUpdateDeregisterForget(backend: TestBackend) throws {
    let server = try PrivateServer(backend: backend)
    defer { server.cleanUp() }
    let sshd = try PrivateSSHD(server: server)
    defer { sshd.stop() }
    try sshd.start()
    try server.startMonitor()
    try server.startWatcher()
    let web = try TestHTTPServer()
    defer { web.stop() }

    // Enrollment without a ticket: pending until accepted.
    let keyB = try sshd.makeClientKey("b")
    let enroll = try reply(try sshd.ssh(key: keyB.path, user: server.user, request: ["enroll"],
      stdin: #"{"version":1,"host":"b.example.org"}"#))
    #expect(enroll.result == .pending, "\(enroll)")
    // Registering before the acceptance stores nothing; the answer says the request waits.
    let early = try sshd.ssh(key: keyB.path, user: server.user, request: ["register"], stdin: "{}")
    #expect(try reply(early).result == .pending && !(try reply(early).enrolled), "\(early.stdout)")
    #expect(!FileManager.default.fileExists(atPath: server.stateDirectory + "/registrations/b.example.org.json"))
    let listed = try server.runAdmin(["list"])
    #expect(listed.stdout.contains("b.example.org"), "\(listed.stdout)")
    #expect(try server.runAdmin(["accept", "b.example.org"]).succeeded)

    // Register: objects in Nagios and a first result within seconds.
    let payload = PrivateServer.payload(host: "b.example.org", services: [
      ("web", "http", ["port": String(web.port), "uri": "/"]),
    ])
    let started = Date()
    let stored = try reply(try sshd.ssh(key: keyB.path, user: server.user, request: ["register"], stdin: payload))
    #expect(stored.result == .stored, "\(stored)")
    #expect(stored.accepted == ["web"] && stored.rejected.isEmpty, "\(stored)")
    let adminStatus = { (try? server.runAdmin(["status"]).stdout) ?? "" }
    #expect(waitUntil(seconds: 20) { server.monitoredServices().contains("b.example.org;web") }, "\(adminStatus())")
    // Checked (b.example.org does not resolve here, so the state itself is CRITICAL).
    let checked = { (service: String) in server.serviceState(host: "b.example.org", service: service).map { $0 != "PENDING" } ?? false }
    #expect(waitUntil(seconds: 20) { checked("web") }, "\((try? server.runAdmin(["--json", "show", "b.example.org"]))?.stdout ?? "")")
    let firstResult = Date().timeIntervalSince(started)
    #expect(firstResult < 20)

    // Ticket enrollment binds at once.
    let keyC = try sshd.makeClientKey("c")
    let ticket = try server.runAdmin(["ticket", "c.example.org"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let bound = try reply(try sshd.ssh(key: keyC.path, user: server.user, request: ["enroll"],
      stdin: "{\"version\":1,\"host\":\"c.example.org\",\"ticket\":\"\(ticket)\"}"))
    #expect(bound.result == .stored, "\(bound)")
    let wrongTicket = try reply(try sshd.ssh(key: try sshd.makeClientKey("d").path, user: server.user, request: ["enroll"],
      stdin: "{\"version\":1,\"host\":\"d.example.org\",\"ticket\":\"\(ticket)\"}"))
    #expect(wrongTicket.result == .pending)
    let payloadC = PrivateServer.payload(host: "c.example.org", services: [("ssh", "ssh", ["port": String(sshd.port)])])
    #expect(try reply(try sshd.ssh(key: keyC.path, user: server.user, request: ["register"], stdin: payloadC)).result == .stored)

    // Update: a second service of b.
    let updated = PrivateServer.payload(host: "b.example.org", services: [
      ("web", "http", ["port": String(web.port), "uri": "/"]),
      ("web2", "tcp", ["port": String(web.port)]),
    ])
    #expect(try reply(try sshd.ssh(key: keyB.path, user: server.user, request: ["register"], stdin: updated)).result == .stored)
    #expect(waitUntil(seconds: 20) {
      let services = server.monitoredServices()
      return services.contains("b.example.org;web2") && services.contains("c.example.org;ssh")
    })
    #expect(waitUntil(seconds: 20) { checked("web2") })

    // Deregister: b's services leave the monitoring system.
    #expect(try reply(try sshd.ssh(key: keyB.path, user: server.user, request: ["deregister"])).result == .stored)
    #expect(waitUntil(seconds: 20) { !server.monitoredServices().contains { $0.hasPrefix("b.example.org;") } })

    // Forget: c leaves, and its key no longer reaches the receiver as c.
    #expect(try server.runAdmin(["forget", "c.example.org"]).succeeded)
    #expect(waitUntil(seconds: 20) { !server.monitoredServices().contains { $0.hasPrefix("c.example.org;") } })
    let after = try reply(try sshd.ssh(key: keyC.path, user: server.user, request: ["register"], stdin: payloadC))
    #expect(after.result == .refused)
    let status = try server.runAdmin(["--json", "status"])
    #expect(status.stdout.contains("\"result\":\"applied\""), "\(status.stdout)")
    #expect(server.monitorVerifies())
    print("\(backend): registration to first check result through ssh: \(firstResult) s")
  }
}

/// A tiny HTTP server for checks to reach: python3's http.server on an allocated port.
final class TestHTTPServer {
  let port = allocatePort()
  let process: Daemon
  init() throws {
    process = try Daemon("/usr/bin/python3", ["-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", "/usr/share/doc"])
    _ = waitUntil(seconds: 5) { isListening(self.port) }
  }
  func stop() { process.stop() }
}
