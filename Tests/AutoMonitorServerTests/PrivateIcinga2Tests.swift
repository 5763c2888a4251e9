import Foundation
import TestKit
import Testing

/// The private Icinga 2 of the test kit: it starts, its API answers over verified TLS, it
/// reloads a re-pointed link in zones.d, forced checks give results, and the checks' argv and
/// environment are exactly the rendered values. Skipped where icinga2 is not installed.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2")))
struct PrivateIcinga2Tests {
  static let templates = """
    template Host "auto-monitor-host" {
      check_command = "dummy"
      vars.dummy_state = 0
      check_interval = 5m
      max_check_attempts = 1
    }
    template Service "auto-monitor-service" {
      check_interval = 5m
      retry_interval = 1m
      max_check_attempts = 1
    }
    object CheckCommand "auto-monitor-check" {
      command = [ PluginDir + "/check_fake" ]
      arguments = {
        "type" = { value = "$monitoring_info_type$"; skip_key = true; order = -1; required = true }
        "-H" = { value = "$address$" }
        "--uri" = { value = "$monitoring_info_uri$"; separator = "=" }
        "--port" = { value = "$monitoring_info_port$"; separator = "=" }
        "--ssl" = { set_if = "$monitoring_info_ssl$" }
      }
      env = { CHECK_MONITORING_INFO_PASSWORD = "$monitoring_info_password$"; FAKE_OUT = "$host.name$!$service.name$" }
    }

    """

  /// A string value as our renderer must write it: a DSL literal with every `$` doubled
  /// (custom variables are resolved as macros again, `$$` gives `$`).
  static func value(_ text: String) -> String { PrivateIcinga2.literal(text.replacingOccurrences(of: "$", with: "$$")) }

  static func hostFile(_ host: String, _ services: [(String, [String: String])]) -> String {
    var text = "object Host \(value(host)) { import \"auto-monitor-host\"; address = \(value(host)) }\n"
    for (name, vars) in services {
      text += "object Service \(value(name)) {\n  import \"auto-monitor-service\"\n  host_name = \(value(host))\n"
      text += "  check_command = \"auto-monitor-check\"\n"
      for (key, raw) in vars.sorted(by: { $0.key < $1.key }) { text += "  vars.monitoring_info_\(key) = \(raw)\n" }
      text += "}\n"
    }
    return text
  }

  /// A plugin that writes its arguments and one variable, NUL-separated, to OUT/<FAKE_OUT>.
  static func installFakePlugin(in directory: String, output: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try """
      #!/bin/sh
      { printf '%s\\0' "$@"; printf 'ENV=%s\\0' "${CHECK_MONITORING_INFO_PASSWORD-<unset>}"; } > '\(output)'/"$FAKE_OUT"
      echo "OK - fake $FAKE_OUT"

      """.write(toFile: directory + "/check_fake", atomically: true, encoding: .utf8)
    chmod(directory + "/check_fake", 0o755)
    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    _ = try runProgram("chown", ["-R", "nagios:nagios", output])
  }

