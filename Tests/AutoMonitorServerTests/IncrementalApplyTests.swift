import Foundation
import MonitoringInfo
import TestKit
import Testing

/// An apply renders only the hosts whose registration changed; the others' files are the
/// previous generation's, hard-linked. Templates or overrides changing renders every host.
@Suite(.serialized) struct IncrementalApplyTests {
  static let one = [("web", "http", [String: String]())]
  static let two = [("web", "http", [String: String]()), ("ssh", "ssh", [:])]

  func inode(_ server: PrivateServer, _ host: String) throws -> Int {
    let path = server.backendDirectory + "/live/hosts/" + host + ".cfg"
    return try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.intValue ?? -1
  }

  func live(_ server: PrivateServer, _ host: String) throws -> String {
    try String(contentsOfFile: server.backendDirectory + "/live/hosts/" + host + ".cfg", encoding: .utf8)
  }

  func register(_ server: PrivateServer, _ host: String, _ services: [(String, String, [String: String])]) throws {
    let result = try server.receive(client: host, request: "register", payload: PrivateServer.payload(host: host, services: services))
    #expect(result.succeeded, "\(result.stdout)\(result.stderr)")
  }

  func apply(_ server: PrivateServer) throws {
    let result = try server.runAdmin(["apply"])
    #expect(result.succeeded, "\(result.stdout)\(result.stderr)")
  }

  @Test func unchangedHostsAreLinkedChangedOnesRendered() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    try server.nagios.start()
    for host in ["b.example.org", "c.example.org", "d.example.org"] { try register(server, host, Self.one) }
    try apply(server)
    let (b, c) = (try inode(server, "b.example.org"), try inode(server, "c.example.org"))

    // One host changes: only its file is new; the others are the same inodes, one generation on.
    try register(server, "c.example.org", Self.two)
    let generation = try FileManager.default.destinationOfSymbolicLink(atPath: server.backendDirectory + "/live")
    try apply(server)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: server.backendDirectory + "/live") != generation)
    #expect(try inode(server, "b.example.org") == b)
    #expect(try inode(server, "c.example.org") != c)
    #expect(try live(server, "c.example.org").contains("service_description     ssh\n"))
    #expect(waitUntil(seconds: 10) { server.nagios.loadedObjects().services.contains("c.example.org;ssh") })

    // The same registration again is no change at all.
    try register(server, "b.example.org", Self.one)
    #expect(try server.runAdmin(["apply"]).stdout.contains("unchanged"))

    // A removed host leaves; the rest stay linked.
    #expect(try server.receive(client: "d.example.org", request: "deregister", payload: "").succeeded)
    try apply(server)
    #expect(!FileManager.default.fileExists(atPath: server.backendDirectory + "/live/hosts/d.example.org.cfg"))
    #expect(try inode(server, "b.example.org") == b)
    #expect(waitUntil(seconds: 10) { !server.nagios.loadedObjects().services.contains("d.example.org;web") })

    // An override changes every host's file, though no registration changed.
    try "* - check_interval 7\n".write(toFile: server.overridesPath, atomically: true, encoding: .utf8)
    try apply(server)
    #expect(try inode(server, "b.example.org") != b)
    #expect(try live(server, "b.example.org").contains("check_interval"))
    #expect(try live(server, "c.example.org").contains("check_interval"))
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded)
  }

  /// A host file replaced behind the server's back (same size, same content length) is noticed:
  /// the record of what each generation file was rendered from is the file's identity, and a
  /// damaged record only means rendering everything again.
  @Test func replacedHostFileAndDamagedRecordAreRenderedAgain() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    for host in ["b.example.org", "c.example.org"] { try register(server, host, Self.two) }
    try apply(server)
    let b = try inode(server, "b.example.org")

    // Rewritten in place by hand (the receiver would rename a new file): still noticed.
    let registration = server.stateDirectory + "/registrations/b.example.org.json"
    let text = try String(contentsOfFile: registration, encoding: .utf8)
    Thread.sleep(forTimeInterval: 0.01)
    try text.replacingOccurrences(of: "\"name\":\"ssh\"", with: "\"name\":\"xyz\"").write(toFile: registration, atomically: false, encoding: .utf8)
    try apply(server)
    #expect(try inode(server, "b.example.org") != b)
    #expect(try live(server, "b.example.org").contains("xyz"))

    // A damaged record: every host rendered again (an identical result is still linked), the
    // record written anew, and the result right.
    let record = server.backendDirectory + "/live/templates/rendered-from.list"
    #expect(FileManager.default.fileExists(atPath: record))
    _ = try runProgram("sh", ["-c", "chmod u+w \(record); printf 'garbage\\nc.example.org 1:2:3\\n' > \(record)"])
    try register(server, "b.example.org", Self.one)
    try apply(server)
    let rewritten = try String(contentsOfFile: record, encoding: .utf8)
    #expect(!rewritten.contains("garbage") && !rewritten.contains("1:2:3") && rewritten.contains("c.example.org "), "\(rewritten)")
    #expect(try live(server, "c.example.org").contains("ssh"))
    #expect(!(try live(server, "b.example.org").contains("xyz")))
    #expect(try runProgram("/usr/sbin/nagios4", ["-v", server.nagios.config]).succeeded)
  }
}
