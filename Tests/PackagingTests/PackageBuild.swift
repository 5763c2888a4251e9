import Foundation
import TestKit

/// This repository's Debian packages, built once per test run with `dpkg-buildpackage` from a
/// copy of the tree (the files git knows, as a clean clone would have them), twice: first as
/// a lower "previous" version (the changelog rewritten in the copy), then as the real one,
/// so the lifecycle tests can upgrade from one to the other.
///
/// Everything lives in `.build/packaging/` and is replaced by the next run: the copy of the tree
/// (`source/`, always at the same path) and the Swift build directory (`swift/`, kept across
/// runs through `MONITORING_INFO_SWIFT_SCRATCH`, read by debian/rules), so only the first run
/// pays for a full release build.
struct BuiltPackages: Sendable {
  let workDirectory: URL
  let source: URL
  let version: String
  let previousVersion: String
  /// The binary packages this tree builds (debug symbol packages left out).
  let packages: [String]

  /// The package's .deb: `_ARCH.deb`, or `_all.deb` for an architecture-independent package.
  func deb(_ package: String, previous: Bool = false) -> URL {
    let directory = workDirectory.appendingPathComponent(previous ? "previous" : "current")
    let stem = "\(package)_\(previous ? previousVersion : version)_"
    let all = directory.appendingPathComponent(stem + "all.deb")
    return FileManager.default.fileExists(atPath: all.path) ? all : directory.appendingPathComponent(stem + "\(architecture).deb")
  }

  var changes: URL {
    workDirectory.appendingPathComponent("current/monitoring-info_\(version)_\(architecture).changes")
  }

  let architecture: String
}

enum PackageBuild {
  private static let result: Result<BuiltPackages, any Error> = Result { try build() }

  static func shared() throws -> BuiltPackages { try result.get() }

  /// The binary packages debian/control declares.
  static var expectedPackages: [String] {
    get throws {
      let control = try String(contentsOf: BuildPaths.packageRoot.appendingPathComponent("debian/control"), encoding: .utf8)
      return control.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("Package: ") else { return nil }
        return String(line.dropFirst("Package: ".count))
      }
    }
  }

  private static func build() throws -> BuiltPackages {
    let root = BuildPaths.packageRoot
    let work = root.appendingPathComponent(".build/packaging/work")
    try? FileManager.default.removeItem(at: work)
    let source = work.appendingPathComponent("monitoring-info")
    try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
    try shell(
      "git -C \"$ROOT\" ls-files -z --cached --others --exclude-standard | (cd \"$ROOT\" && tar --null -T - -cf -) | tar -C \"$DEST\" -xf -",
      ["ROOT": root.path, "DEST": source.path])

    let changelog = source.appendingPathComponent("debian/changelog")
    let original = try String(contentsOf: changelog, encoding: .utf8)
    guard let open = original.firstIndex(of: "("), let close = original.firstIndex(of: ")") else {
      throw TestFailure("debian/changelog: no version on the first line")
    }
    let version = String(original[original.index(after: open)..<close])
    let previousVersion = version + "~prev1"
    let architecture = try shell("dpkg --print-architecture", [:]).trimmingCharacters(in: .whitespacesAndNewlines)

    for (label, text) in [("previous", original.replacingCharacters(in: open..<original.index(after: close), with: "(\(previousVersion))")), ("current", original)] {
      // A new changelog entry, then `make generated` as a maintainer would, so the programs
      // and manual pages carry the entry's version (debian/rules refuses them otherwise).
      try text.write(to: changelog, atomically: true, encoding: .utf8)
      let generated = try runProgram(BuildPaths.executable("generate-reference").path, [], directory: source)
      guard generated.succeeded else { throw TestFailure("generate-reference (\(label)): \(generated.stderr)") }
      // A build directory per version: each stays up to date with its own Version.swift.
      let scratch = root.appendingPathComponent(".build/packaging/swift-\(label)")
      let log = work.appendingPathComponent("\(label).log")
      let status = try shell(
        "cd \"$SRC\" && dpkg-buildpackage -us -uc -b -d >\"$LOG\" 2>&1; echo $?",
        ["SRC": source.path, "LOG": log.path, "MONITORING_INFO_SWIFT_SCRATCH": scratch.path])
      guard status.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
        let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(40).joined(separator: "\n") ?? ""
        throw TestFailure("dpkg-buildpackage (\(label)) failed; log \(log.path):\n\(tail)")
      }
      let output = work.appendingPathComponent(label)
      try shell("mkdir -p \"$OUT\" && mv \"$WORK\"/*.deb \"$WORK\"/*.changes \"$WORK\"/*.buildinfo \"$OUT\"/", ["OUT": output.path, "WORK": work.path])
    }
    return BuiltPackages(
      workDirectory: work, source: source, version: version, previousVersion: previousVersion,
      packages: try expectedPackages, architecture: architecture)
  }
}


/// Runs `script` with /bin/sh, the variables added to this process' environment; returns stdout
/// and throws with stderr when the script fails.
@discardableResult
func shell(_ script: String, _ variables: [String: String], stdin: String? = nil) throws -> String {
  var environment = ProcessInfo.processInfo.environment
  environment.merge(variables) { $1 }
  let result = try runProgram("/bin/sh", ["-c", script], environment: environment, stdin: stdin.map { Data($0.utf8) })
  guard result.succeeded else {
    throw TestFailure("`\(script)` exited \(result.status):\n\(result.stdout)\(result.stderr)")
  }
  return result.stdout
}
