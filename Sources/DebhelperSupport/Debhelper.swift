import MonitoringInfo

/// What Dh_Lib's `init` computes: options, the packages to act on, and the lookups
/// (pkgfile, tmpdir, architecture) that depend on them.
public struct Debhelper: Sendable {
  public let toolName: String
  public let toolVersion: String
  /// The source tree root (the directory holding debian/); "." in a real run.
  public let root: String
  public let control: ControlFile
  public let environment: [String: String]
  public var options = DebhelperOptions()
  /// The packages to act on, in debhelper's order.
  public var packages: [String] = []
  public var mainPackage: String = ""
  /// Warnings collected during option parsing (printed by the caller unless quiet).
  public var warnings: [String] = []
  /// Set when debhelper would print a warning and exit 0 without acting.
  public var nothingToDo = false

  let compat: Int
  let archTable: ArchitectureTableBox
  /// The native architecture (`dpkg --print-architecture`), asked only when needed.
  let hostArchitecture: LazyValue

  /// Parses everything like `init()`. Throws `DebhelperError` where debhelper calls `error()`.
  public init(
    toolName: String, toolVersion: String, arguments: [String], environment: [String: String],
    root: String = "."
  ) throws(DebhelperError) {
    self.toolName = toolName
    self.toolVersion = toolVersion
    self.root = root
    self.environment = environment
    self.control = try ControlFile.read(path: root + "/debian/control")
    self.compat = control.compatLevel(compatFile: root + "/debian/compat") ?? 13
    self.archTable = ArchitectureTableBox()
    self.hostArchitecture = LazyValue { captureOutput(["dpkg", "--print-architecture"]) ?? "" }
    try parse(arguments)
  }

  // MARK: - Architecture

  /// `dpkg_architecture_value`: the environment first, then dpkg.
  public func architectureValue(_ variable: String) -> String {
    if let v = environment[variable], !v.isEmpty { return v }
    switch variable {
    case "DEB_HOST_ARCH", "DEB_BUILD_ARCH": return hostArchitecture.value
    // Like dpkg-architecture: without DEB_TARGET_ARCH in the environment the target is the
    // native architecture, whatever DEB_HOST_ARCH says.
    case "DEB_TARGET_ARCH": return hostArchitecture.value
    case "DEB_HOST_ARCH_OS", "DEB_BUILD_ARCH_OS":
      return archTable.table.os(of: architectureValue(String(variable.dropLast(3)))) ?? ""
    case "DEB_TARGET_ARCH_OS":
      return archTable.table.os(of: architectureValue("DEB_TARGET_ARCH")) ?? ""
    default: return ""
    }
  }

  // MARK: - Packages (getpackages)

  public enum PackageType { case arch, indep, both, all }

