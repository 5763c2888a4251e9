import CLibCrypto

/// SHA-256 and HMAC-SHA-256 from the system libcrypto (loaded only when a key or ticket is
/// looked at), as lowercase hex.
public enum Digest {
  public static func sha256(_ bytes: [UInt8]) throws(ServerError) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    guard automon_sha256(bytes, bytes.count, &digest) == 0 else { throw ServerError("cannot load libcrypto.so.3") }
    return hex(digest)
  }

  public static func hmacSHA256(key: [UInt8], _ bytes: [UInt8]) throws(ServerError) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    guard automon_hmac_sha256(key, key.count, bytes, bytes.count, &digest) == 0 else {
      throw ServerError("cannot load libcrypto.so.3")
    }
    return hex(digest)
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Equal strings in time that does not depend on where they differ.
  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<x.count { difference |= x[i] ^ y[i] }
    return difference == 0
  }
}
