#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process environment without Foundation.
public enum Environment {
  public static func get(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }
  /// Reads the process environment into a dictionary (used once at start).
  public static func current() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let string = String(cString: entry)
      if let eq = string.firstIndex(of: "=") {
        result[String(string[..<eq])] = String(string[string.index(after: eq)...])
      }
      pointer += 1
    }
    return result
  }
}
