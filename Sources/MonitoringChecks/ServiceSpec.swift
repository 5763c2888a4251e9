// One service to check: its type, the host, and its parameter values (format key names).
//
// INTERIM: defaults and value checks here mirror DESIGN section 2 until the core
// library's schema (MonitoringInfo) lands; then `ServiceSpec.make` resolves through
// it and the table below goes away.

public enum CheckType: String, Sendable, CaseIterable {
  case http, tcp, udp, smtp, imap, pop3, mailflow, ldap, ssh

  var keys: Set<String> {
    let ssl: Set<String> = ["ssl", "ssl_hostname", "ignore_invalid_ssl", "expire_before_days"]
    switch self {
    case .http: return ssl.union(["port", "uri", "accept_redirection", "hostname"])
    case .tcp: return ssl.union(["port"])
    case .udp: return ["port"]
    case .smtp: return ssl.union(["port", "email", "mailflowid"])
    case .imap, .pop3: return ssl.union(["port", "username", "password", "mailflowid"])
    case .mailflow: return ["seconds", "id"]
    case .ldap: return ssl.union(["port", "username", "password"])
    case .ssh: return ["port"]
    }
  }

  var required: [String] {
    switch self {
    case .tcp, .udp: ["port"]
    case .mailflow: ["seconds", "id"]
    default: []
    }
  }

  /// Default port as (plain, with ssl).
  var defaultPorts: (Int, Int)? {
    switch self {
    case .http: (80, 443)
    case .smtp: (25, 465)
    case .imap: (143, 993)
    case .pop3: (110, 995)
    case .ldap: (389, 636)
    case .ssh: (22, 22)
    default: nil
    }
  }
}

public struct ServiceSpec: Sendable {
  public var name: String
  public var type: CheckType
  /// The host's name: default Host header and certificate name.
  public var host: String
  /// Where to connect (an address given with -H in registration mode); defaults to `host`.
  public var address: String
  public var values: [String: String]

  /// Validates `params` for `type` and resolves defaults. Throws UNKNOWN with the first problem.
  public static func make(name: String, type typeName: String, host: String, address: String? = nil,
                          params: [String: String]) throws(CheckFailure) -> ServiceSpec {
    guard let type = CheckType(rawValue: typeName) else {
      throw CheckFailure(.unknown, "unknown type '\(typeName)' (expected one of: "
        + CheckType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
    }
    for key in params.keys.sorted() where key != "type" && !type.keys.contains(key) {
      throw CheckFailure(.unknown, "unknown key '\(key)' for type '\(typeName)'")
    }
    for key in type.required where params[key] == nil {
      throw CheckFailure(.unknown, "missing required key '\(key)' for type '\(typeName)'")
    }
    var spec = ServiceSpec(name: name, type: type, host: host, address: address ?? host, values: params)
    // Touch every typed value once so that a bad one is a usage error before any traffic.
    for key in ["ssl", "ignore_invalid_ssl", "accept_redirection"] where params[key] != nil {
      _ = try spec.boolean(key)
    }
    for key in ["port", "expire_before_days", "seconds"] where params[key] != nil {
      _ = try spec.integer(key)
    }
    if let p = params["port"], let n = Int(p), !(1...65535).contains(n) {
      throw CheckFailure(.unknown, "invalid value '\(p)' for 'port' (expected 1-65535)")
    }
    if type.keys.contains("ssl") == false { spec.values["ssl"] = nil }
    return spec
  }

  public func string(_ key: String) -> String? {
    guard let v = values[key], !v.isEmpty else { return nil }
    return v
  }

  public func integer(_ key: String) throws(CheckFailure) -> Int? {
    guard let v = values[key] else { return nil }
    guard let n = Int(v), n >= 0 else {
      throw CheckFailure(.unknown, "invalid value '\(v)' for '\(key)' (expected a number)")
    }
    return n
  }

  public func boolean(_ key: String) throws(CheckFailure) -> Bool? {
    guard let v = values[key] else { return nil }
    switch v.lowercased() {
    case "true", "yes", "on", "1": return true
    case "false", "no", "off", "0": return false
    default: throw CheckFailure(.unknown, "invalid value '\(v)' for '\(key)' (expected true or false)")
    }
  }

  public var ssl: Bool { (try? boolean("ssl")) ?? false }

  public var port: Int {
    if let p = try? integer("port") { return p }
    guard let (plain, secure) = type.defaultPorts else { return 0 }
    return ssl ? secure : plain
  }

  /// The name the certificate must match: ssl_hostname, else the host's name.
  public var sslHostname: String { string("ssl_hostname") ?? host }
}
