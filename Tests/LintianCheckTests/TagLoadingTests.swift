import Foundation
import TestKit
import MonitoringInfo
import Testing

// LintianTagFileTests (MonitoringInfoTests) keeps the .tag files byte-equal to
// the generator's output; this checks that lintian itself reads them as meant:
// every rule is a tag of our include dir with the rule's severity.
@Suite("lintian check: lintian reads our tag files")
struct TagLoadingTests {
  @Test func lintianKnowsEveryRuleWithItsSeverity() throws {
    let tags = Rule.all.map(\.tag)
    let result = try runProgram(
      "lintian-explain-tags", ["--include-dir", Paths.includeDir.path, "--tags"] + tags)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")

    // "E: tag" / "W: tag" / "I: tag" heads each explanation
    var severities: [String: String] = [:]
    for line in result.stdout.split(separator: "\n") {
      let fields = line.split(separator: " ")
      if fields.count == 2, ["E:", "W:", "I:"].contains(fields[0]) {
        severities[String(fields[1])] = String(fields[0])
      }
    }
    let letter: [Severity: String] = [.error: "E:", .warning: "W:", .info: "I:"]
    for rule in Rule.all {
      #expect(severities[rule.tag] == letter[rule.severity], "\(rule.tag)")
    }
  }

  @Test func profileRunsOurCheckWithDebiansChecks() throws {
    // --profile monitoring-info (Extends: debian/main) without --check-part:
    // our hint and Debian's own hints both show up.
    let work = try temporaryDirectory("mi-lintian-profile")
    defer { try? FileManager.default.removeItem(at: work) }
    let testCase = try #require(Case.all.first { $0.name == "mi-trigger-missing" })
    let deb = try buildPackage(testCase, in: work)
    var env = try lintianEnvironment(mode: .built, home: work)
    env["LINTIAN_PROFILE"] = nil
    let result = try runProgram(
      "lintian",
      ["--no-cfg", "--allow-root", "--include-dir", Paths.includeDir.path,
       "--profile", "monitoring-info", "--exp-output", "format=universal", deb.path],
      environment: env)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.contains(
      "mi-trigger-missing (binary): monitoring-info-fragment-without-trigger "))
    // a tag of Debian's own checks (the test package has no copyright file)
    #expect(result.stdout.contains("mi-trigger-missing (binary): no-copyright-file"))
  }
}
