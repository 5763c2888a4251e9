/// A validated service with every default resolved: what the client registers and what the
/// plugin checks.
public struct ServiceDefinition: Sendable, Hashable {
  public let name: String
  public let type: ServiceType
  /// The file it came from (`apache2.conf`), as given in a registration.
  public let source: String
  /// One slot per key of `type.schema.keys`, in that order: arrays, not dictionaries, because
  /// hashing dominated the linter's time (bench/lint).
  let resolved: [Value?]
  /// The keys written explicitly, in file order, as written.
  let explicit: [Parameter]

  struct Parameter: Sendable, Hashable {
    let key: String
    let value: String
  }

  init(name: String, type: ServiceType, source: String, resolved: [Value?], explicit: [Parameter]) {
    self.name = name
    self.type = type
    self.source = source
    self.resolved = resolved
    self.explicit = explicit
  }

  /// Every key of the type that has a value, given or by default. Keys whose default is the
  /// host's name are absent when no host name was known.
  public var values: [String: Value] {
    var values: [String: Value] = [:]
    for (spec, value) in zip(type.schema.keys, resolved) where value != nil { values[spec.name] = value }
    return values
  }

  /// The keys that were written explicitly, as written (what a registration carries).
  public var explicitParameters: [String: String] {
    var parameters: [String: String] = [:]
    for parameter in explicit { parameters[parameter.key] = parameter.value }
    return parameters
  }

  public func value(_ key: String) -> Value? {
    guard let index = type.schema.keyIndex(key) else { return nil }
    return resolved[index]
  }

  public func string(_ key: String) -> String? {
    if case let .string(text)? = value(key) { return text }
    return nil
  }

  public func integer(_ key: String) -> Int? {
    if case let .integer(number)? = value(key) { return number }
    return nil
  }

  public func boolean(_ key: String) -> Bool? {
    if case let .boolean(flag)? = value(key) { return flag }
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
