/// Checks one fragment against the schema and resolves its services.
public struct FragmentValidator: Sendable {
  /// The monitored host's FQDN, for defaults such as `hostname`; nil leaves them unset.
  public let hostName: String?

  public init(hostName: String? = nil) {
    self.hostName = hostName
  }

  public func validate(_ file: SourceFile) -> FragmentReport {
    let (fragment, syntaxDiagnostics) = FragmentParser().parse(file)
    var diagnostics = syntaxDiagnostics
    var services: [ServiceDefinition] = []
    if fragment.sections.isEmpty && !syntaxDiagnostics.contains(where: { $0.rule == .syntaxError }) {
      diagnostics.append(Diagnostic(rule: .emptyFragment, in: file, at: nil, message: "no [service] section: nothing will be monitored"))
    }
    var firstSections = FirstOccurrences<Section>()
    for section in fragment.sections {
      if section.hasValidName, let earlier = firstSections.earlier(section.name, else: section) {
        let line = file.location(of: earlier.nameRange.start).line
        diagnostics.append(Diagnostic(
          rule: .duplicateSection, in: file, at: section.nameRange,
          message: "service '\(section.name)' is already defined on line \(line)", help: "merge the sections or rename one"))
        continue
      }
      var checker = SectionChecker(file: file, section: section, hostName: hostName)
      let definition = checker.check()
      diagnostics += checker.diagnostics
      if let definition, section.hasValidName { services.append(definition) }
    }
    let headers = fragment.sections.map { SectionHeader(name: $0.name, nameRange: $0.nameRange, hasValidName: $0.hasValidName) }
    return FragmentReport(file: file, sections: headers, services: services, diagnostics: diagnostics.sortedByPosition())
  }
}

/// What validating one file found: the services that passed and the diagnostics, in file order.
public struct FragmentReport: Sendable {
  public let file: SourceFile
  /// The sections' names, for checks across files; their entries are not kept.
  public let sections: [SectionHeader]
  public var services: [ServiceDefinition]
  public var diagnostics: [Diagnostic]
}

/// Validation of one section; collects diagnostics and builds the definition when it is clean.
private struct SectionChecker {
  let file: SourceFile
  let section: Section
  let hostName: String?
  var diagnostics: [Diagnostic] = []
  private var failed = false

  init(file: SourceFile, section: Section, hostName: String?) {
    self.file = file
    self.section = section
    self.hostName = hostName
  }

  mutating func check() -> ServiceDefinition? {
    let entries = uniqueEntries()
    guard let typeEntry = entries.first(where: { $0.key == "type" }) else {
      // A section whose name is already an error needs no second one for its missing type.
      guard section.hasValidName else { return nil }
      report(.missingType, section.nameRange, "service '\(section.name)' has no 'type'",
             help: "add a line such as 'type = http'")
      return nil
    }
    guard let type = ServiceType(rawValue: typeEntry.value) else {
      let message = typeEntry.value.isEmpty ? "empty type" : "unknown type '\(shortened(typeEntry.value))'"
      let known = ServiceType.allCases.map(\.rawValue)
      report(.unknownType, typeEntry.valueRange, message,
             help: Suggestion.help(for: typeEntry.value, in: known) ?? "expected one of: \(known.joined(separator: ", "))")
      return nil
    }
    let schema = type.schema
    var values = [Value?](repeating: nil, count: schema.keys.count)
    var given = KeySet()
    var explicit: [ServiceDefinition.Parameter] = []
    for entry in entries where entry.key != "type" {
      guard let index = keyIndex(entry, schema) else { continue }
      explicit.append(ServiceDefinition.Parameter(key: entry.key, value: entry.value))
      given.insert(index)
      values[index] = checkedValue(entry, schema.keys[index])
    }
    for index in schema.keys.indices where !given.contains(index) && schema.keys[index].isRequired {
      let spec = schema.keys[index]
      report(.missingRequiredKey, section.nameRange, "type '\(type.rawValue)' needs '\(spec.name)' (\(spec.summary))",
             help: "add '\(spec.name) = ...'")
    }
    checkCombinations(entries, schema: schema, given: given, values: values)
    guard !failed else { return nil }
    resolveDefaults(schema, into: &values)
    return ServiceDefinition(name: section.name, type: type, source: file.path, resolved: values, explicit: explicit)
  }

