/// An OpenSSH public host key (`ssh-ed25519 AAAA...`) and its `SHA256:` fingerprint, the form
/// `ssh-keygen -l` prints and an administrator compares.
public struct HostKey: Sendable, Equatable {
  public var type: String
  public var base64: String

  /// From `TYPE BASE64 [comment]` (also a known_hosts or ssh-keyscan line with a host first).
  public init?(line: String) {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard let index = words.firstIndex(where: { $0.hasPrefix("ssh-") || $0.hasPrefix("ecdsa-") || $0.hasPrefix("sk-") }),
      index + 1 < words.count, let blob = Base64.decode(words[index + 1]), !blob.isEmpty
    else { return nil }
    type = words[index]
    base64 = words[index + 1]
    _ = blob
  }

  public var fingerprint: String { Self.fingerprint(ofBase64: base64) ?? "" }

  public var line: String { "\(type) \(base64)" }

  public static func fingerprint(ofBase64 text: String) -> String? {
    guard let blob = Base64.decode(text) else { return nil }
    return "SHA256:" + Base64.encode(SHA256.hash(blob), padding: false)
  }

  /// What `server_key` pins: a whole key, or only a fingerprint to be matched against the keys
  /// the server offers.
  public enum Pin: Sendable, Equatable {
    case key(HostKey)
    case fingerprint(String)

    public init?(_ text: String) {
      if text.hasPrefix("SHA256:"), text.count > 7, !text.contains(" ") {
        self = .fingerprint(text)
      } else if let key = HostKey(line: text) {
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
