/// A typed value of a service's key after validation.
public enum Value: Sendable, Hashable, CustomStringConvertible {
  case string(String)
  case integer(Int)
  case boolean(Bool)

  public var description: String {
    switch self {
    case let .string(text): text
    case let .integer(number): String(number)
    case let .boolean(flag): flag ? "true" : "false"
    }
  }
}