  /// The entries with later duplicates of a key reported and dropped. Sections rarely have a
  /// duplicate, so that case returns the entries as they are, without building anything.
  private mutating func uniqueEntries() -> [Entry] {
    let entries = section.entries
    let hasDuplicate = entries.count > FirstOccurrences<Entry>.linearLimit
      || entries.indices.contains { index in entries[..<index].contains { $0.key == entries[index].key } }
    guard hasDuplicate else { return entries }
    var unique: [Entry] = []
    var firstEntries = FirstOccurrences<Entry>()
    for entry in entries {
      if let first = firstEntries.earlier(entry.key, else: entry) {
        let line = file.location(of: first.keyRange.start).line
        report(.duplicateKey, entry.keyRange, "'\(entry.key)' is already set on line \(line)", help: "remove one of the two lines")
        continue
      }
      unique.append(entry)
    }
    return unique
  }

  private mutating func keyIndex(_ entry: Entry, _ schema: ServiceTypeSchema) -> Int? {
    if let index = schema.keyIndex(entry.key) { return index }
    if ServiceTypeSchema.sslKeyNames.contains(entry.key) {
      report(.sslNotSupported, entry.keyRange, "type '\(schema.type.rawValue)' cannot be checked over SSL/TLS ('\(entry.key)')",
             help: "remove '\(entry.key)'; SSL/TLS works with http, tcp, smtp, imap, pop3 and ldap")
      return nil
    }
    let names = schema.keys.map(\.name)
    if entry.key == ServiceTypeSchema.starttlsKey.name {
      let capable = ServiceType.allCases.filter { $0.schema.isSTARTTLSCapable }.map(\.rawValue).joined(separator: ", ")
      let instead = schema.isSSLCapable ? "; for TLS from the first byte use 'ssl = true'" : ""
      report(.unknownKey, entry.keyRange, "unknown key 'starttls' for type '\(schema.type.rawValue)'",
             help: "STARTTLS exists only for \(capable)\(instead)")
      return nil
    }
    report(.unknownKey, entry.keyRange, "unknown key '\(shortened(entry.key))' for type '\(schema.type.rawValue)'",
           help: Suggestion.help(for: entry.key, in: names) ?? "expected one of: \(names.joined(separator: ", "))")
    return nil
  }

  private mutating func checkedValue(_ entry: Entry, _ spec: KeySpec) -> Value? {
    let quoted = isQuoted(entry.value)
    if quoted {
      report(.quotedValue, entry.valueRange, "the value of '\(entry.key)' is in quotes, which become part of it",
             help: "remove the quotes unless they belong to the value")
    }
    guard let value = spec.kind.parse(entry.value) else {
      let what = entry.value.isEmpty ? "empty value for '\(entry.key)'" : "invalid value '\(shortened(entry.value))' for '\(entry.key)'"
      let unquotedFits = quoted && spec.kind.parse(String(entry.value.dropFirst().dropLast())) != nil
      report(.invalidValue, entry.valueRange, what, help: unquotedFits ? "remove the quotes" : "expected \(spec.kind.expectation)")
      return nil
    }
    return value
  }

