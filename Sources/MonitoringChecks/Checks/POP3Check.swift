// pop3: greeting and QUIT. With `starttls`: CAPA, STLS (only when CAPA lists it) and the
// handshake before anything else. With username and password: USER/PASS; with mailflowid as
// well: reads the headers of each message (TOP n 0), removes the tokens of this id's
// mails from the store, marks exactly those messages with DELE; QUIT commits.
enum POP3Check {
  static let maxMessages = 500
  static let maxListed = 100_000
  static let maxHeaderLines = 1000

  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let (credentials, store) = try mailboxAccess(spec, context)
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      let s = c.stream
      let greeting = try s.expectLine("the POP3 greeting")
      guard greeting.hasPrefix("+OK") else {
        return CheckResult(.critical, "unexpected POP3 greeting: \(greeting.prefix(120))")
      }
      var message = String(greeting.prefix(120))
      if spec.starttls { try startTLS(c) }
      if let credentials {
        let user = try command(s, "USER \(credentials.username)", logAs: "USER")
        let pass = user.hasPrefix("+OK") ? try command(s, "PASS \(credentials.password)", logAs: "PASS") : user
        guard pass.hasPrefix("+OK") else {
          return CheckResult(.critical, "login as '\(credentials.username)' failed: \(pass.prefix(120))")
        }
        message += "; logged in as '\(credentials.username)'"
        if let store { message += "; " + (try consume(s, store)) }
      }
      let bye = try command(s, "QUIT", logAs: "QUIT")
      guard bye.hasPrefix("+OK") else { return CheckResult(.warning, message + "; QUIT failed: \(bye.prefix(80))") }
      return CheckResult(.ok, message)
    }
  }

  /// The most lines of a CAPA answer (a real server lists about ten).
  static let maxCapabilities = 100

  /// CAPA, STLS when listed (RFC 2595), then the handshake.
  static func startTLS(_ c: Connection) throws(CheckFailure) {
    let capa = try command(c.stream, "CAPA", logAs: "CAPA")
    guard capa.hasPrefix("+OK") else {
      throw CheckFailure(.critical, "server does not offer STLS (CAPA refused: \(capa.prefix(80))): no TLS on this port")
    }
    let capabilities = try multiline(c.stream, "the capability list", limit: maxCapabilities)
    guard capabilities.contains(where: { $0.split(separator: " ").first?.uppercased() == "STLS" }) else {
      throw CheckFailure(.critical, "server does not offer STLS (not in its CAPA list): no TLS on this port")
    }
    let ready = try command(c.stream, "STLS", logAs: "STLS")
    guard ready.hasPrefix("+OK") else { throw CheckFailure(.critical, "STLS refused: \(ready.prefix(120))") }
    try c.startTLS()
  }

  static func command(_ s: Stream, _ line: String, logAs: String) throws(CheckFailure) -> String {
    try s.write(line + "\r\n")
    return try s.expectLine("the reply to \(logAs)")
  }

  /// A multi-line answer after +OK, dot-unstuffed, up to the "." line; more than `limit`
  /// lines is a CRITICAL protocol error (a server that never ends its answer).
  static func multiline(_ s: Stream, _ what: String, limit: Int) throws(CheckFailure) -> [String] {
    var lines: [String] = []
    while true {
      let line = try s.expectLine(what)
      if line == "." { return lines }
      guard lines.count < limit else { throw CheckFailure(.critical, "more than \(limit) lines in \(what)") }
      lines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
    }
  }

  static func consume(_ s: Stream, _ store: MailflowStore) throws(CheckFailure) -> String {
    let list = try command(s, "LIST", logAs: "LIST")
    guard list.hasPrefix("+OK") else { throw CheckFailure(.critical, "LIST failed: \(list.prefix(120))") }
    let numbers = try multiline(s, "the message list", limit: maxListed).compactMap { UInt32($0.split(separator: " ").first ?? "") }.filter { $0 > 0 }
    var tokens = Set<String>(), ours: [UInt32] = []
    for n in numbers.prefix(maxMessages) {
      let top = try command(s, "TOP \(n) 0", logAs: "TOP")
      guard top.hasPrefix("+OK") else { throw CheckFailure(.critical, "TOP failed: \(top.prefix(120))") }
      let headers = try multiline(s, "message headers", limit: maxHeaderLines)
      // Unfold continuation lines, then look at Subject only.
      var unfolded: [String] = []
      for h in headers {
        if (h.hasPrefix(" ") || h.hasPrefix("\t")), !unfolded.isEmpty { unfolded[unfolded.count - 1] += h }
        else { unfolded.append(h) }
      }
      let found = unfolded.filter { $0.lowercased().hasPrefix("subject:") }.flatMap { store.tokens(in: $0) }
      if !found.isEmpty { ours.append(n); tokens.formUnion(found) }
    }
    if ours.isEmpty { return "no mail-flow mail in the mailbox" }
    let known = try store.remove(tokens)
    for n in ours {
      let dele = try command(s, "DELE \(n)", logAs: "DELE")
      guard dele.hasPrefix("+OK") else { throw CheckFailure(.critical, "DELE failed: \(dele.prefix(120))") }
    }
    return "\(ours.count) mail-flow mails removed (\(known.count) tokens matched)"
  }
}
