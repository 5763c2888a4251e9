import Foundation
import TestKit

/// A throw-away dpkg installation: `dpkg --root=DIR --force-script-chrootless`, so maintainer
/// scripts run on this machine with `DPKG_ROOT` set, and a debconf database of its own inside
/// the root (debconf reads `$DPKG_ROOT/etc/debconf.conf` and puts `$DPKG_ROOT` in front of
/// its database paths), so nothing touches the machine's dpkg or debconf state.
/// Dependencies are not installed into the root (`--force-depends`): the packages' own files
/// and scripts are what is under test.
struct DpkgRoot {
  let path: URL

  init() throws {
    path = try temporaryDirectory("mi-dpkg-root")
    for directory in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/log", "var/cache/debconf", "etc"] {
      try FileManager.default.createDirectory(at: path.appendingPathComponent(directory), withIntermediateDirectories: true)
    }
    for file in ["var/lib/dpkg/status", "var/lib/dpkg/available"] {
      _ = FileManager.default.createFile(atPath: path.appendingPathComponent(file).path, contents: nil)
    }
    let debconf = """
      Config: configdb
      Templates: templatedb

      Name: configdb
      Driver: File
      Filename: /var/cache/debconf/config.dat

      Name: templatedb
      Driver: File
      Mode: 644
      Filename: /var/cache/debconf/templates.dat

      """
    try debconf.write(to: debconfConfiguration, atomically: true, encoding: .utf8)
  }

  var debconfConfiguration: URL { path.appendingPathComponent("etc/debconf.conf") }

  func environment(frontend: String = "noninteractive") -> [String: String] {
    // DPKG_ROOT for debconf-set-selections and debconf-show; dpkg sets it for the scripts.
    ["DPKG_ROOT": path.path, "DEBIAN_FRONTEND": frontend, "DEBCONF_NOWARNINGS": "yes"]
  }

  /// Runs dpkg on this root; throws with dpkg's output when it fails.
  @discardableResult
  func dpkg(_ arguments: [String], frontend: String = "noninteractive", stdin: String? = nil) throws -> String {
    let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
    return try shell(
      "dpkg --root=\"$DPKG_TEST_ROOT\" --force-script-chrootless --force-depends --force-confnew \(quoted) 2>&1",
      environment(frontend: frontend).merging(["DPKG_TEST_ROOT": path.path]) { $1 }, stdin: stdin)
  }

  /// `Status` and `Version` of a package, or "" when dpkg does not know it.
  func status(_ package: String) throws -> String {
    let result = try runProgram(
      "dpkg-query", ["--admindir=\(path.path)/var/lib/dpkg", "-W", "-f=${Status} ${Version}", package])
    return result.succeeded ? result.stdout : ""
  }

  func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: path.appendingPathComponent(relative).path)
  }

  func read(_ relative: String) throws -> String {
    try String(contentsOf: path.appendingPathComponent(relative), encoding: .utf8)
  }

  /// Every file and directory in the root outside dpkg's and debconf's own databases, relative.
  func contents() throws -> Set<String> {
    let listing = try shell("cd \"$R\" && find . -mindepth 1 | sed 's|^\\./||'", ["R": path.path])
    // dpkg's and debconf's own, and the directories deb-systemd-helper keeps its state in
    // (they exist on every system).
    let own = [
      "var", "var/lib", "var/lib/dpkg", "var/log", "var/cache", "var/cache/debconf", "etc", "etc/debconf.conf",
      "etc/systemd", "etc/systemd/system", "var/lib/systemd",
    ]
    return Set(
      listing.split(separator: "\n").map(String.init).filter { entry in
        !own.contains(entry) && !entry.hasPrefix("var/lib/dpkg/") && !entry.hasPrefix("var/log/")
          && !entry.hasPrefix("var/cache/debconf/")
      })
  }

  func remove() { try? FileManager.default.removeItem(at: path) }
}
