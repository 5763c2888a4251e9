import AutoMonitorServer
import Foundation
import TestKit
import Testing

/// The shipped server.conf documents every setting with its default.
struct ServerSettingsTests {
  @Test func everyDocumentedSettingIsAccepted() throws {
    let shipped = try String(contentsOf: BuildPaths.packageRoot.appendingPathComponent("templates/server/server.conf"), encoding: .utf8)
    let lines = shipped.split(separator: "\n").filter { $0.hasPrefix("#") && $0.contains(" = ") && !$0.hasPrefix("# ") }
    #expect(lines.count >= 20)
    let directory = try temporaryDirectory("settings")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("server.conf").path
    try lines.map { String($0.dropFirst()) }.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let settings = try ServerSettings.load(file)
    let defaults = ServerSettings()
    #expect(settings.stateDirectory == defaults.stateDirectory)
    #expect(settings.nagiosDirectory == defaults.nagiosDirectory && settings.icinga2Directory == defaults.icinga2Directory)
    #expect(settings.icinga2.api == defaults.icinga2.api && settings.icinga2.caFile == defaults.icinga2.caFile)
    #expect(settings.icinga2.templates == defaults.icinga2.templates && settings.templates == defaults.templates)
    #expect(settings.backend == .nagios)
  }

  @Test func unknownBackendIsRefusedWithTheChoices() throws {
    let directory = try temporaryDirectory("settings")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("server.conf").path
    try "backend = zabbix\n".write(toFile: file, atomically: true, encoding: .utf8)
    #expect(throws: ServerError.self) { try ServerSettings.load(file) }
    do { _ = try ServerSettings.load(file) } catch { #expect(error.description.contains("nagios or icinga2") && error.description.contains(":1:")) }
  }
}
