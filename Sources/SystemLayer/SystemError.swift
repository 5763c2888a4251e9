#if canImport(Glibc)
import Glibc
#endif

/// The text of an errno value (the current one by default), as strerror(3) gives it.
public func errnoText(_ code: Int32 = errno) -> String {
  guard let text = strerror(code) else { return "error \(code)" }
  return String(cString: text)
}

/// A system call that failed: what was done, to which path, and errno's text.
public struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
  public let operation: String
  public let path: String
  public let code: Int32

  public init(_ operation: String, _ path: String, code: Int32 = errno) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  /// "cannot rename /a to /b: No space left on device".
  public var description: String { "cannot \(operation) \(path): \(errnoText(code))" }
}