  static func writeFile(_ text: String, _ path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o644)
  }

  @Test func startReloadRepointCheckStop() throws {
    let directory = try temporaryDirectory("mi-icinga2")
    let scratch = directory.path + "/scratch"
    try Self.installFakePlugin(in: directory.path + "/plugins", output: scratch + "/out")
    let icinga = try PrivateIcinga2(directory: directory, pluginDir: directory.path + "/plugins")
    defer { icinga.cleanUp() }
    try Self.writeFile(Self.templates, icinga.globalZoneDirectory + "/auto-monitor-templates.conf")
    // Generations outside zones.d, read through a link, as the backend installs them.
    for generation in ["gen-1", "gen-2"] {
      try FileManager.default.createDirectory(atPath: "\(scratch)/\(generation)", withIntermediateDirectories: true)
    }
    let services = (0..<10).map { ("svc\($0)", ["type": Self.value("dummy-\($0)")]) }
    try Self.writeFile(Self.hostFile("h1.example.org", services), scratch + "/gen-1/h1.example.org.conf")
    try Self.writeFile(Self.hostFile("h2.example.org", [("web", ["type": Self.value("http")])]), scratch + "/gen-2/h2.example.org.conf")
    _ = try runProgram("chmod", ["-R", "a+rX", scratch])
    let link = icinga.zoneDirectory + "/auto-monitor"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: scratch + "/gen-1")

    let validation = try icinga.validate()
    #expect(validation.status == 0, "\(validation.output)")
    try icinga.start()
    let umbrella = try #require(icinga.pid)
    #expect(try icinga.get("/v1/status/IcingaApplication").status == 200)
    #expect(try icinga.serviceStates(host: "h1.example.org").map(\.name) == services.map(\.0))

    let started = Date()
    #expect(try icinga.rescheduleChecks(hosts: ["h1.example.org"]) == 10)
    #expect(waitUntil(seconds: 20) { ((try? icinga.serviceStates(host: "h1.example.org")) ?? []).allSatisfy { $0.lastCheck != nil } })
    let states = try icinga.serviceStates(host: "h1.example.org")
    #expect(states.allSatisfy { $0.state == 0 && $0.output == "OK - fake h1.example.org!\($0.name)" }, "\(states)")
    #expect(Date().timeIntervalSince(started) < 20)

    // Re-point the link and reload: h2 appears, h1 goes; the umbrella's PID stays.
    let worker = try icinga.workerStatus()
    try FileManager.default.removeItem(atPath: link)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: scratch + "/gen-2")
    try icinga.reload()
    #expect(try icinga.workerStatus().pid != worker.pid)
    #expect(icinga.pid == umbrella)
    #expect(try icinga.serviceStates(host: "h2.example.org").map(\.name) == ["web"])
    #expect(try icinga.serviceStates(host: "h1.example.org").isEmpty)
    #expect(try icinga.rescheduleChecks(hosts: ["h1.example.org"]) == 0)

    // A broken file: validation names it, a reload is aborted and the old worker stays.
    try Self.writeFile("object Host \"h3.example.org\" { address = 12 + }\n", scratch + "/gen-2/h3.example.org.conf")
    let broken = try icinga.validate()
    #expect(broken.status == 1)
    #expect(broken.output.contains(link + "/h3.example.org.conf"), "\(broken.output)")
    #expect(throws: TestFailure.self) { try icinga.reload(timeout: 30) }
    #expect(try icinga.serviceStates(host: "h2.example.org").map(\.name) == ["web"])

    icinga.stop()
    #expect(icinga.pid == nil)
    #expect(!FileManager.default.fileExists(atPath: "/proc/\(umbrella)"))
  }

  @Test func argumentsAndEnvironmentArriveVerbatim() throws {
    let directory = try temporaryDirectory("mi-icinga2")
    let plugins = directory.path + "/plugins", out = directory.path + "/out"
    try Self.installFakePlugin(in: plugins, output: out)
    let icinga = try PrivateIcinga2(directory: directory, pluginDir: plugins)
    defer { icinga.cleanUp() }
    try Self.writeFile(Self.templates, icinga.globalZoneDirectory + "/auto-monitor-templates.conf")
    let hostile = [
      "\"; object Host \"x\" {}", "${x}", "$$", "\\\"", "a\nb", "a\u{01}b", "{{ }}", "{{{x}}}", "$host.name$", "a$b", "é€😀",
      "C:\\temp\\", "\\101", "tab\there\r\u{7f}",
    ]
    var services: [(String, [String: String])] = hostile.enumerated().map { ("b\($0.offset)", ["type": Self.value("t"), "uri": Self.value($0.element), "password": Self.value($0.element)]) }
    services += [
      ("number", ["type": Self.value("t"), "port": "8443"]), ("ssl-true", ["type": Self.value("t"), "ssl": "true"]),
      ("ssl-false", ["type": Self.value("t"), "ssl": "false"]), ("empty", ["type": Self.value("t"), "uri": "\"\""]),
      ("unset", ["type": Self.value("t")]),
    ]
    try Self.writeFile(Self.hostFile("h1.example.org", services), icinga.zoneDirectory + "/h1.example.org.conf")
    let validation = try icinga.validate()
    try #require(validation.status == 0, "\(validation.output)")
    try icinga.start()
    try icinga.rescheduleChecks(hosts: ["h1.example.org"])
    func received(_ service: String) -> [String]? {
      guard let data = FileManager.default.contents(atPath: "\(out)/h1.example.org!\(service)"), !data.isEmpty else { return nil }
      return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(waitUntil(seconds: 20) { services.allSatisfy { received($0.0) != nil } })
    for (index, value) in hostile.enumerated() {
      #expect(received("b\(index)") == ["t", "--uri=" + value, "-H", "h1.example.org", "ENV=" + value], "\(value.debugDescription)")
    }
    #expect(received("number") == ["t", "--port=8443", "-H", "h1.example.org", "ENV="])
    #expect(received("ssl-true") == ["t", "--ssl", "-H", "h1.example.org", "ENV="])
    #expect(received("ssl-false") == ["t", "-H", "h1.example.org", "ENV="])
    #expect(received("empty") == ["t", "--uri=", "-H", "h1.example.org", "ENV="])
    #expect(received("unset") == ["t", "-H", "h1.example.org", "ENV="])
  }
}
