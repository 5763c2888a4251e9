import Foundation
import MonitoringInfo
import TestKit
import Testing

/// A server from before the core/backend split kept everything in the Nagios package's
/// directory. `setup` (run by the packages' postinst on upgrade) moves it: the same keys,
/// bindings, tickets and registrations, the live generation still live, nothing for a client
/// to notice.
@Suite(.serialized) struct LegacyLayoutTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  /// Rearranges a running server's directories into the old layout (what 0.1.0 left).
  func makeLegacy(_ server: PrivateServer) throws {
    let legacy = server.backendDirectory
    let fm = FileManager.default
    try fm.createDirectory(atPath: legacy + "/nagios", withIntermediateDirectories: false)
    for name in try fm.contentsOfDirectory(atPath: legacy) where name != "nagios" {
      try fm.moveItem(atPath: legacy + "/" + name, toPath: legacy + "/nagios/" + name)
    }
    for name in ["registrations", "keys", "pending", "secret", "apply"] {
      try fm.moveItem(atPath: server.stateDirectory + "/" + name, toPath: legacy + "/" + name)
    }
    try fm.removeItem(atPath: server.stateDirectory)
    try fm.createDirectory(atPath: legacy + "/hosts", withIntermediateDirectories: false)
    try "define host {\n}\n".write(toFile: legacy + "/hosts/b.example.org.cfg", atomically: true, encoding: .utf8)
    try "stale\n".write(toFile: legacy + "/nagios/quarantine/gone.example.org.cfg", atomically: true, encoding: .utf8)
    // Nagios read the objects through the old link target.
    let link = server.nagios.confD + "/auto-monitor"
    try fm.removeItem(atPath: link)
    try fm.createSymbolicLink(atPath: link, withDestinationPath: legacy + "/nagios/live")
  }

  @Test func setupMovesTheOldLayoutAndNothingIsLost() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let ticket = try server.runAdmin(["ticket", "b.example.org"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let payload = PrivateServer.payload(host: "b.example.org", services: [("ssh", "ssh", [:])])
    #expect(try reply(try server.receive(client: "b.example.org", request: "register", payload: payload)).result == .stored)
    #expect(try server.runAdmin(["apply"]).succeeded)
    let secret = try Data(contentsOf: URL(fileURLWithPath: server.stateDirectory + "/secret"))
    let generation = try FileManager.default.destinationOfSymbolicLink(atPath: server.backendDirectory + "/live")
    try makeLegacy(server)
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded, "the legacy layout verifies")

    let setup = try server.runAdmin(["setup"])
    #expect(setup.succeeded, "\(setup.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: server.stateDirectory + "/secret")) == secret)
    #expect(FileManager.default.fileExists(atPath: server.stateDirectory + "/registrations/b.example.org.json"))
    #expect(!FileManager.default.fileExists(atPath: server.backendDirectory + "/hosts"))
    #expect(!FileManager.default.fileExists(atPath: server.backendDirectory + "/quarantine/gone.example.org.cfg"))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: server.backendDirectory + "/live") == generation)
    // The old link target still resolves until the Nagios package points the link anew.
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded, "Nagios still verifies after the move")
    #expect(FileManager.default.fileExists(atPath: server.nagios.confD + "/auto-monitor/hosts/b.example.org.cfg"))
    #expect(try server.runAdmin(["ticket", "b.example.org"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ticket,
      "tickets made before still hold")
    // The next apply renders from the registrations: the same objects.
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    #expect(try String(contentsOfFile: server.backendDirectory + "/live/hosts/b.example.org.cfg", encoding: .utf8).contains("ssh"))
    #expect(try reply(try server.receive(client: "b.example.org", request: "status", payload: "")).accepted == ["ssh"])
    // Idempotent.
    #expect(try server.runAdmin(["setup"]).succeeded)
    #expect(try Data(contentsOf: URL(fileURLWithPath: server.stateDirectory + "/secret")) == secret)
  }
}
