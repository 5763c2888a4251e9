/// The shared debhelper options (Debian::Debhelper::Dh_Getopt), parsed with the same
/// Getopt::Long rules: bundled short options, no case folding, `--long=value`, unknown
/// options in `-O` ignored silently, long abbreviations only up to compat 12.
public struct DebhelperOptions: Sendable {
  public var verbose = false
  public var quiet = false
  public var noAct = false
  public var noScripts = false
  public var onlyScripts = false
  public var tmpdir: String?
  public var name: String?
  public var mainPackage: String?
  public var excludeLogged = false
  public var arguments: [String] = []
  public var uParams: [String] = []
}

enum OptionKind { case flag, value, optionalValue }

struct OptionSpec {
  let id: String
  let kind: OptionKind
}

let optionTable: [String: OptionSpec] = {
  var table: [String: OptionSpec] = [:]
  func add(_ names: [String], _ id: String, _ kind: OptionKind) {
    for n in names { table[n] = OptionSpec(id: id, kind: kind) }
  }
  add(["v", "verbose"], "verbose", .flag)
  add(["no-act"], "no-act", .flag)
  add(["i", "indep"], "indep", .flag)
  add(["a", "arch"], "arch", .flag)
  add(["s", "same-arch"], "same-arch", .flag)
  add(["p", "package"], "package", .value)
  add(["N", "no-package"], "no-package", .value)
  add(["remaining-packages"], "remaining-packages", .flag)
  add(["dbg-package"], "dbg-package", .value)
  add(["n", "noscripts", "no-scripts"], "noscripts", .flag)
  add(["o", "onlyscripts", "only-scripts"], "onlyscripts", .flag)
  add(["X", "exclude"], "exclude", .value)
  add(["d"], "d", .flag)
  add(["P", "tmpdir"], "tmpdir", .value)
  add(["u"], "u", .value)
  add(["V"], "V", .optionalValue)
  add(["A", "all"], "all", .flag)
  add(["h", "help"], "help", .flag)
  add(["mainpackage"], "mainpackage", .value)
  add(["name"], "name", .value)
  add(["error-handler"], "error-handler", .value)
  add(["O"], "O", .value)
  return table
}()

/// One recognised option occurrence.
struct ParsedOption: Equatable {
  let id: String
  let value: String?
}

struct GetoptResult {
  var options: [ParsedOption] = []
  var nonOptions: [String] = []
  var afterDoubleDash: [String] = []
  var unknown: [String] = []
  var ok: Bool { unknown.isEmpty }
}

/// Getopt::Long with `bundling`, `no_ignore_case`, and auto_abbrev when `abbreviations`.
func getopt(_ args: [String], abbreviations: Bool) -> GetoptResult {
  var result = GetoptResult()
  var i = 0
  func lookupLong(_ name: String) -> (String, OptionSpec)? {
    if let spec = optionTable[name], name.count > 1 { return (name, spec) }
    guard abbreviations else { return nil }
    let candidates = optionTable.filter { $0.key.count > 1 && $0.key.hasPrefix(name) }
    let ids = Set(candidates.map { $0.value.id })
    if ids.count == 1, let first = candidates.first { return (first.key, first.value) }
    return nil
  }
  while i < args.count {
    let arg = args[i]
    i += 1
    if arg == "--" {
      result.afterDoubleDash.append(contentsOf: args[i...])
      break
    }
    if arg.hasPrefix("--") {
      let body = arg.dropFirst(2)
      let name: String, inlineValue: String?
      if let eq = body.firstIndex(of: "=") {
        name = String(body[..<eq]); inlineValue = String(body[body.index(after: eq)...])
      } else {
        name = String(body); inlineValue = nil
      }
      guard let (_, spec) = lookupLong(name) else { result.unknown.append(name); continue }
      switch spec.kind {
      case .flag:
        if inlineValue != nil { result.unknown.append(name); continue }
        result.options.append(ParsedOption(id: spec.id, value: nil))
      case .value:
        if let inlineValue {
          result.options.append(ParsedOption(id: spec.id, value: inlineValue))
        } else if i < args.count {
          result.options.append(ParsedOption(id: spec.id, value: args[i])); i += 1
        } else {
          result.unknown.append(name)
        }
      case .optionalValue:
        if let inlineValue {
          result.options.append(ParsedOption(id: spec.id, value: inlineValue))
        } else if i < args.count, !args[i].hasPrefix("-") {
          result.options.append(ParsedOption(id: spec.id, value: args[i])); i += 1
        } else {
          result.options.append(ParsedOption(id: spec.id, value: ""))
        }
      }
      continue
    }
    if arg.hasPrefix("-") && arg.count > 1 {
      var rest = Substring(arg.dropFirst())
      while let c = rest.first {
        rest = rest.dropFirst()
        guard let spec = optionTable[String(c)] else { result.unknown.append(String(c)); continue }
        switch spec.kind {
        case .flag:
          result.options.append(ParsedOption(id: spec.id, value: nil))
        case .value:
          if !rest.isEmpty {
            result.options.append(ParsedOption(id: spec.id, value: String(rest))); rest = ""
          } else if i < args.count {
            result.options.append(ParsedOption(id: spec.id, value: args[i])); i += 1
          } else {
            result.unknown.append(String(c))
          }
        case .optionalValue:
          if !rest.isEmpty {
            result.options.append(ParsedOption(id: spec.id, value: String(rest))); rest = ""
          } else if i < args.count, !args[i].hasPrefix("-") {
            result.options.append(ParsedOption(id: spec.id, value: args[i])); i += 1
          } else {
            result.options.append(ParsedOption(id: spec.id, value: ""))
          }
        }
      }
      continue
    }
    result.nonOptions.append(arg)
  }
  return result
}
