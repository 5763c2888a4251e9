import Foundation
import MonitoringInfo
import TestKit
import Testing

/// What an administrator's mistake costs and how the server recovers once it is fixed: an
/// override that breaks one host quarantines that host only, and a failed apply is retried.
@Suite(.serialized) struct RecoveryTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  static func payload(_ host: String, _ services: [String]) -> String {
    PrivateServer.payload(host: host, services: services.map { ($0, $0 == "ssh" ? "ssh" : "http", [:]) })
  }

  /// An override naming an undefined contact for a service not registered yet: verified when
  /// it changes, and when the service arrives only its host is quarantined; the other hosts'
  /// changes go live. Fixing the override brings the host back without any other step.
  @Test func overrideThatBreaksOneHostQuarantinesThatHost() throws {
    let server = try PrivateServer(checkCommand: "/bin/true")
    defer { server.cleanUp() }
    try server.nagios.start()
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.payload("b.example.org", ["web"]))
    #expect(try server.runAdmin(["apply"]).succeeded)

    try "b.example.org ssh contacts nobody-at-all\n".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    let checked = try server.runAdmin(["--json", "apply"])
    let first = try JSONValue.parse(Array(checked.stdout.utf8))
    #expect(first["result"]?.stringValue == "applied" && first["verifications"]?.intValue == 1, "\(checked.stdout)")

    _ = try server.receive(client: "c.example.org", request: "register", payload: Self.payload("c.example.org", ["web"]))
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.payload("b.example.org", ["web", "ssh"]))
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("quarantined b.example.org") && apply.stdout.contains("nobody-at-all"), "\(apply.stdout)")
    #expect(waitUntil(seconds: 10) { server.nagios.loadedObjects().services.contains("c.example.org;web") })
    #expect(!server.nagios.loadedObjects().services.contains("b.example.org;ssh"))
    #expect(server.nagios.loadedObjects().services.contains("b.example.org;web"), "its last good objects stay")
    let told = try reply(try server.receive(client: "b.example.org", request: "status", payload: ""))
    #expect(told.quarantined?.contains("nobody-at-all") == true, "\(told)")

    try "".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    let fixed = try server.runAdmin(["apply"])
    #expect(fixed.succeeded && !fixed.stdout.contains("quarantined"), "\(fixed.stdout)\(fixed.stderr)")
    #expect(waitUntil(seconds: 10) { server.nagios.loadedObjects().services.contains("b.example.org;ssh") })
    #expect(try reply(try server.receive(client: "b.example.org", request: "status", payload: "")).quarantined == nil)
  }

  /// The administrator breaks a Nagios file of their own: the registration that arrives meanwhile
  /// waits; once the file is fixed the watcher's retry applies it, with nobody running `apply`.
  @Test func failedApplyIsRetriedByTheWatcher() throws {
    let server = try PrivateServer(checkCommand: "/bin/true")
    defer { server.cleanUp() }
    try server.nagios.start()
    let broken = server.nagios.confD + "/manual.cfg"
    try "define host {\n    no_such_directive 1\n}\n".write(toFile: broken, atomically: true, encoding: .utf8)
    chmod(broken, 0o644)
    try server.startWatcher()
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.payload("b.example.org", ["web"]))
    // The watcher records the failure, then when it tries again: wait for both.
    let recorded = { (try? JSONValue.parse(Array(server.runAdmin(["--json", "status"]).stdout.utf8))) ?? .null }
    #expect(waitUntil(seconds: 20) { recorded()["result"]?.stringValue == "failed" && recorded()["next_retry"]?.intValue != nil })
    let status = recorded()
    #expect(status["apply_due"] == .bool(true) && status["next_retry"]?.intValue != nil, "\(status)")
    #expect(try server.runAdmin(["status"]).stdout.contains("retried"))

    try FileManager.default.removeItem(atPath: broken)
    #expect(waitUntil(seconds: 30) { server.nagios.loadedObjects().services.contains("b.example.org;web") })
    // Nagios has the objects before the watcher records its apply: wait for the record too.
    #expect(waitUntil(seconds: 10) { recorded()["result"]?.stringValue == "applied" && recorded()["apply_due"] == .bool(false) },
      "\(recorded())")
  }
}
