import MonitoringInfo

/// The one place where dh_monitoringinfo asks the format library about a fragment.
struct FragmentOutcome {
  /// The validated fragment, kept for the duplicate-service check across fragments.
  var report: FragmentReport
  /// GNU-style descriptions: "path:line:col: message (help)".
  var errors: [String] = []
  var warnings: [String] = []
  var notes: [String] = []
  /// Some service carries a password: the installed file must not be world-readable.
  var holdsCredentials = false
}

enum FragmentCheck {
  /// Validates one fragment on its own; services defined twice across fragments are
  /// `duplicates` below.
  static func check(path: String, bytes: [UInt8]) -> FragmentOutcome {
    let report = FragmentValidator(hostName: nil).validate(SourceFile(path: path, bytes: bytes))
    var outcome = FragmentOutcome(report: report)
    for diagnostic in report.diagnostics {
      switch diagnostic.severity {
      case .error: outcome.errors.append(diagnostic.gnuDescription)
      case .warning: outcome.warnings.append(diagnostic.gnuDescription)
      default: outcome.notes.append(diagnostic.gnuDescription)
      }
    }
    outcome.holdsCredentials = PackageFacts.setsPassword(report.file)
    return outcome
  }

  /// One fragment of the set being built: the package that ships it, and whether this run
  /// installs it (the others are already in a package's build directory).
  struct Member {
    var package: String
    var report: FragmentReport
    var isNew: Bool
  }

  /// Services defined twice in the set being built. Within one package (two `--name`
  /// fragments) the package cannot be installed as it is: errors. Across binary packages of
  /// the source only a warning, since they may conflict and never be installed together.
  /// Reported only when this run installs one of the two files.
  static func duplicates(_ members: [Member]) -> (errors: [String], warnings: [String]) {
    var errors: [String] = []
    var packages: [String] = []
    for member in members where !packages.contains(member.package) { packages.append(member.package) }
    for package in packages {
      let group = members.filter { $0.package == package }
      for duplicate in Linter.duplicateServices(in: group.map(\.report))
      where group[duplicate.file].isNew || group[duplicate.firstFile].isNew {
        errors.append(duplicate.diagnostic.gnuDescription)
      }
    }
    var warnings: [String] = []
    guard packages.count > 1 else { return (errors, warnings) }
    for duplicate in Linter.duplicateServices(in: members.map(\.report)) {
      let (first, later) = (members[duplicate.firstFile], members[duplicate.file])
      guard first.package != later.package, first.isNew || later.isNew else { continue }
      warnings.append(
        "\(duplicate.diagnostic.gnuDescription); \(first.package) and \(later.package) clash if installed together")
    }
    return (errors, warnings)
  }
}
