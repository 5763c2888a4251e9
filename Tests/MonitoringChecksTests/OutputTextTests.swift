// The status line as the one gate for foreign text: on Unicode scalars, with the password masked.
import MonitoringChecks
import Testing

@Suite("status line sanitising")
struct OutputTextTests {
  @Test(arguments: [
    "220 mx |\u{301} injected=99;1;2;0",  // '|' + combining mark: one Character
    "x\r\nLDAP OK - spoofed",  // CR LF: one Character
    "a\u{1b}[31mb\0c\u{85}d\u{2028}e\u{202e}f",  // ESC, NUL, NEL, line separator, bidi override
  ])
  func foreignTextCannotShapeTheOutput(_ message: String) {
    let line = CheckResult(.ok, message, perfdata: [Perfdata("time", "1", unit: "s")]).rendered(label: "SMTP")
    #expect(line.utf8.filter { $0 == UInt8(ascii: "|") }.count == 1, "\(line.debugDescription)")
    #expect(line.hasSuffix(" | time=1s"), "\(line.debugDescription)")
    #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) || $0.value == 0x2028
      || $0.value == 0x202e }, "\(line.debugDescription)")
  }

  @Test func passwordMaskedWherever() {
    let secret = "pw|x\u{301}"
    let line = CheckResult(.critical, "NO you sent \"\(secret)\" and \(secret)").rendered(label: "IMAP", secrets: [secret])
    #expect(line == "IMAP CRITICAL - NO you sent \"********\" and ********", "\(line.debugDescription)")
  }
}
