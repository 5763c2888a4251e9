import MonitoringInfo
import Testing

/// A built package's duties for its fragments, decided once for dh_monitoringinfo and the
/// lintian check (which asks monitoring-info-lint --package-facts).
@Suite struct PackageFactsTests {
  static let secret = SourceFile(path: "etc/monitoring-info/p.conf", text: "[mail]\ntype = imap\nusername = u\npassword = s#;\n")
  static let nested = SourceFile(path: "etc/monitoring-info/sub/q.conf", text: "[web]\ntype = http\n")

  func tags(_ files: [SourceFile], _ triggers: String?, _ modes: [String: UInt32] = [:]) -> [String] {
    PackageFacts.findings(files: files, triggers: triggers.map { Array($0.utf8) }, modes: modes).map { "\($0.tag) \($0.path) \($0.message)" }
  }

  @Test func theTriggerMustBeActivatedWithoutAwaiting() {
    #expect(tags([Self.secret], "activate-noawait monitoring-info-changed\n").isEmpty)
    #expect(tags([Self.secret], nil) == ["monitoring-info-fragment-without-trigger etc/monitoring-info/p.conf activate-noawait monitoring-info-changed"])
    #expect(tags([Self.secret], "interest monitoring-info-changed\n#activate-noawait monitoring-info-changed\n")
      == ["monitoring-info-fragment-without-trigger etc/monitoring-info/p.conf activate-noawait monitoring-info-changed"])
    #expect(tags([Self.secret], "activate-await monitoring-info-changed\r\n")
      == ["monitoring-info-trigger-awaits etc/monitoring-info/p.conf activate-await monitoring-info-changed"])
    // Only a fragment the client reads needs the trigger.
    #expect(tags([Self.nested], nil).isEmpty)
  }

  @Test func aPasswordReadableByEveryoneIsReported() {
    let noawait = "activate-noawait monitoring-info-changed\n"
    #expect(tags([Self.secret], noawait, ["etc/monitoring-info/p.conf": 0o644])
      == ["monitoring-info-world-readable-credentials etc/monitoring-info/p.conf 0644"])
    #expect(tags([Self.secret], noawait, ["etc/monitoring-info/p.conf": 0o640]).isEmpty)
    #expect(tags([Self.nested], noawait, ["etc/monitoring-info/sub/q.conf": 0o644]).isEmpty)
    // An invalid fragment leaks its password all the same.
    let broken = SourceFile(path: "etc/monitoring-info/b.conf", text: "[x]\ntype = nonsense\npassword = s\n")
    #expect(PackageFacts.setsPassword(broken) && !PackageFacts.setsPassword(Self.nested))
  }
}
