// The client's test root: a throw-away root with a dpkg status database, fragments, defaults
// and client.conf, and the built monitoring-info-sync run below it. Shared by the client tests
// and bench/client-e2e's driver.
import Foundation

/// One package as dpkg's status database records it.
public struct PackageRecord {
  public init(name: String, state: String = "installed", conffiles: [String] = [], obsolete: [String] = [], architecture: String = "amd64") {
    self.name = name
    self.state = state
    self.conffiles = conffiles
    self.obsolete = obsolete
    self.architecture = architecture
  }

  public var name: String
  public var state = "installed"
  public var conffiles: [String] = []
  public var obsolete: [String] = []
  public var architecture = "amd64"

  public var stanza: String {
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
public struct TestRoot {
  public let path: String

  public init(_ tag: String = "root") throws {
    path = NSTemporaryDirectory() + "mi-client-\(tag)-\(UUID().uuidString.prefix(8))"
    for directory in ["etc/monitoring-info", "etc/auto-monitor", "var/lib/dpkg/info", "var/lib/dpkg/updates", "usr/share/monitoring-info/defaults"] {
      try FileManager.default.createDirectory(atPath: path + "/" + directory, withIntermediateDirectories: true)
    }
    TempDirectories.shared.add(path)
    try setPackages([])
  }

  public func write(_ relative: String, _ text: String) throws {
    let url = URL(fileURLWithPath: path + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  public func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path + "/" + relative) }

  public func read(_ relative: String) -> String? { try? String(contentsOfFile: path + "/" + relative, encoding: .utf8) }

  public func setPackages(_ packages: [PackageRecord]) throws {
    try write("var/lib/dpkg/status", packages.map(\.stanza).joined(separator: "\n"))
  }

  /// A fragment owned (as a conffile) by the package of the same name.
  public func fragment(_ name: String, _ text: String) throws { try write("etc/monitoring-info/\(name).conf", text) }

  public func defaults(_ package: String, _ text: String) throws { try write("usr/share/monitoring-info/defaults/\(package).conf", text) }

  public func configure(_ text: String) throws { try write("etc/auto-monitor/client.conf", text) }

  public func run(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
    try runProgram(Client.binary, arguments + ["--root", path], environment: environment)
  }

  public var state: String? { read("var/lib/auto-monitor-client/state.json") }
}

public enum Client {
  public static let binary = BuildPaths.executable("monitoring-info-sync").path
  public static let packageRoot = BuildPaths.packageRoot.path
}


public func conffile(_ name: String) -> String { "/etc/monitoring-info/\(name).conf" }


public func parseJSON(_ text: String) -> [String: Any]? {
  (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
