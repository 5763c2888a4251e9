/// A double-quoted string with `\` and `"` escaped by a backslash: the quoted strings of IMAP
/// (RFC 3501) and of curl's configuration files alike.
public func backslashQuoted(_ text: String) -> String {
  var output = "\""
  for character in text {
    if character == "\\" || character == "\"" { output.append("\\") }
    output.append(character)
  }
  return output + "\""
}
