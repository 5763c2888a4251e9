import Foundation
import MonitoringInfo
import Testing

/// The committed lintian tag files must be exactly what the generator makes from the rules.
@Suite struct LintianTagFileTests {
  static let directory = TestSupport.packageRoot.appendingPathComponent("lintian/tags/monitoring-info")

  @Test(arguments: Rule.all)
  func committedTagFileIsUpToDate(_ rule: Rule) throws {
    let url = Self.directory.appendingPathComponent(LintianTagFile.fileName(rule))
    let committed = try? String(contentsOf: url, encoding: .utf8)
    #expect(committed == LintianTagFile.render(rule),
            "\(url.lastPathComponent) is out of date, run `make generated`")
  }

  @Test func noStaleTagFiles() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".tag") }
    #expect(Set(names) == Set(Rule.all.map(LintianTagFile.fileName)))
  }

  @Test func tagFileCarriesNameSeverityAndCheck() {
    let text = LintianTagFile.render(.quotedValue)
    #expect(text.hasPrefix("Tag: monitoring-info-quoted-value\nSeverity: warning\nCheck: monitoring-info\nExplanation: "))
    // Continuation lines of a deb822 field start with a space and are not empty.
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).dropLast() where !line.hasPrefix("See-Also:") && !line.hasPrefix("Explanation:") {
      #expect(line.hasPrefix(" ") && line.count > 1, "bad continuation line \(line.debugDescription)")
    }
  }
}

@Suite struct FormatReferenceTests {
  @Test func committedReferenceIsUpToDate() throws {
    let url = TestSupport.packageRoot.appendingPathComponent(FormatReference.path)
    let committed = try? String(contentsOf: url, encoding: .utf8)
    #expect(committed == FormatReference.markdown(), "\(FormatReference.path) is out of date, run `make generated`")
  }

  @Test func referenceNamesEveryTypeKeyAndTag() {
    let text = FormatReference.markdown()
    for type in ServiceType.allCases {
      #expect(text.contains("### \(type.rawValue)\n"))
      for key in type.schema.keys { #expect(text.contains("| `\(key.name)` |")) }
    }
    for rule in Rule.all { #expect(text.contains("`\(rule.tag)`")) }
  }
}

/// One version, from debian/changelog: the Swift constant and every manual page carry it.
@Suite struct VersionStampTests {
  static func read(_ path: String) throws -> String {
    try String(contentsOf: TestSupport.packageRoot.appendingPathComponent(path), encoding: .utf8)
  }

  @Test func versionSourceAndManualPagesFollowTheChangelog() throws {
    let version = try #require(VersionStamp.version(changelog: try Self.read(VersionStamp.changelogPath)))
    #expect(MonitoringInfoVersion.current == version, "Version.swift is out of date, run `make generated`")
    #expect(try Self.read(VersionStamp.swiftPath) == VersionStamp.swiftSource(version: version))
    let pages = try FileManager.default.contentsOfDirectory(atPath: TestSupport.packageRoot.appendingPathComponent("man").path)
      .filter { $0.hasSuffix(".1") || $0.hasSuffix(".8") }
    #expect(pages.count >= 6)
    for page in pages {
      let text = try Self.read("man/" + page)
      #expect(text.contains("\"monitoring-info \(version)\""), "man/\(page) is out of date, run `make generated`")
      #expect(VersionStamp.stamp(manualPage: text, version: version) == text, "man/\(page)")
    }
  }

  @Test func stampRewritesOnlyTheVersionField() {
    let page = ".\\\" comment\n.TH SYNC 8 \"2026-11-29\" \"monitoring-info 0.1.0\" \"auto-monitor-client\"\n.SH NAME\n"
    #expect(VersionStamp.stamp(manualPage: page, version: "0.1.1")
      == ".\\\" comment\n.TH SYNC 8 \"2026-11-29\" \"monitoring-info 0.1.1\" \"auto-monitor-client\"\n.SH NAME\n")
    #expect(VersionStamp.version(changelog: "monitoring-info (0.1.1~rc1) unstable; urgency=medium\n") == "0.1.1~rc1")
    #expect(VersionStamp.version(changelog: "garbage\n") == nil)
  }
}
