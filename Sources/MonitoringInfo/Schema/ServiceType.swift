/// The kinds of check the format knows. Each type's keys live in its own file
/// (`Schema/Types/`), and `ServiceType.schema` is the one table everything reads.
public enum ServiceType: String, Sendable, CaseIterable {
  case http, tcp, udp, smtp, imap, pop3, mailflow, ldap, ssh

  public var schema: ServiceTypeSchema {
    switch self {
    case .http: .http
    case .tcp: .tcp
    case .udp: .udp
    case .smtp: .smtp
    case .imap: .imap
    case .pop3: .pop3
    case .mailflow: .mailflow
    case .ldap: .ldap
    case .ssh: .ssh
    }
  }
}

public struct ServiceTypeSchema: Sendable {
  public let type: ServiceType
  /// What the check does, for documentation.
  public let summary: String
  /// The type's own keys; SSL-capable types also take `ServiceTypeSchema.sslKeys`.
  public let ownKeys: [KeySpec]
  public let isSSLCapable: Bool
  /// The protocol can switch a plain connection to TLS (`starttls`): smtp, imap, pop3, ldap.
  public let isSTARTTLSCapable: Bool
  /// Every key this type accepts besides `type`.
  public let keys: [KeySpec]
  /// `keys.map(\.name)`: searched instead of `keys`, whose elements are costly to copy.
  let keyNames: [String]

  init(_ type: ServiceType, sslCapable: Bool, starttls: Bool = false, summary: String, keys: [KeySpec]) {
    precondition(sslCapable || !starttls, "starttls needs the SSL keys")
    self.type = type
    self.isSSLCapable = sslCapable
    self.isSTARTTLSCapable = starttls
    self.summary = summary
    self.ownKeys = keys
    // `starttls` right after `ssl`: the two ways of getting TLS, then what applies to both.
    let tlsKeys = starttls ? Array(Self.sslKeys.prefix(1)) + [Self.starttlsKey] + Self.sslKeys.dropFirst() : Self.sslKeys
    self.keys = sslCapable ? keys + tlsKeys : keys
    self.keyNames = self.keys.map(\.name)
    precondition(self.keys.count <= 64, "KeySet holds the keys of a type in 64 bits")
  }

  public func key(_ name: String) -> KeySpec? { keyIndex(name).map { keys[$0] } }

  func keyIndex(_ name: String) -> Int? { keyNames.firstIndex(of: name) }

  /// The keys every SSL-capable type takes.
  public static let sslKeys: [KeySpec] = [
    KeySpec("ssl", .boolean, default: .value(.boolean(false)), "an SSL/TLS connection is expected from the first byte"),
    KeySpec("ssl_hostname", .hostname, default: .hostName, "the name the certificate must match"),
    KeySpec("ignore_invalid_ssl", .boolean, default: .value(.boolean(false)), "skip the certificate validity checks"),
    KeySpec("expire_before_days", .days, "a certificate expiring within this many days counts as a failure"),
  ]

  /// The key of the STARTTLS-capable types: TLS negotiated inside the protocol, on its plain
  /// port. It excludes `ssl`; every SSL option applies to it as to `ssl`.
  public static let starttlsKey = KeySpec(
    "starttls", .boolean, default: .value(.boolean(false)),
    "TLS negotiated on the plain port with the protocol's STARTTLS (pop3: STLS, ldap: the StartTLS operation); not with ssl")

  /// SSL options that mean nothing while `ssl` (and `starttls`) is off.
  static let sslOptions = ["ssl_hostname", "ignore_invalid_ssl", "expire_before_days"]
  static let sslKeyNames = sslKeys.map(\.name)

  /// Human form of a key's default for the documentation: a port default names its TLS variants
  /// ("25, also with starttls; 465 with ssl").
  public func defaultDescription(_ key: KeySpec) -> String? {
    guard case let .port(plain, tls) = key.defaultValue, isSTARTTLSCapable else { return key.defaultDescription }
    return "\(plain), also with starttls; \(tls) with ssl"
  }
}
