/// HMAC-SHA-256 (RFC 2104) over `SHA256`, for the server's enrollment tickets.
public enum HMACSHA256 {
  public static func hex(key: [UInt8], _ message: [UInt8]) -> String {
    var block = key.count > 64 ? SHA256.hash(key) : key
    block += [UInt8](repeating: 0, count: 64 - block.count)
    let inner = SHA256.hash(block.map { $0 ^ 0x36 } + message)
    return SHA256.hexText(SHA256.hash(block.map { $0 ^ 0x5c } + inner))
  }

  /// Equal strings in time that does not depend on where they differ (ticket comparison).
  public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<x.count { difference |= x[i] ^ y[i] }
    return difference == 0
  }
}