  private mutating func checkCombinations(_ entries: [Entry], schema: ServiceTypeSchema, given: KeySet, values: [Value?]) {
    if schema.isSSLCapable, let ssl = schema.keyIndex("ssl") {
      let starttls = schema.keyIndex("starttls")
      // A value that did not parse is already an error of its own: no second finding from it.
      let unparsed = [ssl, starttls].contains { $0.map { given.contains($0) && values[$0] == nil } ?? false }
      let sslOn = values[ssl] == .boolean(true)
      let starttlsOn = starttls.map { values[$0] == .boolean(true) } ?? false
      if sslOn && starttlsOn, let later = entries.last(where: { $0.key == "ssl" || $0.key == "starttls" }) {
        let port = schema.key("port").flatMap { spec -> (Int, Int)? in
          if case let .port(plain, tls) = spec.defaultValue { return (plain, tls) } else { return nil }
        }
        let ports = port.map { " (port \($0.0) by default)" } ?? ""
        let tlsPort = port.map { " (port \($0.1))" } ?? ""
        report(.sslWithSTARTTLS, later.keyRange, "'ssl' and 'starttls' cannot both be on",
               help: "did you mean 'starttls = true' alone, TLS switched on inside the protocol on the plain port\(ports)? "
                 + "'ssl = true' alone means TLS from the first byte\(tlsPort)")
      }
      if !unparsed, !sslOn, !starttlsOn {
        let (off, add) = starttls == nil ? ("ssl is off", "'ssl = true' or") : ("ssl and starttls are off", "'ssl = true' or 'starttls = true', or")
        for entry in entries where ServiceTypeSchema.sslOptions.contains(entry.key) {
          report(.sslOptionWithoutSSL, entry.keyRange, "'\(entry.key)' has no effect while \(off)", help: "add \(add) remove it")
        }
      }
    }
    guard let user = schema.keyIndex("username"), let password = schema.keyIndex("password") else { return }
    let (hasUser, hasPassword) = (given.contains(user), given.contains(password))
    if hasUser != hasPassword, let present = entries.first(where: { $0.key == (hasUser ? "username" : "password") }) {
      report(.incompleteCredentials, present.keyRange,
             "'\(present.key)' is set without '\(hasUser ? "password" : "username")'", help: "set both, or neither")
    }
    // Token mails can only be collected after a login.
    if !hasUser, !hasPassword, let flow = entries.first(where: { $0.key == "mailflowid" }) {
      report(.incompleteCredentials, flow.keyRange, "'mailflowid' is set without 'username' and 'password'",
             help: "the check must log in to collect the mail flow's tokens")
    }
  }

  private func resolveDefaults(_ schema: ServiceTypeSchema, into values: inout [Value?]) {
    let ssl = schema.keyIndex("ssl").map { values[$0] == .boolean(true) } ?? false
    for index in schema.keys.indices where values[index] == nil {
      switch schema.keys[index].defaultValue {
      case .none: break
      case let .value(value): values[index] = value
      case let .port(plain, tls): values[index] = .integer(ssl ? tls : plain)
      case .hostName: if let hostName { values[index] = .string(hostName) }
      }
    }
  }

  /// Long values are cut in messages; the caret under the source line shows all of it.
  private func shortened(_ text: String) -> String {
    text.count <= 40 ? text : text.prefix(37) + "..."
  }

  private func isQuoted(_ value: String) -> Bool {
    let bytes = value.utf8
    guard bytes.count >= 2, let first = bytes.first, first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else { return false }
    return bytes.last == first
  }

  private mutating func report(_ rule: Rule, _ range: SourceRange, _ message: String, help: String? = nil) {
    if rule.severity == .error { failed = true }
    diagnostics.append(Diagnostic(rule: rule, in: file, at: range, message: message, help: help))
  }
}

extension Array where Element == Diagnostic {
  /// File order; whole-file findings first; equal positions keep their order.
  func sortedByPosition() -> [Diagnostic] {
    enumerated().sorted { left, right in
      let (a, b) = (left.element.range?.start ?? -1, right.element.range?.start ?? -1)
      return a != b ? a < b : left.offset < right.offset
    }.map(\.element)
  }
}

/// Which keys of a type a section set, by their index in the schema (a type has few keys).
struct KeySet {
  private var bits: UInt64 = 0
  mutating func insert(_ index: Int) { bits |= 1 << UInt64(index) }
  func contains(_ index: Int) -> Bool { bits & (1 << UInt64(index)) != 0 }
}
