import Foundation
import MonitoringInfo
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The receiver's slots (max_receivers): one receiver more than allowed answers `busy` with
/// `retry_after` and exit status 75, and stores nothing.
@Suite(.serialized) struct ReceiverBusyTests {
  func holdSlots(_ server: PrivateServer, _ count: Int) -> [Int32] {
    (0..<count).map { index in
      let descriptor = open(server.stateDirectory + "/slots/\(index)", O_CREAT | O_RDWR, 0o600)
      flock(descriptor, LOCK_EX)
      return descriptor
    }
  }

  func configure(_ server: PrivateServer, _ lines: String) throws {
    let text = try String(contentsOfFile: server.configPath, encoding: .utf8)
    try (text + lines).write(toFile: server.configPath, atomically: true, encoding: .utf8)
  }

  @Test func aSaturatedServerAnswersBusyAndStoresNothing() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try configure(server, "max_receivers = 2\nbusy_retry_after = 7\n")
    let payload = PrivateServer.payload(host: "b.example.org", services: [("web", "http", ["port": "8080"])])
    let held = holdSlots(server, 2)
    let busy = try server.receive(client: "b.example.org", request: "register", payload: payload)
    #expect(busy.status == 75, "\(busy.stdout)\(busy.stderr)")
    let reply = try RegistrationReply.parse(Array(busy.stdout.utf8))
    #expect(reply.result == .busy && reply.retryAfter == 7 && reply.accepted.isEmpty)
    #expect(reply.message.contains("retry after 7 s"))
    #expect(!FileManager.default.fileExists(atPath: server.stateDirectory + "/registrations/b.example.org.json"))
    // Requests that store nothing are never turned away.
    #expect(try server.receive(client: "b.example.org", request: "status", payload: "").status == 0)
    // One slot free again: the registration goes in.
    close(held[1])
    let stored = try server.receive(client: "b.example.org", request: "register", payload: payload)
    #expect(stored.status == 0)
    #expect(try RegistrationReply.parse(Array(stored.stdout.utf8)).result == .stored)
    close(held[0])
  }

  @Test func aSlotIsReleasedWhenTheReceiverEnds() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try configure(server, "max_receivers = 1\n")
    let payload = { (host: String) in PrivateServer.payload(host: host, services: [("web", "http", ["port": "80"])]) }
    for host in ["a.example.org", "b.example.org", "c.example.org"] {
      let result = try server.receive(client: host, request: "register", payload: payload(host))
      #expect(result.status == 0, "\(host): \(result.stdout)")
    }
  }

  @Test func theLimitIsASetting() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try configure(server, "max_receivers = many\n")
    let result = try server.receive(client: "b.example.org", request: "register", payload: "{}")
    #expect(result.status == 2)
    #expect(try server.runAdmin(["status"]).stderr.contains("'max_receivers' needs a number"))
  }
}
