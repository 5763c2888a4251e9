/// Service names (section names) and flow ids: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 bytes.
/// They become Nagios object names and file names, so the set is deliberately small.
public enum ServiceName {
  public static let maximumLength = 64

  public static func isValid(_ name: some StringProtocol) -> Bool {
    let bytes = name.utf8
    guard let first = bytes.first, bytes.count <= maximumLength, isASCIIAlphanumeric(first) else { return false }
    return bytes.allSatisfy {
      isASCIIAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
    }
  }
}
