import Foundation
import TestKit
import Testing

/// Texts shipped in two places are tied to one source, so a fix to one cannot miss the other.
@Suite struct ShippedTextsTests {
  static func file(_ path: String) throws -> String {
    try String(contentsOfFile: BuildPaths.packageRoot.appendingPathComponent(path).path, encoding: .utf8)
  }

  /// The `command_line` of the command defined in a Nagios object file, white space folded.
  static func commandLine(_ text: String) -> String? {
    text.split(separator: "\n").first { $0.contains("command_line") }
      .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().joined(separator: " ") }
  }

  /// The server's generated services and an administrator's hand-written ones run the plugin
  /// the same way.
  @Test func serverTemplatesRunThePluginAsThePluginPackageDefinesIt() throws {
    let plugin = Self.commandLine(try Self.file("templates/nagios/check_monitoring_info.cfg"))
    let server = Self.commandLine(try Self.file("templates/server/nagios-templates.cfg"))
    #expect(plugin != nil && plugin == server, "\(String(describing: plugin)) vs \(String(describing: server))")
    #expect(try PrivateServer.shippedCheckCommand(plugin: "PLUGIN") == server?.replacingOccurrences(
      of: "/usr/lib/nagios/plugins/check_monitoring_info", with: "PLUGIN"))
  }
}
