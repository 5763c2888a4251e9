/// One key of a service type: what its value looks like and what it is when absent.
public struct KeySpec: Sendable {
  public enum Default: Sendable, Equatable {
    /// No default: the key is simply unset.
    case none
    case value(Value)
    /// Depends on whether `ssl` is on (the well-known plain and TLS ports); `starttls` keeps
    /// the plain port, where the protocol itself switches to TLS.
    case port(plain: Int, tls: Int)
    /// The monitored host's fully qualified name.
    case hostName
  }

  public let name: String
  public let kind: ValueKind
  public let defaultValue: Default
  public let isRequired: Bool
  /// One line for `--explain` and the documentation.
  public let summary: String

  public init(_ name: String, _ kind: ValueKind, default defaultValue: Default = .none, required: Bool = false, _ summary: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.isRequired = required
    self.summary = summary
  }

  /// Human form of the default for documentation, e.g. "80, or 443 with ssl".
  public var defaultDescription: String? {
    switch defaultValue {
    case .none: nil
    case let .value(value): value.description
    case let .port(plain, tls): "\(plain), or \(tls) with ssl"
    case .hostName: "the host's FQDN"
    }
  }
}
