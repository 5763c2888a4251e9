/// An ssh public key as sshd hands it to the AuthorizedKeysCommand (`%t %k`): its type and
/// base64 blob, both checked before they appear in an authorized_keys line or a file.
public struct PublicKey: Sendable, Equatable {
  public static let maximumLength = 8192

  public var type: String
  public var blob: String

  public init?(type: String, blob: String) {
    guard !type.isEmpty, type.utf8.count <= 64,
      type.utf8.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: ".") }),
      !blob.isEmpty, blob.utf8.count <= Self.maximumLength,
      blob.utf8.allSatisfy({ isBase64($0) })
    else { return nil }
    self.type = type
    self.blob = blob
  }

  /// `TYPE BLOB`, as in authorized_keys.
  public var line: String { type + " " + blob }

  /// The name of the key's index file (SHA-256 of the line).
  public func digest() throws(ServerError) -> String { try Digest.sha256(Array(line.utf8)) }

  /// `SHA256:...` as `ssh-keygen -l` prints it, for the administrator comparing keys.
  public var fingerprint: String {
    guard let raw = Base64.decode(blob), let digest = try? Digest.sha256(raw) else { return "?" }
    return "SHA256:" + Base64.encode(Digest.bytes(hex: digest)).replacingTrailingEquals
  }
}

private func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
private func isBase64(_ b: UInt8) -> Bool {
  (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F || b == 0x3D
}

enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func decode(_ text: String) -> [UInt8]? {
    var table = [Int](repeating: -1, count: 256)
    for (i, c) in alphabet.enumerated() { table[Int(c)] = i }
    var out: [UInt8] = []
    var buffer = 0, bits = 0
    for c in text.utf8 {
      if c == UInt8(ascii: "=") { break }
      let v = table[Int(c)]
      if v < 0 { return nil }
      buffer = (buffer << 6) | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8((buffer >> bits) & 0xFF))
      }
    }
    return out
  }

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      var chunk = 0
      for j in 0..<3 { chunk = (chunk << 8) | (j < n ? Int(bytes[i + j]) : 0) }
      for j in 0..<4 { out.append(j <= n ? alphabet[(chunk >> (18 - 6 * j)) & 63] : UInt8(ascii: "=")) }
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension Digest {
  static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var high: UInt8?
    for c in hex.utf8 {
      let v = c <= 0x39 ? c - 0x30 : c - 0x61 + 10
      if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return out
  }
}

extension String {
  var replacingTrailingEquals: String {
    var s = self
    while s.hasSuffix("=") { s.removeLast() }
    return s
  }
}
