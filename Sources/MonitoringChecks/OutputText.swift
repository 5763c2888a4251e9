// The one gate between foreign text and the plugin's output. Line 1 of a plugin's output is
// the status Nagios shows, everything after '|' is perfdata and a second line is long
// output, so nothing a monitored host sends may carry a line break, a '|' or a terminal
// escape into it. Works on Unicode scalars, not Characters: CR LF is one Character, and so
// is '|' followed by a combining mark.

enum OutputText {
  static let mask = "********"

  /// `text` with every secret masked and every unsafe scalar replaced by a space.
  static func sanitized(_ text: String, masking secrets: [String] = []) -> String {
    let secrets = secrets.filter { !$0.isEmpty }
    var masked = text
    for secret in secrets { masked = replacing(secret, in: masked) }
    var out = String.UnicodeScalarView()
    for scalar in masked.unicodeScalars { out.append(isSafe(scalar) ? scalar : " ") }
    var result = String(out)
    // A secret with a '|' or a control character in it reads differently once sanitized.
    for secret in secrets { result = replacing(sanitized(secret), in: result) }
    return result
  }

  /// Controls (C0, DEL, C1), the perfdata separator, Unicode line and paragraph separators,
  /// and the invisible format characters that reorder or hide text (bidi overrides).
  static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7f...0x9f, 0x7c: false  // 0x7c is '|'
    case 0x2028, 0x2029, 0x200b...0x200f, 0x202a...0x202e, 0x2060...0x2069, 0xfeff: false
    default: true
    }
  }

  /// Every occurrence of `secret` in `text` (compared as UTF-8 bytes) replaced by the mask.
  static func replacing(_ secret: String, in text: String) -> String {
    let needle = Array(secret.utf8), bytes = Array(text.utf8)
    guard !needle.isEmpty, bytes.count >= needle.count else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    var found = false
    while i < bytes.count {
      if i + needle.count <= bytes.count && bytes[i] == needle[0] && bytes[i..<i + needle.count].elementsEqual(needle) {
        out += mask.utf8
        i += needle.count
        found = true
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return found ? String(decoding: out, as: UTF8.self) : text
  }
}
