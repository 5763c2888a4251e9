/// How bad a finding is, in lintian's terms: error = broken, warning = probably wrong,
/// info = advice.
public enum Severity: String, Sendable, CaseIterable, Comparable {
  case info, warning, error

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  /// The letter lintian prints in front of a hint.
  public var lintianCode: String {
    switch self {
    case .info: "I"
    case .warning: "W"
    case .error: "E"
    }
  }
}
