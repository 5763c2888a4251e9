import Foundation
import MonitoringInfo
import TestKit
import Testing

/// The Icinga 2 backend against a private Icinga 2: hostile values reach the plugin as exactly
/// the bytes the client sent and execute nothing; a host whose objects Icinga refuses is
/// quarantined while the others go live; registrations made while Icinga is down are applied
/// once it is back.
@Suite(.serialized) struct Icinga2BackendTests {
  func reply(_ result: ProcessResult) throws -> RegistrationReply {
    try RegistrationReply.parse(Array(result.stdout.utf8))
  }

  /// Values the format accepts that mean something to Icinga's DSL, its macros or a shell.
  static func hostile(_ canary: String) -> [String] {
    [
      "$host.name$", "$$", "$", "${x}", "\"", "\\", "\\\"", "a\"b\\c$d", "{{ 1 }}", "`touch \(canary)`", "$(touch \(canary))",
      "\"; object Host \"evil\" { } #", "x\" + \"y", "--ssl", "-H", "%s%n", "ü€",
    ]
  }

  @Test func hostileValuesArriveLiterallyAndNothingExecutes() throws {
    let server = try PrivateServer(backend: .icinga2)
    defer { server.cleanUp() }
    let canary = server.directory.path + "/canary"
    let calls = server.directory.path + "/calls"
    try FileManager.default.createDirectory(atPath: calls, withIntermediateDirectories: true)
    _ = try runProgram("chown", ["nagios:nagios", calls])
    // The plugin Icinga runs records its argv and the password variable, NUL-separated.
    try """
      #!/bin/sh
      out=\(calls)/$$
      { for a in "$@"; do printf '%s\\0' "$a"; done; printf 'PASSWORD=%s\\0' "$CHECK_MONITORING_INFO_PASSWORD"; } > "$out.tmp"
      mv "$out.tmp" "$out"
      echo "OK - recorded"
      """.write(toFile: server.directory.path + "/bin/check_monitoring_info", atomically: true, encoding: .utf8)
    chmod(server.directory.path + "/bin/check_monitoring_info", 0o755)

    var services: [(String, String, [String: String])] = []
    var expected: [String: (String, String, String)] = [:]  // service: (argument, value, password)
    for (index, value) in Self.hostile(canary).enumerated() {
      let uri = "/" + value.replacingOccurrences(of: " ", with: "")
      services.append(("web\(index)", "http", ["uri": uri]))
      expected["web\(index)"] = ("--uri=", uri, "")
      services.append(("mail\(index)", "imap", ["username": value, "password": value + "!"]))
      expected["mail\(index)"] = ("--username=", value, value + "!")
    }
    let payload = PrivateServer.payload(host: "b.example.org", services: services)
    let stored = try reply(try server.receive(client: "b.example.org", request: "register", payload: payload))
    // What the format refuses (a URI that is not ASCII) never gets further; the rest must arrive.
    #expect(stored.result == .stored && stored.rejected.count <= 1, "\(stored.rejected)")
    for rejected in stored.rejected { expected[rejected.name] = nil }
    try server.startMonitor()
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    #expect(server.monitorVerifies())
    let count = expected.count
    let recorded = { (try? FileManager.default.contentsOfDirectory(atPath: calls).filter { !$0.hasSuffix(".tmp") }.count) ?? 0 }
    #expect(waitUntil(seconds: 30) { recorded() >= count }, "\(recorded()) of \(count) checks ran")

    var seen: Set<String> = []
    for name in try FileManager.default.contentsOfDirectory(atPath: calls) where !name.hasSuffix(".tmp") {
      let data = try Data(contentsOf: URL(fileURLWithPath: calls + "/" + name))
      let fields = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
      let password = fields.first { $0.hasPrefix("PASSWORD=") }.map { String($0.dropFirst(9)) } ?? ""
      let arguments = fields.filter { !$0.hasPrefix("PASSWORD=") && !$0.isEmpty }
      // TYPE -H ADDRESS --KEY=VALUE...: nothing else, every option a key of the format.
      #expect(arguments.count >= 3 && ["http", "imap"].contains(arguments[0]) && arguments[1] == "-H" && arguments[2] == "b.example.org",
        "\(arguments)")
      for option in arguments.dropFirst(3) {
        let key = option.dropFirst(2).prefix { $0 != "=" }
        #expect(option.hasPrefix("--") && option.contains("=") && ["uri", "username"].contains(String(key)), "\(option)")
        #expect(!option.hasPrefix("--password"), "a password on argv")
      }
      for (service, want) in expected where arguments.contains(want.0 + want.1) && password == want.2 {
        seen.insert(service)
      }
    }
    #expect(seen.count == count, "missing: \(Set(expected.keys).subtracting(seen).sorted())")
    #expect(!FileManager.default.fileExists(atPath: canary), "a value executed")
    #expect(!server.monitoredServices().contains { $0.hasPrefix("evil;") })
  }

  /// An object the administrator wrote by hand clashes with c's: c is quarantined, b goes live,
  /// c's next reply says why, and Icinga validates.
  @Test func failurePinnedOnOneHostQuarantinesIt() throws {
    let server = try PrivateServer(backend: .icinga2)
    defer { server.cleanUp() }
    let icinga = try #require(server.icinga)
    let manual = icinga.zoneDirectory + "/manual.conf"
    try "object Host \"c.example.org\" {\n  check_command = \"dummy\"\n}\n".write(toFile: manual, atomically: true, encoding: .utf8)
    chmod(manual, 0o644)
    let first = PrivateServer.payload(host: "b.example.org", services: [("web", "http", [:])])
    _ = try server.receive(client: "b.example.org", request: "register", payload: first)
    #expect(try server.runAdmin(["apply"]).succeeded)
    let second = PrivateServer.payload(host: "b.example.org", services: [("web", "http", [:]), ("ssh", "ssh", [:])])
    _ = try server.receive(client: "b.example.org", request: "register", payload: second)
    _ = try server.receive(client: "c.example.org", request: "register",
      payload: PrivateServer.payload(host: "c.example.org", services: [("web", "http", [:])]))
    let apply = try server.runAdmin(["apply"])
    #expect(apply.succeeded, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("quarantined c.example.org") && apply.stdout.contains("c.example.org"), "\(apply.stdout)")
    let next = try reply(try server.receive(client: "c.example.org", request: "status", payload: ""))
    #expect(next.quarantined != nil && next.message.contains("Icinga 2 refused"), "\(next.message)")
    #expect(server.monitorVerifies())
    let live = try FileManager.default.contentsOfDirectory(atPath: server.backendDirectory + "/live/hosts")
    #expect(live == ["b.example.org.conf"])
    #expect(try String(contentsOfFile: server.backendDirectory + "/live/hosts/b.example.org.conf", encoding: .utf8)
      .contains("object Service \"ssh\""))
  }

  @Test func icingaDownRegistrationsStoredAndAppliedOnceBack() throws {
    let server = try PrivateServer(backend: .icinga2)
    defer { server.cleanUp() }
    try server.startWatcher()
    let payload = PrivateServer.payload(host: "b.example.org", services: [("web", "http", [:])])
    #expect(try reply(try server.receive(client: "b.example.org", request: "register", payload: payload)).result == .stored)
    #expect(waitUntil(seconds: 15) { (try? server.runAdmin(["status"]).stdout.contains("not running")) ?? false },
      "\((try? server.runAdmin(["status"]).stdout) ?? "")")
    try server.startMonitor()
    #expect(waitUntil(seconds: 20) { server.monitoredServices().contains("b.example.org;web") })
  }
}
