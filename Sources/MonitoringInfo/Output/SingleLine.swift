/// Folds tabs, line breaks and other control characters (C0, DEL, C1) to spaces, so one
/// finding stays one line. Every piece of foreign text (a path, a key or value quoted in a
/// message) passes through here before it is printed in a line-based format: a file name with
/// a newline must not forge a line of its own, an ESC must not reach the terminal.
func singleLine(_ text: String) -> String {
  guard text.unicodeScalars.contains(where: isControl) else { return text }
  return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
  scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
