import Foundation
import Testing
import TestKit

/// debian/tests run by autopkgtest itself (null runner) on a throw-away host, with the packages
/// of this build: `maintainer-build`, `server` and `scenario` must all pass. Their other
/// dependencies come from the Debian archive as a user's apt would fetch them; the host has no
/// network, so whatever of them this machine lacks is downloaded beforehand and handed to
/// autopkgtest with the packages under test.
@Suite struct AutopkgtestTests {
  @Test func everyTestOfDebianTestsPasses() throws {
    let built = try PackageBuild.shared()
    // Outside /tmp (the host has a /tmp of its own) and kept between runs, like apt's cache.
    let cache = built.workDirectory.deletingLastPathComponent().appendingPathComponent("apt-archives")
    let fetched = try ArchivePackages.fetch(try testDependencies(built), cache: cache).map(\.path)
    let debs = built.packages.map { built.deb($0).path } + fetched

    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let host = try hosts.create("apt", address: "198.18.12.1/24")
    let quoted = (debs + [built.source.path]).map { "'\($0)'" }.joined(separator: " ")
    let output = try host.run(
      """
      cd /tmp && autopkgtest -B --ignore-restrictions=breaks-testbed,isolation-container \(quoted) -- null \
        >/tmp/autopkgtest.log 2>&1; echo "exit $?"; cat /tmp/autopkgtest.log
      """)
    // autopkgtest ends with one line per test: NAME PASS|FAIL|SKIP [reason].
    var results: [String: String] = [:]
    for line in output.split(separator: "\n") {
      let words = line.split(separator: " ", omittingEmptySubsequences: true)
      if words.count >= 2, ["PASS", "FAIL", "SKIP", "FLAKY"].contains(words[1]) { results[String(words[0])] = String(words[1]) }
    }
    let log = output.split(separator: "\n").suffix(60).joined(separator: "\n")
    #expect(output.hasPrefix("exit 0\n"), "\(log)")
    #expect(results == ["maintainer-build": "PASS", "server": "PASS", "scenario": "PASS"], "\(log)")
    #expect(output.contains("\nscenario: ok\n"), "\(log)")
    if let timing = output.split(separator: "\n").first(where: { $0.contains("checked OK by Nagios") }) { print(timing) }
  }

  /// Every package named in a `Depends:` of debian/tests/control or of the built packages
  /// (first alternatives, versions dropped), without the built packages themselves.
  func testDependencies(_ built: BuiltPackages) throws -> [String] {
    let control = try String(
      contentsOf: BuildPaths.packageRoot.appendingPathComponent("debian/tests/control"), encoding: .utf8)
    var lists: [Substring] = []
    var inDepends = false
    for line in control.split(separator: "\n") {
      if line.hasPrefix("Depends:") { inDepends = true } else if !line.hasPrefix(" ") { inDepends = false }
      if inDepends { lists.append(line.hasPrefix("Depends:") ? line.dropFirst("Depends:".count) : line) }
    }
    for package in built.packages { lists.append(Substring(try field(built.deb(package), "Depends"))) }
    var names: [String] = []
    for item in lists.flatMap({ $0.split(separator: ",") }) {
      let first = item.split(separator: "|").first ?? ""
      let name = String(first.split(separator: "(").first ?? "").trimmingCharacters(in: .whitespaces)
        .replacingOccurrences(of: ":any", with: "")
      if !name.isEmpty, !name.hasPrefix("$"), !built.packages.contains(name), !names.contains(name) { names.append(name) }
    }
    return names
  }
}
