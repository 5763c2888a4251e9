/// An OpenSSH public key (`ssh-ed25519 AAAA...`): its type and base64 blob, both checked
/// before they appear in an authorized_keys line, a file name or a known_hosts file. The one
/// key type of the client (its host key pin) and the server (key bindings).
public struct SSHPublicKey: Sendable, Equatable {
  public static let maximumLength = 8192

  public var type: String
  public var blob: String

  /// As sshd hands a key to the AuthorizedKeysCommand (`%t %k`).
  public init?(type: String, blob: String) {
    guard !type.isEmpty, type.utf8.count <= 64,
      type.utf8.allSatisfy({ Self.isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: ".") }),
      !blob.isEmpty, blob.utf8.count <= Self.maximumLength, let bytes = Base64.decode(blob), !bytes.isEmpty
    else { return nil }
    self.type = type
    self.blob = blob
  }

  /// From `TYPE BASE64 [comment]`, also a known_hosts or ssh-keyscan line with a host first.
  public init?(line: String) {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    guard let index = words.firstIndex(where: { $0.hasPrefix("ssh-") || $0.hasPrefix("ecdsa-") || $0.hasPrefix("sk-") }),
      index + 1 < words.count
    else { return nil }
    self.init(type: words[index], blob: words[index + 1])
  }

  /// `TYPE BLOB`, as in authorized_keys.
  public var line: String { type + " " + blob }

  /// `SHA256:...` as `ssh-keygen -l` prints it, for an administrator comparing keys.
  public var fingerprint: String {
    guard let bytes = Base64.decode(blob) else { return "?" }
    return "SHA256:" + Base64.encode(SHA256.hash(bytes), padding: false)
  }

  /// SHA-256 of `line` in hex: the name of the server's index file for this key.
  public var digest: String { SHA256.hex(Array(line.utf8)) }

  static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }

  /// What a client's `server_key` pins: a whole key, or only a fingerprint to be matched
  /// against the keys the server offers.
  public enum Pin: Sendable, Equatable {
    case key(SSHPublicKey)
    case fingerprint(String)

    public init?(_ text: String) {
      if text.hasPrefix("SHA256:"), text.count > 7, !text.contains(" ") {
        self = .fingerprint(text)
      } else if let key = SSHPublicKey(line: text) {
        self = .key(key)
      } else {
        return nil
      }
    }

    public var fingerprint: String {
      switch self {
      case let .key(key): key.fingerprint
      case let .fingerprint(text): text
      }
    }
  }
}
