@testable import DebhelperSupport
import MonitoringInfo
import Testing

/// dh_monitoringinfo's policy, tested in the library without running the tool: the mode of a
/// fragment with a password and its override, the trigger a maintainer may have declared.
@Suite struct PolicyTests {
  @Test func aPasswordMakesTheFragmentRootOnlyWithItsOverride() {
    let secret = FragmentCheck.check(path: "debian/p.monitoring-info", bytes: Array("[db]\ntype = imap\nusername = u\npassword = p#;q\n".utf8))
    let plain = FragmentCheck.check(path: "debian/p.monitoring-info", bytes: Array("[web]\ntype = http\n".utf8))
    #expect(secret.holdsCredentials && !plain.holdsCredentials)
    #expect(MonitoringInfoTool.installMode(holdsCredentials: secret.holdsCredentials) == 0o600)
    #expect(MonitoringInfoTool.installMode(holdsCredentials: plain.holdsCredentials) == 0o644)
    #expect(MonitoringInfoTool.lintianOverride(conf: "p.conf") == "non-standard-file-perm 0600 != 0644 [etc/monitoring-info/p.conf]")
  }

  @Test func aDeclaredTriggerIsFoundAndAnAwaitingOneWarnedAbout() throws {
    let text = "# interest monitoring-info-changed\ninterest-noawait /usr/share/x\nactivate monitoring-info-changed\n"
    let declared = try #require(PackageFacts.triggerDeclaration(Array(text.utf8)))
    #expect(declared.line == 3 && declared.directive == "activate")
    let warning = MonitoringInfoTool.triggerWarning(file: "debian/p.triggers", line: 3, directive: "activate", package: "p")
    #expect(warning?.hasPrefix("debian/p.triggers:3: 'activate monitoring-info-changed' makes dpkg wait") == true)
    #expect(warning?.hasSuffix("[monitoring-info-trigger-awaits]") == true)
    #expect(MonitoringInfoTool.triggerWarning(file: "f", line: 1, directive: "activate-noawait", package: "p") == nil)
    #expect(PackageFacts.triggerDeclaration(Array("activate-noawait other-trigger\n".utf8)) == nil)
  }
}
