import Glibc

/// An IPv4 or IPv6 address as bytes (4 or 16), parsed with `inet_pton`. An IPv4-mapped IPv6
/// address (`::ffff:198.18.1.5`, what a dual-stack sshd may report) is the IPv4 address.
public struct IPAddress: Sendable, Equatable {
  public let bytes: [UInt8]

  public init?(_ text: String) {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      bytes = withUnsafeBytes(of: &v4) { Array($0) }
      return
    }
    var v6 = in6_addr()
    guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
    let all = withUnsafeBytes(of: &v6) { Array($0) }
    bytes = all.prefix(10).allSatisfy { $0 == 0 } && all[10] == 0xFF && all[11] == 0xFF ? Array(all.suffix(4)) : all
  }
}

/// `ADDRESS/PREFIX` or a single address (`198.18.1.0/24`, `2001:db8::/64`, `198.18.1.7`).
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
  public let network: IPAddress
  public let prefix: Int
  public let description: String

  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
    let bits = address.bytes.count * 8
    var prefix = bits
    if parts.count == 2 {
      guard let n = Int(parts[1]), n >= 0, n <= bits, parts[1].allSatisfy(\.isNumber) else { return nil }
      prefix = n
    }
    network = address
    self.prefix = prefix
    description = text
  }

  public func contains(_ address: IPAddress) -> Bool {
    guard address.bytes.count == network.bytes.count else { return false }
    var remaining = prefix
    for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
      let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
      if a & mask != b & mask { return false }
      remaining -= 8
    }
    return true
  }
}
