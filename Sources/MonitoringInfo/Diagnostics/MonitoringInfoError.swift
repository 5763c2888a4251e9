/// The tool could not do its job (as opposed to a `Diagnostic`, a problem in the input).
public enum MonitoringInfoError: Error, CustomStringConvertible, Equatable {
  case unreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case let .unreadable(path, reason): singleLine("cannot read '\(path)': \(reason)")
    }
  }
}
