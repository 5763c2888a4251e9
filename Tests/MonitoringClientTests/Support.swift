// Helpers for the client tests: a throw-away root with a dpkg status database, fragments,
// defaults and client.conf, and running the built monitoring-info-sync below it.
import Foundation
import MonitoringClient
import TestKit

/// One package as dpkg's status database records it.
struct PackageRecord {
  var name: String
  var state = "installed"
  var conffiles: [String] = []
  var obsolete: [String] = []
  var architecture = "amd64"

  var stanza: String {
    let want = state == "config-files" || state == "not-installed" ? "deinstall" : "install"
    var text = "Package: \(name)\nStatus: \(want) ok \(state)\nPriority: optional\nArchitecture: \(architecture)\nVersion: 1.0\n"
    if !conffiles.isEmpty || !obsolete.isEmpty {
      text += "Conffiles:\n"
      for path in conffiles { text += " \(path) 0123456789abcdef0123456789abcdef\n" }
      for path in obsolete { text += " \(path) 0123456789abcdef0123456789abcdef obsolete\n" }
    }
    return text + "Description: test package\n"
  }
}

/// A root directory for `--root`, removed when the test process ends.
struct TestRoot {
  let path: String

  init(_ tag: String = "root") throws {
    path = NSTemporaryDirectory() + "mi-client-\(tag)-\(UUID().uuidString.prefix(8))"
    for directory in ["etc/monitoring-info", "etc/auto-monitor", "var/lib/dpkg/info", "var/lib/dpkg/updates", "usr/share/monitoring-info/defaults"] {
      try FileManager.default.createDirectory(atPath: path + "/" + directory, withIntermediateDirectories: true)
    }
    TempDirectories.shared.add(path)
    try setPackages([])
  }

  var paths: ClientPaths { ClientPaths(root: path) }

  func write(_ relative: String, _ text: String) throws {
    let url = URL(fileURLWithPath: path + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path + "/" + relative) }

  func read(_ relative: String) -> String? { try? String(contentsOfFile: path + "/" + relative, encoding: .utf8) }

  func setPackages(_ packages: [PackageRecord]) throws {
    try write("var/lib/dpkg/status", packages.map(\.stanza).joined(separator: "\n"))
  }

  /// A fragment owned (as a conffile) by the package of the same name.
  func fragment(_ name: String, _ text: String) throws { try write("etc/monitoring-info/\(name).conf", text) }

  func defaults(_ package: String, _ text: String) throws { try write("usr/share/monitoring-info/defaults/\(package).conf", text) }

  func configure(_ text: String) throws { try write("etc/auto-monitor/client.conf", text) }

  func collect(exclude: [String] = []) throws -> FragmentCollection {
    try FragmentCollector(paths: paths, exclude: exclude, hostName: "b.example.org").collect()
  }

  func run(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
    try runProgram(Client.binary, arguments + ["--root", path], environment: environment)
  }

  var state: String? { read("var/lib/auto-monitor-client/state.json") }
}

enum Client {
  static let binary = BuildPaths.executable("monitoring-info-sync").path
  static let packageRoot = BuildPaths.packageRoot.path
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
}


func conffile(_ name: String) -> String { "/etc/monitoring-info/\(name).conf" }


func parseJSON(_ text: String) -> [String: Any]? {
  (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
