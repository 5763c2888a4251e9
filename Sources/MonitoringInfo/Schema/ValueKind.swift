#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a key's value must look like, and how it is turned into a typed `Value`.
public enum ValueKind: String, Sendable {
  case port, boolean, uri, hostname, email, identifier, username, password, seconds, days

  /// A short phrase for messages: "expected <expectation>".
  public var expectation: String {
    switch self {
    case .port: "a port number from 1 to 65535"
    case .boolean: "true/false, yes/no, on/off or 1/0"
    case .uri: "a path starting with '/', without spaces"
    case .hostname: "a DNS name or an IP address"
    case .email: "an e-mail address such as monitor@example.org"
    case .identifier: "a name of letters, digits, '.', '_' and '-' (at most 64)"
    case .username, .password: "a non-empty value without control characters"
    case .seconds: "a whole number of seconds from 1 to \(ValueKind.maximumSeconds)"
    case .days: "a whole number of days from 0 to \(ValueKind.maximumDays)"
    }
  }

  static let maximumSeconds = 31_536_000
  static let maximumDays = 3_650

  /// The typed value, or nil when `text` does not fit this kind.
  public func parse(_ text: String) -> Value? {
    switch self {
    case .port:
      guard let number = Self.wholeNumber(text), (1...65535).contains(number) else { return nil }
      return .integer(number)
    case .seconds:
      guard let number = Self.wholeNumber(text), (1...Self.maximumSeconds).contains(number) else { return nil }
      return .integer(number)
    case .days:
      guard let number = Self.wholeNumber(text), (0...Self.maximumDays).contains(number) else { return nil }
      return .integer(number)
    case .boolean:
      return Self.boolean(text).map(Value.boolean)
    case .uri:
      guard text.utf8.first == UInt8(ascii: "/"), text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
      return .string(text)
    case .hostname:
      return Self.isHostname(text) || Self.isIPAddress(text) ? .string(text) : nil
    case .email:
      return Self.isEmail(text) ? .string(text) : nil
    case .identifier:
      return ServiceName.isValid(text) ? .string(text) : nil
    case .username, .password:
      guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
      return .string(text)
    }
  }

  static func wholeNumber(_ text: String) -> Int? {
    let digits = text.utf8
    guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(text)
  }

  static func boolean(_ text: String) -> Bool? {
    // ASCII case folding by hand: `lowercased()` allocates, and this runs for every boolean.
    var folded: [UInt8] = []
    folded.reserveCapacity(5)
    for byte in text.utf8 {
      guard folded.count < 5 else { return nil }
      folded.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
    }
    switch String(decoding: folded, as: UTF8.self) {
    case "true", "yes", "on", "1": return true
    case "false", "no", "off", "0": return false
    default: return nil
    }
  }

  /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 1 to 63
  /// bytes each, at most 253 in all, an optional final dot. Scanned byte by byte: splitting
  /// into substrings was the linter's most expensive step (bench/lint).
  static func isHostname(_ text: String) -> Bool {
    isHostname(text.utf8)
  }

  static func isHostname<Bytes: BidirectionalCollection<UInt8>>(_ name: Bytes) -> Bool {
    var count = name.count
    if name.last == UInt8(ascii: ".") { count -= 1 }
    guard count > 0, count <= 253 else { return false }
    var labelLength = 0
    var previous: UInt8 = UInt8(ascii: ".")
    for byte in name.prefix(count) {
      if byte == UInt8(ascii: ".") {
        guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
        labelLength = 0
      } else {
        guard isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
        if labelLength == 0 && byte == UInt8(ascii: "-") { return false }
        labelLength += 1
        if labelLength > 63 { return false }
      }
      previous = byte
    }
    return labelLength > 0 && previous != UInt8(ascii: "-")
  }

  /// IPv4 or IPv6 in the forms the C library accepts (no zone index, no brackets).
  static func isIPAddress(_ text: String) -> Bool {
    var buffer = in6_addr()
    return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
  }

  static func isEmail(_ text: String) -> Bool {
    let bytes = text.utf8
    guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
    let local = bytes[..<at]
    let domain = bytes[bytes.index(after: at)...]
    guard !local.isEmpty, local.count <= 64, !domain.contains(UInt8(ascii: "@")) else { return false }
    guard local.allSatisfy({ isASCIIAlphanumeric($0) || emailLocalPunctuation.contains($0) }) else { return false }
    return isHostname(domain)
  }
}

private let emailLocalPunctuation = Array("!#$%&'*+/=?^_`{|}~.-".utf8)

func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
}
