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
