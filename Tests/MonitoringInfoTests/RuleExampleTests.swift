import MonitoringInfo
import Testing

/// Every rule's examples are its tests: triggering ones report the tag where `↓` points,
/// non-triggering ones do not report it at all.
@Suite struct RuleExampleTests {
  static let contentRules = Rule.all.filter { $0.scope == .content }

  @Test(arguments: contentRules)
  func everyContentRuleHasExamplesBothWays(_ rule: Rule) {
    #expect(!rule.triggering.isEmpty, "\(rule.tag) has no triggering example")
    #expect(!rule.nonTriggering.isEmpty, "\(rule.tag) has no non-triggering example")
  }

  @Test(arguments: contentRules)
  func triggeringExamplesReportTheTagAtTheMarker(_ rule: Rule) {
    for text in rule.triggering {
      let example = RuleExample(text)
      let found = Linter().lint(example.files.map(\.source)).diagnostics.filter { $0.rule == rule }
      let expected = example.expectedPosition
      #expect(found.contains { $0.path == expected.path && $0.line == expected.line && $0.column == expected.column },
              "\(rule.tag) not reported at \(expected) for \(text.debugDescription); got \(found.map(\.gnuDescription))")
      #expect(found.allSatisfy { $0.severity == rule.severity })
    }
  }

  @Test(arguments: contentRules)
  func nonTriggeringExamplesDoNotReportTheTag(_ rule: Rule) {
    for text in rule.nonTriggering {
      let example = RuleExample(text)
      let found = Linter().lint(example.files.map(\.source)).diagnostics.filter { $0.rule == rule }
      #expect(found.isEmpty, "\(rule.tag) reported for \(text.debugDescription): \(found.map(\.gnuDescription))")
    }
  }

  @Test func tagsAreUniqueAndFollowTheNamingScheme() {
    let tags = Rule.all.map(\.tag)
    #expect(Set(tags).count == tags.count)
    for tag in tags {
      #expect(tag.hasPrefix("monitoring-info-"))
      #expect(tag.allSatisfy { $0.isLowercase || $0 == "-" })
    }
  }

  /// These names and severities are published (docs/format-reference.md, "Lint tags"); none may be renamed.
  @Test func designTagTableIsImplemented() {
    let design: [String: Severity] = [
      "monitoring-info-syntax-error": .error, "monitoring-info-key-outside-section": .error,
      "monitoring-info-invalid-service-name": .error, "monitoring-info-duplicate-section": .error,
      "monitoring-info-duplicate-key": .error, "monitoring-info-missing-type": .error,
      "monitoring-info-unknown-type": .error, "monitoring-info-unknown-key": .error,
      "monitoring-info-missing-required-key": .error, "monitoring-info-invalid-value": .error,
      "monitoring-info-ssl-not-supported": .error, "monitoring-info-ssl-option-without-ssl": .warning,
      "monitoring-info-incomplete-credentials": .warning, "monitoring-info-quoted-value": .warning,
      "monitoring-info-empty-fragment": .warning, "monitoring-info-duplicate-service": .error,
      "monitoring-info-fragment-outside-directory": .error, "monitoring-info-fragment-name-mismatch": .warning,
      "monitoring-info-fragment-needs-conf-suffix": .warning, "monitoring-info-fragment-without-trigger": .warning,
      "monitoring-info-world-readable-credentials": .warning,
    ]
    for (tag, severity) in design {
      #expect(Rule.named(tag)?.severity == severity, "\(tag)")
    }
  }
}
