import AutoMonitorServer
import Foundation
import MonitoringInfo
import TestKit
import Testing

/// The Icinga 2 objects of one host and the generated CheckCommand, without a daemon.
struct Icinga2RendererTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  static func service(_ name: String, _ type: String, _ params: [String: String]) throws -> RegisteredService {
    let (definition, diagnostics) = ServiceDefinition.validate(name: name, type: type, params: params, source: "test",
      hostName: "b.example.org")
    guard let definition else { throw TestFailure("\(name) is invalid: \(diagnostics.map(\.message))") }
    return RegisteredService(definition)
  }

  @Test func hostFileMatchesGolden() throws {
    let services = [
      try Self.service("web", "http", ["uri": "/status", "port": "8443", "ssl": "yes", "expire_before_days": "14"]),
      try Self.service("mail", "imap", ["username": "probe", "password": "s3\"cr$et", "mailflowid": "flow1"]),
      try Self.service("ssh", "ssh", [:]),
    ]
    let overrides = try Overrides.parse(Array("""
      b.example.org ssh disable
      * * check_interval 10
      b.example.org - hostgroups web,mail
      b.example.org web contacts oncall,admins
      b.example.org web notifications_enabled 0

      """.utf8), path: "overrides.conf")
    let text = String(decoding: Icinga2Renderer().render(host: "b.example.org", services: services, overrides: overrides), as: UTF8.self)
    if let difference = try Golden.difference(text, Self.golden.appendingPathComponent("icinga2-host.conf")) {
      Issue.record("\(difference)")
    }
    #expect(Icinga2Renderer.services(in: Array(text.utf8)) == ["web", "mail"])
  }

  @Test func checkCommandMatchesGoldenAndKnowsEveryKey() throws {
    let text = String(decoding: Icinga2CheckCommand.definition(), as: UTF8.self)
    if let difference = try Golden.difference(text, Self.golden.appendingPathComponent("icinga2-check-command.conf")) {
      Issue.record("\(difference)")
    }
    for type in ServiceType.allCases {
      for key in type.schema.keys {
        if key.kind == .password {
          #expect(!text.contains("\"--\(key.name)\""), "a secret on argv: \(key.name)")
          #expect(text.contains("\(PackageFacts.pluginPasswordVariable) = \"$monitoring_info_\(key.name)$\""))
        } else {
          #expect(text.contains("\"--\(key.name)\" = { value = \"$monitoring_info_\(key.name)$\"; separator = \"=\" }"),
            "\(type.rawValue).\(key.name) is not passed to the plugin")
        }
      }
    }
    #expect(text.contains("command = [ PluginDir + \"/check_monitoring_info\" ]"), "an array command runs without a shell")
  }

  /// Every value the format accepts reaches Icinga as a literal: quotes, backslashes, dollar
  /// signs (Icinga's macros) and DSL syntax stay inside the string.
  @Test func literalsEscapeWhatIcingaWouldInterpret() {
    #expect(Icinga2Literal.string("plain") == "\"plain\"")
    #expect(Icinga2Literal.string("a\"b") == "\"a\\\"b\"")
    #expect(Icinga2Literal.string("a\\b") == "\"a\\\\b\"")
    #expect(Icinga2Literal.string("$host.name$") == "\"$$host.name$$\"")
    #expect(Icinga2Literal.string("a\nb\tc") == "\"a\\nb\\tc\"")
    #expect(Icinga2Literal.string("a\u{01}b\u{7F}") == "\"a\\001b\\177\"")
    #expect(Icinga2Literal.string("\"; object Host \"x\" {}") == "\"\\\"; object Host \\\"x\\\" {}\"")
  }
}
