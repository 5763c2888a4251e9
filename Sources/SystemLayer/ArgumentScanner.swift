/// The one small command-line scanner of the programs that parse by hand because they start
/// often (the plugin, the client run by dpkg, the sshd forced command and key lookup, the
/// administrator's command): it splits `--name=value`, hands out option values and positional
/// words in order, and leaves what each option means to the program.
public struct ArgumentScanner {
  public enum Item: Equatable {
    /// `-x`, `--name`, or `--name=value` (then `inline` is the value).
    case option(String, inline: String?)
    /// Anything that does not start with `-` (and everything after `--`).
    case word(String)
  }

  /// A usage error: the text says what is wrong.
  public struct UsageError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
  }

  let arguments: [String]
  var index = 0
  var onlyWords = false
  /// The inline value of the option just returned, until its value is taken.
  var pendingInline: String?

  public init(_ arguments: [String]) { self.arguments = arguments }

  public mutating func next() -> Item? {
    pendingInline = nil
    guard index < arguments.count else { return nil }
    let argument = arguments[index]
    index += 1
    if onlyWords || !argument.hasPrefix("-") || argument == "-" { return .word(argument) }
    if argument == "--" {
      onlyWords = true
      return next()
    }
    if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
      pendingInline = String(argument[argument.index(after: equals)...])
      return .option(String(argument[..<equals]), inline: pendingInline)
    }
    return .option(argument, inline: nil)
  }

  /// The value of `option`: its `=value`, or the next argument.
  public mutating func value(of option: String) throws(UsageError) -> String {
    if let inline = pendingInline {
      pendingInline = nil
      return inline
    }
    guard index < arguments.count else { throw UsageError("\(option) needs a value") }
    index += 1
    return arguments[index - 1]
  }
}
