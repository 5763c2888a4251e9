import Foundation
import MonitoringInfo
import TestKit
import Testing

/// Crashes, broken administrator files, bursts, and Nagios being down.
@Suite(.serialized) struct FaultTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  static let first = PrivateServer.payload(host: "b.example.org", services: [("web", "http", [:])])
  static let second = PrivateServer.payload(host: "b.example.org", services: [("web", "http", [:]), ("ssh", "ssh", [:])])

  /// The receiver is killed (strace injects SIGKILL) at each of its write steps in turn: the
  /// registration is the old or the new one, never torn, and the next registration repairs
  /// everything.
  @Test func receiverKilledAtEveryWriteStep() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    #expect(try reply(try server.receive(client: "b.example.org", request: "register", payload: Self.first)).result == .stored)
    let registration = server.stateDirectory + "/registrations/b.example.org.json"
    let before = try String(contentsOfFile: registration, encoding: .utf8)
    for syscall in ["openat", "write", "fsync", "rename"] {
      for occurrence in 1...4 {
        let result = try runProgram("strace", [
          "-f", "-o", "/dev/null", "-e", "trace=\(syscall)", "-e", "inject=\(syscall):signal=SIGKILL:when=\(occurrence)",
          server.receiver, "--config", server.configPath, "--client", "b.example.org",
        ], environment: ["SSH_ORIGINAL_COMMAND": "register"], stdin: Data(Self.second.utf8))
        _ = result
        let now = try String(contentsOfFile: registration, encoding: .utf8)
        let payload = try RegistrationPayload.parse(Array(now.utf8))
        #expect(payload.services.count == 1 || payload.services.count == 2)
        // Back to the first state for the next step (repairs a half-done store).
        _ = try server.receive(client: "b.example.org", request: "register", payload: Self.first)
        #expect(try String(contentsOfFile: registration, encoding: .utf8) == before)
      }
    }
  }

  @Test func brokenTemplateOrOverrideNeverReachesNagios() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try server.nagios.start()
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.first)
    #expect(try server.runAdmin(["apply"]).succeeded)
    #expect(server.nagios.loadedObjects().services.contains("b.example.org;web"))
    let good = try String(contentsOfFile: server.templatesPath, encoding: .utf8)

    // A template the administrator broke: nagios4 -v fails, the running configuration stays.
    try (good + "\ndefine service {\n    name broken\n    no_such_directive 1\n}\n").write(toFile: server.templatesPath, atomically: true, encoding: .utf8)
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.second)
    let failed = try server.runAdmin(["apply"])
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("no_such_directive") || failed.stderr.contains("Error"), "\(failed.stderr)")
    #expect(!server.nagios.loadedObjects().services.contains("b.example.org;ssh"))
    let status = try server.runAdmin(["status"])
    #expect(status.status == 1 && status.stdout.contains("Error"), "\(status.stdout)")
    // The live link still points at a configuration that verifies.
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded)

    // An override with a syntax error is reported with file and line.
    try good.write(toFile: server.templatesPath, atomically: true, encoding: .utf8)
    try "b.example.org web check_interval soon\n".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    let override = try server.runAdmin(["apply"])
    #expect(override.status == 1 && override.stderr.contains("overrides.conf:1"), "\(override.stderr)")
    // An override Nagios refuses (unknown contact on every host): each host it touches is
    // quarantined with its last good objects live, so nothing of it is applied.
    try "* * contacts nobody-at-all\n".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    let contact = try server.runAdmin(["apply"])
    #expect(contact.stdout.contains("quarantined b.example.org") && contact.stdout.contains("nobody-at-all"), "\(contact.stdout)")
    #expect(!server.nagios.loadedObjects().services.contains("b.example.org;ssh"))
    // Fixed: applied, and the override (disable a service) takes effect without touching host files.
    try "b.example.org ssh disable\n* - check_interval 7\n".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    let fixed = try server.runAdmin(["apply"])
    #expect(fixed.succeeded, "\(fixed.stdout)\(fixed.stderr)")
    #expect(waitUntil(seconds: 10) { server.nagios.loadedObjects().services.contains("b.example.org;web") })
    #expect(!server.nagios.loadedObjects().services.contains("b.example.org;ssh"))
    #expect(try String(contentsOfFile: server.stateDirectory + "/registrations/b.example.org.json", encoding: .utf8).contains("ssh"))
  }

  /// A failure that one host's new file causes (an object the administrator already defined
  /// by hand) quarantines that host; the others are applied; its next reply says why.
  @Test func failurePinnedOnOneHostQuarantinesIt() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try "define host {\n    use generic-host\n    host_name c.example.org\n    address 127.0.0.1\n    max_check_attempts 1\n    check_period 24x7\n    contact_groups admins\n}\n"
      .write(toFile: server.nagios.confD + "/manual.cfg", atomically: true, encoding: .utf8)
    _ = try runProgram("chmod", ["644", server.nagios.confD + "/manual.cfg"])
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.first)
    #expect(try server.runAdmin(["apply"]).succeeded)
    _ = try server.receive(client: "b.example.org", request: "register", payload: Self.second)
    _ = try server.receive(client: "c.example.org", request: "register",
      payload: PrivateServer.payload(host: "c.example.org", services: [("web", "http", [:])]))
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("quarantined c.example.org"), "\(apply.stdout)")
    let status = try server.runAdmin(["status"])
    #expect(status.stdout.contains("quarantined c.example.org"))
    let next = try reply(try server.receive(client: "c.example.org", request: "status", payload: ""))
    #expect(next.message.contains("quarantined"), "\(next.message)")
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded)
    let live = try FileManager.default.contentsOfDirectory(atPath: server.backendDirectory + "/live/hosts")
    #expect(live == ["b.example.org.cfg"])
  }

  @Test func twoHundredConcurrentRegistrationsAllLandWithFewApplies() throws {
    let server = try PrivateServer(checkCommand: "/bin/true")
    defer { server.cleanUp() }
    try server.nagios.start()
    try server.startWatcher()
    let hosts = (0..<200).map { "h\($0).example.org" }
    DispatchQueue.concurrentPerform(iterations: hosts.count) { index in
      let host = hosts[index]
      _ = try? server.receive(client: host, request: "register",
        payload: PrivateServer.payload(host: host, services: [("web", "http", [:]), ("ssh", "ssh", [:])]))
    }
    #expect(waitUntil(seconds: 60) { server.nagios.loadedObjects().services.count >= 400 + 8 })
    let services = server.nagios.loadedObjects().services
    #expect(hosts.allSatisfy { services.contains($0 + ";web") && services.contains($0 + ";ssh") })
    let status = try server.runAdmin(["--json", "status"])
    let json = try JSONValue.parse(Array(status.stdout.utf8))
    let reloads = json["total_reloads"]?.intValue ?? 999
    #expect(reloads >= 1 && reloads <= 10, "\(status.stdout)")
  }

  @Test func nagiosDownRegistrationsStoredAndAppliedOnceBack() throws {
    let server = try PrivateServer(checkCommand: "/bin/true")
    defer { server.cleanUp() }
    try server.startWatcher()
    #expect(try reply(try server.receive(client: "b.example.org", request: "register", payload: Self.first)).result == .stored)
    #expect(waitUntil(seconds: 15) { (try? server.runAdmin(["status"]).stdout.contains("not running")) ?? false })
    try server.nagios.start()
    #expect(waitUntil(seconds: 10) { server.nagios.loadedObjects().services.contains("b.example.org;web") })
  }
}
