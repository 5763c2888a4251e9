/// The one place where dh_monitoringinfo asks the format library about a fragment.
struct FragmentOutcome {
  /// GNU-style descriptions: "path:line:col: message (help)".
  var errors: [String] = []
  var warnings: [String] = []
  /// Some service carries a password: the installed file must not be world-readable.
  var holdsCredentials = false
}

// INTERIM: a minimal stand-in until the MonitoringInfo core library lands (then this file
// calls FragmentValidator and nothing else changes).
enum FragmentCheck {
  static let types = ["http", "tcp", "udp", "smtp", "imap", "pop3", "mailflow", "ldap", "ssh"]

  static func check(path: String, bytes: [UInt8]) -> FragmentOutcome {
    var outcome = FragmentOutcome()
    let text = String(decoding: bytes, as: UTF8.self)
    var inSection = false
    var sawSection = false
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNumber = index + 1
      let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") { inSection = true; sawSection = true; continue }
      guard let eq = line.firstIndex(of: "=") else {
        outcome.errors.append("\(path):\(lineNumber):1: expected 'key = value' or '[section]'")
        continue
      }
      if !inSection { outcome.errors.append("\(path):\(lineNumber):1: key outside of a section") }
      let key = line[..<eq].trimmingCharacters()
      let value = line[line.index(after: eq)...].trimmingCharacters()
      if key == "type" && !types.contains(String(value)) {
        let column = rawLine.distance(from: rawLine.startIndex, to: rawLine.index(after: eq))
          + line[line.index(after: eq)...].prefix(while: { $0 == " " || $0 == "\t" }).count + 1
        var message = "\(path):\(lineNumber):\(column): unknown type '\(value)'"
        if let near = types.first(where: { editDistance(Array($0), Array(value)) <= 2 }) {
          message += " (did you mean '\(near)'?)"
        }
        outcome.errors.append(message)
      }
      if key == "password" && !value.isEmpty { outcome.holdsCredentials = true }
    }
    if !sawSection { outcome.warnings.append("\(path):0:0: fragment defines no service") }
    return outcome
  }

  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
      var current = [i + 1]
      for (j, cb) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}

extension Substring {
  func trimmingCharacters() -> Substring {
    var s = self
    while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
    return s
  }
}
