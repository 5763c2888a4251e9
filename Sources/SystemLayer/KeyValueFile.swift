/// The `key = value` files of the project (`client.conf`, `server.conf`) and Nagios' own
/// `nagios.cfg`, read one way:
///
/// - one `key = value` per line; white space around `=` and at the ends is not part of either;
/// - a line whose first non-blank character is `#` or `;` is a comment, and so is a blank line;
///   there are no comments after a value (`#` and `;` inside a value are part of it);
/// - quotes are part of the value (nothing is unquoted);
/// - a key may appear more than once: the caller sees every line, in order (the last one wins
///   for a single value, and `exclude` adds up);
/// - what keys exist, and what an unknown one means, is the caller's to say.
public enum KeyValueFile {
  public struct Entry: Sendable, Equatable {
    public var key: String
    public var value: String
    /// 1-based.
    public var line: Int
  }

  /// A line that is neither a comment nor `key = value`.
  public struct SyntaxError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var text: String
    public var description: String { "\(path):\(line): expected 'key = value', found '\(text)'" }
  }

  /// Every entry of `text`. With `skippingOtherLines` a line without `=` is passed over instead
  /// of being an error (nagios.cfg, which is not ours to judge).
  public static func parse(_ text: String, path: String, skippingOtherLines: Bool = false) throws(SyntaxError) -> [Entry] {
    var entries: [Entry] = []
    var number = 0
    // "\r\n" is one Character: split on both, or a CRLF file would be one long line.
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      number += 1
      let line = raw.trimmingWhitespace
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      guard let equals = line.firstIndex(of: "=") else {
        if skippingOtherLines { continue }
        throw SyntaxError(path: path, line: number, text: String(line.prefix(200)))
      }
      entries.append(Entry(key: line[..<equals].trimmingWhitespace, value: line[line.index(after: equals)...].trimmingWhitespace, line: number))
    }
    return entries
  }
}
