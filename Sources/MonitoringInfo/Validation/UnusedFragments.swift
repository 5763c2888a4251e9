/// Maintainer's fragments in a source package's debian/ that debhelper's lookup never finds
/// (`monitoring-info-unused-fragment`). debhelper tries, for a package PKG,
/// debian/PKG.monitoring-info.ARCH, .OS, debian/PKG.monitoring-info and, for the first package
/// only, debian/monitoring-info; `--name=NAME` puts `NAME.monitoring-info` in place of
/// `monitoring-info`. A file fitting none of these for any package of debian/control is silently
/// left out of the build. Only names are looked at, never contents.
public enum UnusedFragments {
  static let stem = "monitoring-info"

  /// Findings for the files `entries` (names in `directory`). `packages` is every binary package
  /// of debian/control in its order, also those a build leaves out (they exist); `mainPackage`
  /// the one debian/monitoring-info is for (the first, or debhelper's --mainpackage); `names`
  /// the --name values in use, whose debian/NAME.monitoring-info the main package may read.
  public static func find(
    entries: [String], packages: [String], mainPackage: String, names: Set<String>, directory: String = "debian"
  ) -> [Diagnostic] {
    let known = Set(packages)
    let present = Set(entries)
    var diagnostics: [Diagnostic] = []
    for entry in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      guard let (prefix, suffix) = parse(entry) else { continue }
      let file = SourceFile(path: "\(directory)/\(entry)", bytes: [])
      let suffixText = suffix.map { ".\($0)" } ?? ""
      if prefix.isEmpty {
        if suffix != nil {
          diagnostics.append(Diagnostic(
            rule: .unusedFragment, in: file, at: nil,
            message: "never installed: debhelper reads debian/\(stem) only without a suffix",
            help: "for one architecture or OS, name it '\(directory)/\(mainPackage).\(stem)\(suffixText)'"))
        } else if present.contains("\(mainPackage).\(stem)") {
          diagnostics.append(Diagnostic(
            rule: .unusedFragment, in: file, at: nil,
            message: "never installed: \(directory)/\(mainPackage).\(stem), the first package's own file, takes precedence",
            help: "move its services there and remove this file"))
        }
        continue
      }
      // PKG, PKG.NAME (a --name fragment) or NAME (the main package's, for --name=NAME).
      if known.contains(prefix) || names.contains(prefix) || packages.contains(where: { prefix.hasPrefix($0 + ".") }) {
        continue
      }
      let help = suggestion(for: prefix, in: packages).map { "did you mean '\(directory)/\($0).\(stem)\(suffixText)'?" }
      diagnostics.append(Diagnostic(
        rule: .unusedFragment, in: file, at: nil,
        message: "never installed: debian/control has no binary package '\(prefix)', only \(packages.joined(separator: ", "))",
        help: help ?? "name it debian/PACKAGE.\(stem) after the package that runs the service"))
    }
    return diagnostics
  }

  /// `PREFIX.monitoring-info[.SUFFIX]` (the prefix empty for debian/monitoring-info), or nil
  /// for a file that is no fragment.
  static func parse(_ entry: String) -> (prefix: String, suffix: String?)? {
    guard !entry.hasPrefix(".") else { return nil }
    let parts = entry.split(separator: ".", omittingEmptySubsequences: false)
    guard let index = parts.lastIndex(of: Substring(stem)), index >= parts.count - 2 else { return nil }
    let suffix = index == parts.count - 2 ? String(parts[parts.count - 1]) : nil
    // debhelper's own generated files are never looked up.
    if suffix == "" || suffix == "debhelper" { return nil }
    return (parts[..<index].joined(separator: "."), suffix)
  }

  /// The close package name for a misspelt prefix, keeping a --name part: `mydeamon.extra`
  /// suggests `mydaemon.extra` (package names may hold dots too).
  static func suggestion(for prefix: String, in packages: [String]) -> String? {
    var candidates = packages
    for dot in prefix.indices where prefix[dot] == "." {
      candidates += packages.map { $0 + prefix[dot...] }
    }
    return Suggestion.closest(to: prefix, in: candidates)
  }

  /// The NAME of every `--name=NAME` and `--name NAME` in debian/rules.
  public static func names(inRules bytes: [UInt8]) -> Set<String> {
    var names: Set<String> = []
    var rest = String(decoding: bytes, as: UTF8.self)[...]
    while let found = rest.firstRange(of: "--name") {
      rest = rest[found.upperBound...]
      let value: Substring
      switch rest.first {
      case "=": value = rest.dropFirst()
      case " ", "\t": value = rest.drop { $0 == " " || $0 == "\t" }
      default: continue  // --names, --name-of-something
      }
      let name = value.prefix { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "+-._".contains($0) }
      if !name.isEmpty { names.insert(String(name)) }
    }
    return names
  }

  /// `monitoring-info-lint --binary-packages`: each of `directories` is a source package's
  /// debian/, whose fragment names are checked against `packages` (debian/control's order).
  public static func lint(debianDirectories directories: [String], packages: [String]) -> LintReport {
    var report = LintReport()
    for directory in directories {
      let entries: [String]
      do { entries = try FileReader.files(in: directory, withSuffix: "") } catch {
        report.failures.append(error)
        continue
      }
      let names = (try? FileReader.read(directory + "/rules")).map(names(inRules:)) ?? []
      let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
      report.nameDiagnostics += find(
        entries: entries, packages: packages, mainPackage: packages.first ?? "", names: names, directory: trimmed)
      report.namesChecked += entries.filter { parse($0) != nil }.count
    }
    return report
  }
}
