import Foundation
import MonitoringInfo
import TestKit
import Testing

/// Hostile clients: through ssh and directly at the receiver.
@Suite(.serialized) struct SecurityTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  @Test func boundKeyCannotWriteAnotherHostNorGetAShell() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let sshd = try PrivateSSHD(server: server)
    defer { sshd.stop() }
    try sshd.start()
    let key = try sshd.makeClientKey("b")
    let ticket = try server.runAdmin(["ticket", "b.example.org"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try reply(try sshd.ssh(key: key.path, user: server.user, request: ["enroll"],
      stdin: "{\"version\":1,\"host\":\"b.example.org\",\"ticket\":\"\(ticket)\"}")).result == .stored)

    let forC = PrivateServer.payload(host: "c.example.org", services: [("web", "http", [:])])
    let refused = try sshd.ssh(key: key.path, user: server.user, request: ["register"], stdin: forC)
    #expect(refused.status == 2)
    #expect(!FileManager.default.fileExists(atPath: server.stateDirectory + "/registrations/c.example.org.json"))

    let canary = server.directory.path + "/canary"
    let shell = try sshd.ssh(key: key.path, user: server.user, request: ["id; touch \(canary)"])
    #expect(shell.status == 64)
    let pty = try sshd.ssh(key: key.path, user: server.user, request: ["status"], options: ["-tt"])
    #expect(pty.stderr.contains("PTY allocation request failed") || !pty.stdout.contains("$"), "\(pty.stderr)")
    let remote = try sshd.ssh(key: key.path, user: server.user, request: ["status"],
      options: ["-o", "ExitOnForwardFailure=yes", "-R", "\(allocatePort()):127.0.0.1:\(sshd.port)"])
    #expect(remote.status == 255, "remote forwarding must be refused: \(remote.stderr)")
    let direct = try sshd.ssh(key: key.path, user: server.user, request: [], options: ["-W", "127.0.0.1:\(sshd.port)"])
    #expect(direct.status == 255 && !direct.stdout.contains("SSH-2.0"), "direct-tcpip (stdio forwarding) must be refused")
    let agent = try sshd.ssh(key: key.path, user: server.user, request: ["status"], options: ["-A", "-X"])
    #expect(try reply(agent).result == .unchanged, "agent/X11 requests change nothing; the command is still forced")
    let subsystem = try sshd.ssh(key: key.path, user: server.user, request: ["sftp"], options: ["-s"])
    #expect(subsystem.status != 0)
    #expect(!FileManager.default.fileExists(atPath: canary), "no command ran")
  }

  @Test func unknownKeysOnlyLeaveABoundedNumberOfPendingRequests() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    // max_pending = 8 in the test settings.
    var results: [RegistrationReply.Result] = []
    for index in 0..<12 {
      let key = try Self.randomKey(index)
      let result = try server.receive(client: nil, request: "enroll", payload: "{\"version\":1,\"host\":\"h\(index).example.org\"}",
        unboundKey: key)
      results.append(try reply(result).result)
      // Whether its request was filed (pending) or not (refused), an unknown key stores nothing.
      let register = try server.receive(client: nil, request: "register", payload: "{}", unboundKey: key)
      let registerReply = try reply(register)
      #expect(!registerReply.enrolled && registerReply.result == results.last, "\(register.stdout)")
      #expect(register.status == (registerReply.result == .pending ? 0 : 2))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: server.stateDirectory + "/registrations").isEmpty)
    #expect(results.filter { $0 == .pending }.count == 8)
    #expect(results.suffix(4).allSatisfy { $0 == .refused })
    let pending = try FileManager.default.contentsOfDirectory(atPath: server.stateDirectory + "/pending")
    #expect(pending.count == 8)
    let big = try server.receive(client: nil, request: "enroll", payload: String(repeating: "x", count: 100_000), unboundKey: try Self.randomKey(99))
    #expect(try reply(big).result == .refused)
  }

  static func randomKey(_ index: Int) throws -> (String, String) {
    var bytes = [UInt8](repeating: 0, count: 51)
    for i in 0..<bytes.count { bytes[i] = UInt8((i * 31 + index * 7) & 0xFF) }
    return ("ssh-ed25519", Data(bytes).base64EncodedString())
  }

  /// Shell and Nagios metacharacters, NUL, non-UTF-8, overlong and traversing names, deep JSON,
  /// 100 MB: refused or stored inert, no command ran, and the configuration still verifies.
  @Test(arguments: TestBackend.allCases) func hostilePayloadsAreRefusedOrInert(backend: TestBackend) throws {
    let server = try PrivateServer(backend: backend)
    defer { server.cleanUp() }
    let canary = server.directory.path + "/canary"
    let evil = ["\n", ";", "!", "$", "'", "\"", "`", "\\"].map { "x\($0)touch \(canary)\($0)" }
    var payloads: [String] = []
    for text in evil {
      payloads.append(PrivateServer.payload(host: "b.example.org", services: [(text, "http", [:])]))
      payloads.append(PrivateServer.payload(host: "b.example.org", services: [("web", "http", ["uri": "/" + text])]))
      payloads.append(PrivateServer.payload(host: "b.example.org", services: [("web", text, [:])]))
      payloads.append(PrivateServer.payload(host: "b.example.org", services: [("web", "http", [text: "1"])]))
      payloads.append(PrivateServer.payload(host: "b.example.org", services: [("web", "http", ["hostname": text])]))
    }
    payloads += [
      PrivateServer.payload(host: "b.example.org", services: [("../x", "http", [:])]),
      PrivateServer.payload(host: "../x", services: [("web", "http", [:])]),
      PrivateServer.payload(host: "b.example.org", services: [(String(repeating: "a", count: 5000), "http", [:])]),
      PrivateServer.payload(host: "b.example.org", services: [("web", "http", ["uri": "/" + String(repeating: "a", count: 500_000)])]),
      "{\"version\":1,\"host\":\"b.example.org\",\"services\":[{\"name\":\"we\\u0000b\",\"type\":\"http\"}]}",
      String(repeating: "[", count: 100_000),
      "{\"version\":1,\"host\":\"b.example.org\",\"services\":[],\"host\":\"c.example.org\"}",
    ]
    for payload in payloads {
      let result = try server.receive(client: "b.example.org", request: "register", payload: payload)
      let answer = try reply(result)
      #expect(result.status == 0 || result.status == 2, "\(result.stdout)")
      #expect(answer.result == .refused || answer.accepted.allSatisfy(ServiceName.isValid))
      // Each stored one verifies as it would go live (no host quarantined, nothing refused).
      if answer.result == .stored {
        let apply = try server.runAdmin(["--json", "apply"])
        #expect(apply.succeeded && apply.stdout.contains("\"quarantined\":{}"), "\(payload.prefix(300)): \(apply.stdout)")
      }
    }
    // Non-UTF-8 and 100 MB on stdin.
    var invalid = Array(PrivateServer.payload(host: "b.example.org", services: [("web", "http", ["uri": "/a"])]).utf8)
    invalid.insert(0xFF, at: invalid.count - 10)
    let bad = try runProgram(server.receiver, ["--config", server.configPath, "--client", "b.example.org"],
      environment: ["SSH_ORIGINAL_COMMAND": "register"], stdin: Data(invalid))
    #expect(try reply(bad).result == .refused)
    let huge = try runProgram("/bin/sh", ["-c", "head -c 100000000 /dev/zero | \(server.receiver) --config \(server.configPath) --client b.example.org"],
      environment: ["SSH_ORIGINAL_COMMAND": "register", "PATH": "/usr/bin:/bin"])
    #expect(try reply(huge).result == .refused)
    #expect(huge.stdout.contains("larger than"))

    // Whatever was stored: every object name is strict, and the monitoring system accepts the
    // configuration.
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    let suffix = backend == .nagios ? ".cfg" : ".conf"
    let hostFile = (try? String(contentsOfFile: server.backendDirectory + "/live/hosts/b.example.org" + suffix, encoding: .utf8)) ?? ""
    #expect(!hostFile.contains(canary) || backend == .icinga2, "Nagios objects carry no client value")
    try server.startMonitor()
    _ = waitUntil(seconds: 3) { false }
    #expect(!FileManager.default.fileExists(atPath: canary), "no command ran")
    #expect(server.monitorVerifies())
  }
}