  public func packages(_ type: PackageType) -> [String] {
    if type == .all { return control.packages.map(\.name) }
    let profiles = Set(
      (environment["DEB_BUILD_PROFILES"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        .map(String.init))
    var result: [String] = []
    var targetArch: String?
    for package in control.packages {
      if let field = package.buildProfiles {
        let formula = BuildProfiles.parse(field)
        if !formula.isEmpty && !BuildProfiles.evaluate(formula, active: profiles) { continue }
      }
      if package.architecture == "all" {
        if type == .indep || type == .both { result.append(package.name) }
        continue
      }
      guard type == .arch || type == .both else { continue }
      var included = package.architecture == "any"
      if !included {
        var desired = architectureValue("DEB_HOST_ARCH")
        if package.crossType == "target" {
          if targetArch == nil { targetArch = architectureValue("DEB_TARGET_ARCH") }
          desired = targetArch!
        }
        included = archTable.table.matchesAny(desired, list: package.architecture)
      }
      if included { result.append(package.name) }
    }
    return result
  }

  public func isArchAll(_ package: String) -> Bool {
    control.packages.first { $0.name == package }?.architecture == "all"
  }

  // MARK: - Option parsing (Dh_Getopt::parseopts + Dh_Lib::init)

  mutating func parse(_ argv: [String]) throws(DebhelperError) {
    var state = SelectionState()
    let abbreviations = compat <= 12

    if let internalOptions = environment["DH_INTERNAL_OPTIONS"] {
      let fields = internalOptions.split(separator: "\u{1e}", omittingEmptySubsequences: false).map(String.init)
      let parsed = getopt(fields.filter { !$0.isEmpty }, abbreviations: abbreviations)
      _ = try apply(parsed, &state)
      if state.sawPackages {
        for package in packages(.all) where !state.doPackages.contains(package) {
          state.excluded.insert(package)
          state.internalExcluded.insert(package)
        }
      }
      state.doPackages = []
      state.sawPackages = false
      state.doIndep = false
      state.doArch = false
    }
    if let dhOptions = environment["DH_OPTIONS"] {
      let fields = dhOptions.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
      let parsed = getopt(fields, abbreviations: abbreviations)
      let accepted = try apply(parsed, &state)
      if !parsed.ok || !accepted { warnings.append("ignored unknown options in DH_OPTIONS") }
    }
    let parsed = getopt(argv, abbreviations: abbreviations)
    let accepted = try apply(parsed, &state)
    if !parsed.ok || !accepted {
      for name in parsed.unknown { StandardStream.error("Unknown option: \(name)\n") }
      throw .message("unknown option or error during option parsing; aborting")
    }
    options.uParams += parsed.afterDoubleDash

    if state.doPackages.isEmpty {
      if state.profileExcluded {
        warnings.append(
          "All requested packages have been excluded (e.g. via a Build-Profile or due to architecture restrictions).")
        nothingToDo = true
      }
      if state.doIndep || state.doArch {
        warnings.append("You asked that all arch in(dep) packages be built, but there are none of that type.")
        nothingToDo = true
      }
      if nothingToDo { return }
      state.doPackages = packages(.both)
    }

    var seen: Set<String> = []
    var list: [String] = []
    for package in state.doPackages {
      if options.excludeLogged && loggedTools(package).contains(toolName) { state.excluded.insert(package) }
      if !state.excluded.contains(package) && seen.insert(package).inserted { list.append(package) }
    }
    if list.isEmpty {
      if !state.explicitlyRequested.isEmpty {
        let enabled = Set(packages(.both))
        let remaining = state.explicitlyRequested.filter {
          !state.internalExcluded.contains($0) && enabled.contains($0)
        }
        if remaining.isEmpty {
          warnings.append(
            "All requested packages have been excluded (e.g. via a Build-Profile or due to architecture restrictions).")
          nothingToDo = true
          return
        }
      }
      let archs = Set(control.packages.map(\.architecture)).sorted().joined(separator: " ")
      warnings.append(
        "No packages to build. Possible architecture mismatch: \(architectureValue("DEB_HOST_ARCH")), want: \(archs)")
      nothingToDo = true
      return
    }
    packages = list

    if let v = environment["DH_VERBOSE"], !v.isEmpty {
      options.verbose = true
    } else if let v = environment["DH_QUIET"], !v.isEmpty {
      options.quiet = true
    } else if (environment["DEB_BUILD_OPTIONS"] ?? "").split(separator: " ").contains("terse") {
      options.quiet = true
    }
    if let v = environment["DH_NO_ACT"], !v.isEmpty { options.noAct = true }
    mainPackage = options.mainPackage ?? control.packages.first?.name ?? ""
    if options.tmpdir != nil && packages.count > 1 {
      throw .message(
        "-P was specified, but multiple packages would be acted on (\(packages.joined(separator: ","))).")
    }
  }

  struct SelectionState {
    var doPackages: [String] = []
    var sawPackages = false
    var doIndep = false
    var doArch = false
    var excluded: Set<String> = []
    var internalExcluded: Set<String> = []
    var explicitlyRequested: Set<String> = []
    var profileExcluded = false
  }

  /// Applies parsed options; false when an option's handler refused its value (an unknown
  /// package), which debhelper reports at once and then treats like an unknown option.
  mutating func apply(_ parsed: GetoptResult, _ state: inout SelectionState) throws(DebhelperError) -> Bool {
    var accepted = true
    var forwarded: [String] = []
    for option in parsed.options {
      let value = option.value ?? ""
      switch option.id {
      case "verbose": options.verbose = true
      case "no-act": options.noAct = true
      case "indep":
        state.doPackages += packages(.indep); state.doIndep = true; state.sawPackages = true
      case "same-arch" where compat >= 12:
        throw .message("-s/--same-arch has been removed; please use -a/--arch instead")
      case "arch", "same-arch":
        state.doPackages += packages(.arch); state.doArch = true; state.sawPackages = true
      case "package":
        guard isKnown(value, "-p/--package") else { accepted = false; continue }
        state.explicitlyRequested.insert(value)
        if packages(.both).contains(value) {
          state.doPackages.append(value)
          state.sawPackages = true
        } else {
          state.profileExcluded = true
        }
      case "no-package":
        guard isKnown(value, "-N/--no-package") else { accepted = false; continue }
        state.excluded.insert(value)
      case "remaining-packages": options.excludeLogged = true
      case "noscripts": options.noScripts = true
      case "onlyscripts": options.onlyScripts = true
      case "tmpdir": options.tmpdir = value
      case "mainpackage": options.mainPackage = value
      case "name": options.name = value
      case "u": options.uParams += value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      case "help":
        throw .message("usage: \(toolName) [debhelper options] [--name=NAME]; see \(toolName)(1)")
      case "O": forwarded.append(value)
      default: break  // -X, -d, -A, -V, --dbg-package, --error-handler: accepted, no effect here.
      }
    }
    options.arguments += parsed.nonOptions
    for option in forwarded {
      let test = getopt([option], abbreviations: compat <= 12)
      if test.ok { _ = try apply(test, &state) }
    }
    return accepted
  }

  /// `assert_opt_is_known_package`: its error() dies inside Getopt::Long's handler, so the
  /// message is printed at once and parsing goes on.
  func isKnown(_ package: String, _ method: String) -> Bool {
    let all = packages(.all)
    if all.contains(package) { return true }
    StandardStream.error(
      "\(toolName): error: Requested unknown package \(package) via \(method), expected one of: \(all.joined(separator: " "))\n")
    return false
  }

  func loggedTools(_ package: String) -> [String] {
    guard let bytes = try? FileSystem.readIfExists("\(root)/debian/\(package).debhelper.log") else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// Whether debhelper writes `debian/PKG.debhelper.log` after a successful run.
  public var writesLog: Bool {
    !options.noAct && (compat <= 9 || !(environment["DH_INTERNAL_OVERRIDE"] ?? "").isEmpty)
  }

  // MARK: - Files

  /// `tmpdir($package)`.
  public func tmpdir(_ package: String) -> String {
    options.tmpdir ?? "debian/\(package)"
  }

  /// `pkgfile($package, $filename)`, honouring --name like debhelper. Returns a path relative to root.
  public func pkgfile(_ package: String, _ filename: String, useName: Bool = true) -> String? {
    pkgfile(package, filename, name: useName ? options.name : nil)
  }

  /// `pkgfile` as a run with `--name=name` (nil: without --name) would look it up.
  public func pkgfile(_ package: String, _ filename: String, name prefix: String?) -> String? {
    let entries = FileSystem.listDirectory(root + "/debian")
    let needle = ".\(filename)."
    let checkExpensive = entries.contains { entry in
      !entry.hasPrefix(".") && !entry.hasSuffix(".debhelper") && entry.contains(needle)
    }
    let name = prefix.map { "\($0).\(filename)" } ?? filename
    var candidates: [String] = []
    if checkExpensive {
      let crossType = control.packages.first { $0.name == package }?.crossType == "target" ? "TARGET" : "HOST"
      candidates.append("debian/\(package).\(name).\(architectureValue("DEB_\(crossType)_ARCH"))")
      candidates.append("debian/\(package).\(name).\(architectureValue("DEB_\(crossType)_ARCH_OS"))")
    }
    candidates.append("debian/\(package).\(name)")
    if package == mainPackage { candidates.append("debian/\(name)") }
    return candidates.first { FileSystem.isRegularFile(root + "/" + $0) }
  }

  /// `pkgfilename($package)`.
  public func pkgfilename(_ package: String) -> String { options.name ?? package }
}

/// Reads dpkg's tables only when a wildcard needs them.
final class ArchitectureTableBox: @unchecked Sendable {
  lazy var table = ArchitectureTable()
}

final class LazyValue: @unchecked Sendable {
  private let compute: @Sendable () -> String
  private var cached: String?
  init(_ compute: @escaping @Sendable () -> String) { self.compute = compute }
  var value: String {
    if let cached { return cached }
    let v = compute()
    cached = v
    return v
  }
}
