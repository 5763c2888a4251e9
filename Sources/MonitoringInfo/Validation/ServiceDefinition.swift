/// A validated service with every default resolved: what the client registers and what the
/// plugin checks.
public struct ServiceDefinition: Sendable, Hashable {
  public let name: String
  public let type: ServiceType
  /// The file it came from (`apache2.conf`), as given in a registration.
  public let source: String
  /// Every key of the type that has a value, given or by default. Keys whose default is the
  /// host's name are absent when no host name was known.
  public let values: [String: Value]
  /// The keys that were written explicitly, as written (what a registration carries).
  public let explicitParameters: [String: String]

  public init(name: String, type: ServiceType, source: String, values: [String: Value], explicitParameters: [String: String]) {
    self.name = name
    self.type = type
    self.source = source
    self.values = values
    self.explicitParameters = explicitParameters
  }

  public func string(_ key: String) -> String? {
    if case let .string(text)? = values[key] { return text }
    return nil
  }

  public func integer(_ key: String) -> Int? {
    if case let .integer(number)? = values[key] { return number }
    return nil
  }

  public func boolean(_ key: String) -> Bool? {
    if case let .boolean(flag)? = values[key] { return flag }
    return nil
  }

  public var port: Int? { integer("port") }
  public var ssl: Bool { boolean("ssl") ?? false }

  /// Validates parameters that come from a registration rather than a file, with the same rules.
  /// Diagnostics point into a synthetic fragment made from the parameters (`source` as path).
  public static func validate(
    name: String, type: String, params: [String: String], source: String, hostName: String? = nil
  ) -> (definition: ServiceDefinition?, diagnostics: [Diagnostic]) {
    // Each parameter becomes one line of the synthetic fragment, so line breaks and odd key
    // names must not get that far: they could smuggle in further keys.
    let file = SourceFile(path: source, text: "")
    for (key, value) in params {
      if !key.utf8.allSatisfy({ isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "_") }) || key.isEmpty {
        return (nil, [Diagnostic(rule: .unknownKey, in: file, at: nil, message: "invalid key name '\(key)' in service '\(name)'")])
      }
      if value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
        return (nil, [Diagnostic(rule: .syntaxError, in: file, at: nil, message: "control character in the value of '\(key)' in service '\(name)'")])
      }
    }
    if (name + type).utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
      return (nil, [Diagnostic(rule: .syntaxError, in: file, at: nil, message: "control character in service name or type")])
    }
    var text = "[\(name)]\ntype = \(type)\n"
    for key in params.keys.sorted() where key != "type" {
      text += "\(key) = \(params[key]!)\n"
    }
    let report = FragmentValidator(hostName: hostName).validate(SourceFile(path: source, text: text))
    guard report.services.count == 1, report.diagnostics.allSatisfy({ $0.severity < .error }),
      report.services[0].name == name
    else { return (nil, report.diagnostics) }
    return (report.services[0], report.diagnostics)
  }
}
