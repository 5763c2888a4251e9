import Foundation
import MonitoringInfo
import TestKit
import Testing

/// The paths around the happy one that administrators hit: a client that leaves, keys bound
/// while a request waits, a server that forgot its clients, hosts that do not exist.
@Suite(.serialized) struct AdministratorPathsTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  static let host = "b.example.org"
  static let payload = PrivateServer.payload(host: host, services: [("web", "http", [:])])

  func enrollWithTicket(_ server: PrivateServer, key: (String, String)) throws -> RegistrationReply {
    let ticket = try server.runAdmin(["ticket", Self.host]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return try reply(try server.receive(client: nil, request: "enroll",
      payload: "{\"version\":1,\"host\":\"\(Self.host)\",\"ticket\":\"\(ticket)\"}", unboundKey: key))
  }

  func listed(_ server: PrivateServer) throws -> JSONValue {
    try JSONValue.parse(Array(try server.runAdmin(["--json", "list"]).stdout.utf8))
  }

  /// A client purge sends `deregister`: the host leaves with its key, so neither `list` nor
  /// the AuthorizedKeysCommand knows it any more.
  @Test func deregisterForgetsTheHostWithItsKey() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let key = try SecurityTests.randomKey(1)
    #expect(try enrollWithTicket(server, key: key).result == .stored)
    #expect(try server.receive(client: Self.host, request: "register", payload: Self.payload).status == 0)
    let answer = try reply(try server.receive(client: Self.host, request: "deregister", payload: ""))
    #expect(answer.result == .stored, "\(answer)")
    let hosts = try listed(server)["hosts"]?.arrayValue
    #expect(hosts?.isEmpty == true, "\(String(describing: hosts))")
    let text = try server.runAdmin(["list"]).stdout
    #expect(!text.contains(Self.host), "\(text)")
    let keys = try runProgram(BuildPaths.executable("auto-monitor-authorized-keys").path,
      ["--config", server.configPath, server.user, key.0, key.1])
    #expect(keys.stdout.contains("--unbound-key"), "\(keys.stdout)")
    #expect(try server.runAdmin(["show", Self.host]).status == 3)
  }

  /// A host that enrolled and never registered is listed as such, never as "last
  /// registration: never" beside a key as if it had been forgotten.
  @Test func listSaysWhatAHostWithoutServicesIs() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    #expect(try enrollWithTicket(server, key: try SecurityTests.randomKey(2)).result == .stored)
    let text = try server.runAdmin(["list"]).stdout
    #expect(text.contains("\(Self.host)  enrolled, nothing registered yet"), "\(text)")
    #expect(!text.contains("last registration: never"), "\(text)")
  }

  /// Binding a key, by ticket or by `accept`, settles every request waiting for that host.
  @Test func bindingAKeyClearsThePendingRequests() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let request = "{\"version\":1,\"host\":\"\(Self.host)\"}"
    let first = try SecurityTests.randomKey(3)
    #expect(try reply(try server.receive(client: nil, request: "enroll", payload: request, unboundKey: first)).result == .pending)
    #expect(try enrollWithTicket(server, key: first).result == .stored)
    let pending = try listed(server)["pending"]?.arrayValue
    #expect(pending?.isEmpty == true, "\(String(describing: pending))")
    #expect(!(try server.runAdmin(["show", Self.host]).stdout.contains("pending key")))

    // The client is re-installed with a new key: its old binding and old requests go.
    let second = try SecurityTests.randomKey(4)
    #expect(try reply(try server.receive(client: nil, request: "enroll", payload: request, unboundKey: second)).result == .pending)
    let accept = try server.runAdmin(["accept", Self.host])
    #expect(accept.succeeded, "\(accept.stderr)")
    #expect(accept.stdout.contains("monitoring-info-sync"), "accept says what follows: \(accept.stdout)")
    let show = try server.runAdmin(["show", Self.host]).stdout
    #expect(!show.contains("pending key"), "\(show)")
    #expect(try listed(server)["pending"]?.arrayValue?.isEmpty == true)
  }

  /// A key the server does not know (a re-installed server forgot them all) is told so in a
  /// way the client can act on; with its request waiting, the answer is `pending`.
  @Test func unknownKeyIsToldItIsNotEnrolled() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let key = try SecurityTests.randomKey(5)
    let refused = try server.receive(client: nil, request: "register", payload: Self.payload, unboundKey: key)
    #expect(refused.status == 2)
    let answer = try reply(refused)
    #expect(answer.result == .refused && !answer.enrolled, "\(refused.stdout)")
    #expect(refused.stdout.contains("\"enrolled\":false"))
    _ = try server.receive(client: nil, request: "enroll", payload: "{\"version\":1,\"host\":\"\(Self.host)\"}", unboundKey: key)
    let waiting = try reply(try server.receive(client: nil, request: "status", payload: "", unboundKey: key))
    #expect(waiting.result == .pending && !waiting.enrolled && waiting.host == Self.host, "\(waiting)")
    let bound = try reply(try server.receive(client: Self.host, request: "status", payload: ""))
    #expect(bound.enrolled && !bound.serialized.contains("\"enrolled\""))
  }

  @Test func forgettingAnUnknownHostExits3() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let result = try server.runAdmin(["forget", "nosuch.example.org"])
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("unknown host"), "\(result.stderr)")
    #expect(!result.stdout.contains("forgot"))
  }
}

extension AdministratorPathsTests {
  /// `show` hides passwords in the text and in the JSON alike.
  @Test func showHidesPasswordsInBothForms() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let payload = PrivateServer.payload(host: Self.host, services: [
      ("mail", "imap", ["username": "probe", "password": "s3cret-value"]),
    ])
    #expect(try server.receive(client: Self.host, request: "register", payload: payload).status == 0)
    let text = try server.runAdmin(["show", Self.host]).stdout
    let json = try server.runAdmin(["--json", "show", Self.host]).stdout
    #expect(text.contains("password = (hidden)") && text.contains("username = probe"), "\(text)")
    #expect(json.contains("\"password\":\"(hidden)\"") && json.contains("\"username\":\"probe\""), "\(json)")
    #expect(!text.contains("s3cret-value") && !json.contains("s3cret-value"))
  }
}
