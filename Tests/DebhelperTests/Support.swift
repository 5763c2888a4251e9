import Foundation
@_exported import TestKit
import Testing

/// Paths and process helpers shared by the debhelper tests.
enum Tree {
  /// The repository root, found from this file's location.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent("Tests/DebhelperTests/Fixtures")
  static let reference = root.appendingPathComponent("Tests/DebhelperTests/Reference")

  /// The dh_monitoringinfo binary of this build.
  static let binary = BuildPaths.executable("dh_monitoringinfo").path

  /// An environment for running debhelper against the tools in this tree: the wrapper and the
  /// addon first on the search paths, and no stray DH_* / DEB_* settings from the caller.
  static func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment.filter { key, _ in
      !key.hasPrefix("DH_") && !key.hasPrefix("DEB_") && key != "MAKEFLAGS" && key != "MFLAGS"
        && key != "MAKELEVEL"
    }
    env["PATH"] = root.appendingPathComponent("bin").path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["PERL5LIB"] = root.appendingPathComponent("debhelper/perl5").path
    env["DH_MONITORINGINFO_BIN"] = binary
    env["LC_ALL"] = "C.UTF-8"
    for (k, v) in extra { env[k] = v }
    return env
  }
}

typealias RunResult = ProcessResult

/// Runs `arguments[0]` (looked up on PATH) with the debhelper environment of this tree.
@discardableResult
func run(
  _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil, stdin: Data? = nil
) throws -> RunResult {
  try runProgram(
    arguments[0], Array(arguments.dropFirst()), environment: environment ?? Tree.environment(), directory: directory,
    stdin: stdin)
}

/// One directory per test process for everything the tests build; removed when it exits.
let testScratch: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("mi-dh-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(at: testScratch) }
  return url
}()

/// A fresh temporary directory (inside `testScratch`); callers remove it with `defer` when done.
func makeTemporaryDirectory(_ label: String) throws -> URL {
  let url = testScratch.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Copies a fixture source package into `parent/name` and returns its path.
func copyFixture(_ fixture: String, into parent: URL, as name: String? = nil) throws -> URL {
  let destination = parent.appendingPathComponent(name ?? fixture)
  try FileManager.default.copyItem(at: Tree.fixtures.appendingPathComponent(fixture), to: destination)
  return destination
}

func write(_ text: String, to url: URL) throws {
  try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try Data(text.utf8).write(to: url)
}

func read(_ url: URL) throws -> String {
  String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

/// All regular files under a directory, relative path -> contents.
func snapshot(_ directory: URL) throws -> [String: Data] {
  var result: [String: Data] = [:]
  let base = directory.resolvingSymlinksInPath().path
  guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
  while let relative = walker.nextObject() as? String {
    var isDir: ObjCBool = false
    let full = base + "/" + relative
    if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
      result[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
    } else if isDir.boolValue {
      result[relative + "/"] = Data()
    }
  }
  return result
}

func hostArchitecture() throws -> String {
  try run(["dpkg", "--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A built source package: where it was built and the .debs it produced.
struct BuiltPackages {
  let directory: URL
  let log: RunResult

  func deb(_ package: String) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    guard let name = names.first(where: { $0.hasPrefix(package + "_") && $0.hasSuffix(".deb") }) else {
      throw TestFailure("no .deb for \(package) in \(names)")
    }
    return directory.appendingPathComponent(name)
  }

  func field(_ package: String, _ field: String) throws -> String {
    try run(["dpkg-deb", "-f", deb(package).path, field]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A control member (postinst, triggers, conffiles ...) or nil when the package has none.
  func controlFile(_ package: String, _ member: String) throws -> String? {
    let r = try run(["dpkg-deb", "-I", deb(package).path, member])
    return r.succeeded ? r.stdout : nil
  }

  func listing(_ package: String) throws -> String {
    try run(["dpkg-deb", "-c", deb(package).path]).stdout
  }

  func fileContents(_ package: String, _ path: String) throws -> String {
    let r = try run(["sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -xO \"$2\"", "sh", deb(package).path, "." + path])
    guard r.succeeded else { throw TestFailure("cannot extract \(path): \(r.stderr)") }
    return r.stdout
  }
}


/// Runs `dpkg-buildpackage -us -uc -b -d` in `source` (whose parent receives the .debs).
func buildPackage(_ source: URL, extraEnvironment: [String: String] = [:]) throws -> BuiltPackages {
  let log = try run(
    ["dpkg-buildpackage", "-us", "-uc", "-b", "-d"], in: source, environment: Tree.environment(extraEnvironment))
  return BuiltPackages(directory: source.deletingLastPathComponent(), log: log)
}
