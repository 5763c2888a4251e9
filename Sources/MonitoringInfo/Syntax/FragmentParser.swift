/// Turns the bytes of a fragment into sections and entries, reporting lines it cannot read.
/// One pass over the bytes, no backtracking: linear time and memory whatever the input.
public struct FragmentParser {
  /// Larger files are refused: fragments are a few lines, and the tools read untrusted ones.
  public static let maximumFileSize = 1 << 20
  /// After this many syntax errors in one file the rest is not reported.
  public static let maximumSyntaxErrors = 50

  public init() {}

  public func parse(_ file: SourceFile) -> (Fragment, [Diagnostic]) {
    var state = ParseState(file: file)
    state.run()
    return (state.fragment, state.diagnostics)
  }
}

private struct ParseState {
  let file: SourceFile
  /// Held directly: reading through `file.bytes` costs a retain and release per byte.
  let bytes: [UInt8]
  var fragment = Fragment()
  var diagnostics: [Diagnostic] = []
  var syntaxErrors = 0

  init(file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
  }

  mutating func run() {
    if bytes.count > FragmentParser.maximumFileSize {
      report(.syntaxError, nil, "file is larger than \(FragmentParser.maximumFileSize) bytes")
      return
    }
    var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // a UTF-8 byte order mark
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var contentEnd = lineEnd
      if contentEnd > lineStart && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
      parseLine(lineStart..<contentEnd)
      if syntaxErrors >= FragmentParser.maximumSyntaxErrors {
        report(.syntaxError, nil, "too many syntax errors; the rest of the file was not read")
        return
      }
      lineStart = lineEnd + 1
    }
  }

  private mutating func parseLine(_ line: Range<Int>) {
    if let bad = firstInvalidUTF8(in: bytes, line) {
      return syntaxError(at: bad, "invalid UTF-8 (byte 0x\(hex(bytes[bad])))", help: "save the file as UTF-8")
    }
    if let control = line.first(where: { bytes[$0] < 0x20 && bytes[$0] != UInt8(ascii: "\t") || bytes[$0] == 0x7F }) {
      return syntaxError(at: control, "control character U+\(hex(bytes[control]).leftPadded(4)) is not allowed")
    }
    let content = trimmed(line)
    guard let first = content.first.map({ bytes[$0] }) else { return }
    switch first {
    case UInt8(ascii: "#"), UInt8(ascii: ";"):
      return
    case UInt8(ascii: "["):
      parseSectionHeader(content)
    default:
      parseEntry(content)
    }
  }

  private mutating func parseSectionHeader(_ content: Range<Int>) {
    guard bytes[content.upperBound - 1] == UInt8(ascii: "]"), content.count >= 2 else {
      return syntaxError(at: content.lowerBound, "section header does not end with ']'", help: "write it as '[service]'")
    }
    let inner = trimmed(content.lowerBound + 1..<content.upperBound - 1)
    let range = SourceRange(inner.lowerBound, inner.upperBound)
    let name = file.text(range)
    let valid = ServiceName.isValid(name)
    if !valid {
      report(
        .invalidServiceName, range, name.isEmpty ? "empty service name" : "invalid service name '\(name)'",
        help: "use letters, digits, '.', '_' and '-', starting with a letter or digit, at most \(ServiceName.maximumLength) characters")
    }
    var section = Section(name: name, nameRange: range, hasValidName: valid)
    section.entries.reserveCapacity(4)  // a typical section: one allocation instead of three
    fragment.sections.append(section)
  }

  private mutating func parseEntry(_ content: Range<Int>) {
    guard let equals = content.first(where: { bytes[$0] == UInt8(ascii: "=") }) else {
      let help = content.contains(where: { bytes[$0] == UInt8(ascii: ":") }) ? "write 'key = value', with '='" : nil
      return syntaxError(at: content.lowerBound, "expected '[service]', 'key = value' or a comment", help: help)
    }
    let keyRange = trimmed(content.lowerBound..<equals)
    guard !keyRange.isEmpty else {
      return syntaxError(at: content.lowerBound, "missing key before '='")
    }
    let valueRange = trimmed(equals + 1..<content.upperBound)
    let key = SourceRange(keyRange.lowerBound, keyRange.upperBound)
    let value = SourceRange(valueRange.lowerBound, valueRange.upperBound)
    guard !fragment.sections.isEmpty else {
      return report(.keyOutsideSection, key, "'\(file.text(key))' is set before any [service] header",
                    help: "add a '[service]' line above it")
    }
    fragment.sections[fragment.sections.count - 1].entries.append(
      Entry(key: file.text(key), keyRange: key, value: file.text(value), valueRange: value))
  }

  private func trimmed(_ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper && isBlank(bytes[lower]) { lower += 1 }
    while upper > lower && isBlank(bytes[upper - 1]) { upper -= 1 }
    return lower..<upper
  }

  private func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

  private mutating func syntaxError(at offset: Int, _ message: String, help: String? = nil) {
    syntaxErrors += 1
    report(.syntaxError, SourceRange(offset, offset + 1), message, help: help)
  }

  private mutating func report(_ rule: Rule, _ range: SourceRange?, _ message: String, help: String? = nil) {
    diagnostics.append(Diagnostic(rule: rule, in: file, at: range, message: message, help: help))
  }
}

private func hex(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
