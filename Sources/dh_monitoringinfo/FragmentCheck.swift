import MonitoringInfo

/// The one place where dh_monitoringinfo asks the format library about a fragment.
struct FragmentOutcome {
  /// GNU-style descriptions: "path:line:col: message (help)".
  var errors: [String] = []
  var warnings: [String] = []
  var notes: [String] = []
  /// Some service carries a password: the installed file must not be world-readable.
  var holdsCredentials = false
}

enum FragmentCheck {
  /// Validates one fragment on its own (packages of one source may conflict with each other
  /// and legitimately define the same service, so no cross-file check here).
  static func check(path: String, bytes: [UInt8]) -> FragmentOutcome {
    let report = FragmentValidator(hostName: nil).validate(SourceFile(path: path, bytes: bytes))
    var outcome = FragmentOutcome()
    for diagnostic in report.diagnostics {
      switch diagnostic.severity {
      case .error: outcome.errors.append(diagnostic.gnuDescription)
      case .warning: outcome.warnings.append(diagnostic.gnuDescription)
      default: outcome.notes.append(diagnostic.gnuDescription)
      }
    }
    // A password is never empty once validated, and has no default.
    outcome.holdsCredentials = report.services.contains { $0.string("password") != nil }
    return outcome
  }
}
