// The outcome of one check and its rendering in the Nagios plugin format.

/// Nagios plugin states with their exit codes.
public enum CheckStatus: Int32, Sendable, Comparable, CustomStringConvertible {
  case ok = 0, warning = 1, critical = 2, unknown = 3

  public var description: String {
    switch self {
    case .ok: "OK"
    case .warning: "WARNING"
    case .critical: "CRITICAL"
    case .unknown: "UNKNOWN"
    }
  }

  /// Severity order for combining partial verdicts: OK < WARNING < UNKNOWN < CRITICAL.
  var severity: Int {
    switch self {
    case .ok: 0
    case .warning: 1
    case .unknown: 2
    case .critical: 3
    }
  }

  public static func < (a: CheckStatus, b: CheckStatus) -> Bool { a.severity < b.severity }
}

/// One perfdata item: `label=value[uom];warn;crit;min;max`.
public struct Perfdata: Sendable, Equatable {
  public var label: String
  public var value: String
  public var unit: String
  public var warning: String
  public var critical: String
  public var minimum: String

  public init(_ label: String, _ value: String, unit: String = "", warning: String = "",
              critical: String = "", minimum: String = "") {
    self.label = label; self.value = value; self.unit = unit
    self.warning = warning; self.critical = critical; self.minimum = minimum
  }

  public static func seconds(_ label: String, _ value: Double) -> Perfdata {
    Perfdata(label, Decimal.format(value, digits: 6), unit: "s", minimum: "0")
  }

  public var rendered: String {
    var s = "\(label)=\(value)\(unit)"
    if warning.isEmpty && critical.isEmpty && minimum.isEmpty { return s }
    s += ";\(warning);\(critical);\(minimum)"
    return s
  }
}

/// What a check found. Messages never carry secrets (passwords stay inside the checks).
public struct CheckResult: Sendable {
  public var status: CheckStatus
  public var message: String
  public var perfdata: [Perfdata]

  public init(_ status: CheckStatus, _ message: String, perfdata: [Perfdata] = []) {
    self.status = status; self.message = message; self.perfdata = perfdata
  }

  /// `LABEL STATUS - message | perfdata`, one line. The message goes through `OutputText`:
  /// it carries text from the monitored host, which must not shape the output.
  public func rendered(label: String, secrets: [String] = []) -> String {
    var line = "\(label) \(status) - \(OutputText.sanitized(message, masking: secrets))"
    if !perfdata.isEmpty {
      line += " | " + perfdata.map(\.rendered).joined(separator: " ")
    }
    return line
  }
}

/// A failure that ends a check early with a given status.
public struct CheckFailure: Error, Sendable, CustomStringConvertible {
  public var status: CheckStatus
  public var message: String
  public init(_ status: CheckStatus, _ message: String) { self.status = status; self.message = message }
  public var description: String { message }
}

/// Fixed-point formatting without Foundation's formatters (they cost milliseconds at start-up).
enum Decimal {
  static func format(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let negative = value < 0
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9.0e18 else { return String(value) }
    let whole = UInt64(scaled)
    let integer = whole / UInt64(scale)
    var fraction = String(whole % UInt64(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return (negative ? "-" : "") + String(integer) + (digits > 0 ? "." + fraction : "")
  }
}
