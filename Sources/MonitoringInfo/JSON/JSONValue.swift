// The one JSON reader (RFC 8259) of the project: registrations, replies, enrollment requests
// and the client's state (docs/protocol.md). Strict, because its input comes from other hosts:
// duplicate keys, malformed numbers, invalid UTF-8 and nesting deeper than 64 are errors.
// Numbers are kept as their text, so a huge number is never rounded or trapped on.

public indirect enum JSONValue: Sendable, Equatable {
  case null, bool(Bool), number(String), string(String), array([JSONValue]), object([String: JSONValue])

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// A parameter value as the format writes it: strings as they are, numbers and booleans as text.
  public var scalarText: String? {
    switch self {
    case .string(let s): s
    case .number(let n): n
    case .bool(let b): b ? "true" : "false"
    default: nil
    }
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [String: JSONValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// An integer member, when it is a number without fraction or exponent that fits an Int.
  public var intValue: Int? {
    if case .number(let n) = self { return Int(n) }
    return nil
  }

  public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
    var p = Parser(bytes: bytes)
    p.skipSpace()
    let value = try p.value(depth: 0)
    p.skipSpace()
    guard p.i == bytes.count else { throw p.error("trailing characters") }
    return value
  }
}

public struct JSONError: Error, CustomStringConvertible, Sendable {
  public var offset: Int
  public var reason: String
  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

private struct Parser {
  let bytes: [UInt8]
  var i = 0

  func error(_ reason: String) -> JSONError { JSONError(offset: i, reason: reason) }

  mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 }
  }

  mutating func literal(_ word: String, _ value: JSONValue) throws(JSONError) -> JSONValue {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, bytes[i..<i + w.count].elementsEqual(w) else { throw error("unexpected character") }
    i += w.count
    return value
  }

  static let maxDepth = 64

  mutating func value(depth: Int) throws(JSONError) -> JSONValue {
    guard depth < Parser.maxDepth else { throw error("nested too deeply") }
    guard i < bytes.count else { throw error("unexpected end") }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var object: [String: JSONValue] = [:]
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
        let keyOffset = i
        let key = try string()
        guard object[key] == nil else { throw JSONError(offset: keyOffset, reason: "duplicate key '\(key)'") }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
        i += 1
        skipSpace()
        object[key] = try value(depth: depth + 1)
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
        throw error("expected ',' or '}'")
      }
    case UInt8(ascii: "["):
      i += 1
      var array: [JSONValue] = []
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
      while true {
        skipSpace()
        array.append(try value(depth: depth + 1))
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
        throw error("expected ',' or ']'")
      }
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default: return .number(try number())
    }
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
  mutating func number() throws(JSONError) -> String {
    let start = i
    func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
    if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard isDigit(i) else { throw error(i == start ? "unexpected character" : "invalid number") }
    if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while isDigit(i) { i += 1 } }
    if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard isDigit(i) else { throw error("invalid number") }
      while isDigit(i) { i += 1 }
    }
    if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
      i += 1
      if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
      guard isDigit(i) else { throw error("invalid number") }
      while isDigit(i) { i += 1 }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  mutating func hex4() throws(JSONError) -> UInt32 {
    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
      throw error("invalid \\u escape")
    }
    i += 4
    return v
  }

  mutating func string() throws(JSONError) -> String {
    i += 1
    var out: [UInt8] = []
    while i < bytes.count {
      let c = bytes[i]
      i += 1
      if c == UInt8(ascii: "\"") {
        guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8") }
        return s
      }
      if c < 0x20 { throw error("control character in string") }
      if c != UInt8(ascii: "\\") { out.append(c); continue }
      guard i < bytes.count else { break }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
      case UInt8(ascii: "b"): out.append(8)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if scalar >= 0xd800 && scalar < 0xdc00 {
          guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error("lone surrogate")
          }
          i += 2
          let low = try hex4()
          guard low >= 0xdc00 && low < 0xe000 else { throw error("lone surrogate") }
          scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
        }
        guard let u = Unicode.Scalar(scalar) else { throw error("lone surrogate") }
        out += Array(String(Character(u)).utf8)
      default: throw error("invalid escape")
      }
    }
    throw error("unterminated string")
  }
}
