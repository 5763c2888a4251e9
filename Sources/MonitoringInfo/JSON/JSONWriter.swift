// The one JSON writer: compact output, object members in sorted order, so that the same
// value always gives the same bytes (the client compares payloads by digest).

extension JSONValue {
  /// Compact JSON text, object keys sorted by their UTF-8 bytes.
  public var serialized: String {
    var output = ""
    write(to: &output)
    return output
  }

  func write(to output: inout String) {
    switch self {
    case .null: output += "null"
    case .bool(let b): output += b ? "true" : "false"
    case .number(let n): output += n
    case .string(let s): output += JSONValue.quoted(s)
    case .array(let items):
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        item.write(to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
        if index > 0 { output += "," }
        output += JSONValue.quoted(key)
        output += ":"
        members[key]!.write(to: &output)
      }
      output += "}"
    }
  }

  public static func number(_ value: Int) -> JSONValue { .number(String(value)) }

  /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped;
  /// U+2028 and U+2029 too, so the text is also safe inside JavaScript.
  public static func quoted(_ text: String) -> String {
    // Most strings need no escape: one pass over the bytes, then a single append (0xE2 leads
    // U+2028 and U+2029, so any string with it takes the scalar path).
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
      return "\"" + text + "\""
    }
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }
}
