/// Base64 (RFC 4648) for OpenSSH public keys and `SHA256:` fingerprints.
public enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  public static func encode(_ bytes: [UInt8], padding: Bool = true) -> String {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
      let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
      for position in 0...chunk.count { out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 63)]) }
      if padding { out += Array(repeating: UInt8(ascii: "="), count: 3 - chunk.count) }
      index += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// nil for anything that is not base64.
  public static func decode(_ text: String) -> [UInt8]? {
    var value: UInt32 = 0
    var bits = 0
    var out: [UInt8] = []
    var padded = false
    for byte in text.utf8 {
      if byte == UInt8(ascii: "=") { padded = true; continue }
      guard !padded, let digit = alphabet.firstIndex(of: byte) else { return nil }
      value = value << 6 | UInt32(digit)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: value >> UInt32(bits)))
      }
    }
    return out
  }
}
