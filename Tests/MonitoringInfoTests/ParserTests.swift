import MonitoringInfo
import Testing

@Suite struct ParserTests {
  @Test func keepsRangesForSectionsKeysAndValues() throws {
    let file = SourceFile(path: "a.conf", text: "# c\n[ web ]\n  port\t=  8080  \n")
    let (fragment, diagnostics) = FragmentParser().parse(file)
    #expect(diagnostics.isEmpty)
    let section = try #require(fragment.sections.first)
    #expect(section.name == "web")
    #expect(file.location(of: section.nameRange.start) == SourcePosition(line: 2, column: 3))
    let entry = try #require(section.entries.first)
    #expect(entry.key == "port" && entry.value == "8080")
    #expect(file.text(entry.keyRange) == "port")
    #expect(file.location(of: entry.valueRange.start) == SourcePosition(line: 3, column: 11))
  }

  @Test func commentsOnlyAtLineStartAndValuesKeepHashAndSemicolon() throws {
    let (fragment, _) = FragmentParser().parse(SourceFile(path: "a", text: "[s]\n  ; comment\npassword = x # y ; z\n"))
    #expect(fragment.sections[0].entries.map(\.value) == ["x # y ; z"])
  }

  @Test func crlfAndByteOrderMarkAreAccepted() {
    let report = FragmentValidator().validate(SourceFile(path: "a", bytes: [0xEF, 0xBB, 0xBF] + Array("[s]\r\ntype = ssh\r\n".utf8)))
    #expect(report.diagnostics.isEmpty)
    #expect(report.services.map(\.name) == ["s"])
  }

  @Test func invalidUTF8IsAnErrorWithItsPosition() throws {
    let bytes = Array("[s]\ntype = ssh\n# caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    let report = FragmentValidator().validate(SourceFile(path: "a", bytes: bytes))
    let diagnostic = try #require(report.diagnostics.first)
    #expect(diagnostic.tag == "monitoring-info-syntax-error")
    #expect((diagnostic.line, diagnostic.column) == (3, 6))
    #expect(diagnostic.message.contains("UTF-8"))
  }

  @Test(arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80]] as [[UInt8]])
  func rejectsMalformedUTF8(_ sequence: [UInt8]) {
    let report = FragmentValidator().validate(SourceFile(path: "a", bytes: Array("[s]\ntype = ssh\nx = ".utf8) + sequence))
    #expect(report.diagnostics.contains { $0.tag == "monitoring-info-syntax-error" && $0.line == 3 && $0.column == 5 })
  }

  @Test func acceptsWellFormedMultibyteText() {
    let report = TestSupport.lint("# Überwachung – 監視 🚀\n[s]\ntype = imap\nusername = jürgen\npassword = 🔑\n")
    #expect(report.diagnostics.isEmpty)
  }

  @Test func nulByteIsAnError() {
    let report = FragmentValidator().validate(SourceFile(path: "a", bytes: Array("[s]\ntype = ssh\0\n".utf8)))
    // The unreadable line is dropped, so the section also lacks its type.
    #expect(report.diagnostics.map(\.tag) == ["monitoring-info-missing-type", "monitoring-info-syntax-error"])
    #expect(report.diagnostics.last.map { ($0.line, $0.column) } ?? (0, 0) == (2, 11))
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let report = TestSupport.lint("[s]\ntype = imap\nusername = ü\npasswort = x\n")
    let diagnostic = try #require(report.diagnostics.first { $0.tag == "monitoring-info-unknown-key" })
    #expect((diagnostic.line, diagnostic.column) == (4, 1))
    #expect(diagnostic.help == "did you mean 'password'?")
  }

  @Test func oversizedFileIsRefusedWithoutParsing() {
    let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: FragmentParser.maximumFileSize + 1)
    let report = FragmentValidator().validate(SourceFile(path: "a", bytes: bytes))
    #expect(report.diagnostics.map(\.tag) == ["monitoring-info-syntax-error"])
    #expect(report.diagnostics.first?.line == 0)
  }

  @Test func syntaxErrorsAreCapped() {
    let text = String(repeating: "garbage\n", count: 500)
    let report = TestSupport.lint(text)
    #expect(report.diagnostics.count == FragmentParser.maximumSyntaxErrors + 1)
    #expect(report.diagnostics.contains { $0.line == 0 && $0.message.contains("too many") })
  }
}
