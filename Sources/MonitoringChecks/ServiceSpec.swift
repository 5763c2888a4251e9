// One service to check: its definition validated and resolved by the core library
// (MonitoringInfo: same rules and defaults as the linter and the server), the host,
// and where to connect.
import MonitoringInfo

public typealias CheckType = ServiceType

public struct ServiceSpec: Sendable {
  public var name: String
  public var type: CheckType
  /// The host's name: default Host header and certificate name (resolved by the library).
  public var host: String
  /// Where to connect (an address given with -H in registration mode); defaults to `host`.
  public var address: String
  /// Every key with a value, given or by default, as text.
  public var values: [String: String]

  /// Validates `params` for `type` with the core library and resolves every default.
  /// The first error becomes an UNKNOWN failure (a configuration problem, not a service problem).
  public static func make(name: String, type typeName: String, host: String, address: String? = nil,
                          params: [String: String], source: String = "command line") throws(CheckFailure) -> ServiceSpec {
    let (definition, diagnostics) = ServiceDefinition.validate(
      name: name, type: typeName, params: params, source: source, hostName: host)
    guard let definition else {
      let first = diagnostics.first { $0.severity == .error } ?? diagnostics.first
      throw CheckFailure(.unknown, first?.note ?? "invalid service '\(name)'")
    }
    return ServiceSpec(name: name, type: definition.type, host: host, address: address ?? host,
                       values: definition.values.mapValues(\.description))
  }

  public func string(_ key: String) -> String? {
    guard let v = values[key], !v.isEmpty else { return nil }
    return v
  }

  public func integer(_ key: String) throws(CheckFailure) -> Int? {
    guard let v = values[key] else { return nil }
    guard let n = Int(v) else { throw CheckFailure(.unknown, "invalid value '\(v)' for '\(key)'") }
    return n
  }

  public func boolean(_ key: String) throws(CheckFailure) -> Bool? {
    guard let v = values[key] else { return nil }
    return v == "true"
  }

  public var ssl: Bool { values["ssl"] == "true" }
  /// TLS negotiated inside the protocol on the plain port (smtp, imap, pop3, ldap).
  public var starttls: Bool { values["starttls"] == "true" }
  public var port: Int { values["port"].flatMap { Int($0) } ?? 0 }

  /// The name the certificate must match: ssl_hostname, else the host's name.
  public var sslHostname: String { string("ssl_hostname") ?? host }
}
