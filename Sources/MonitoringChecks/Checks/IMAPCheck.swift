// imap: greeting and LOGOUT. With `starttls`: STARTTLS (only when the capabilities offer it)
// and the handshake before anything else. With username and password: LOGIN; with mailflowid as
// well: finds this id's token mails in INBOX, removes their tokens from the store,
// then deletes exactly those messages (UID STORE + UID EXPUNGE).
import MonitoringInfo

enum IMAPCheck {
  /// The most mail-flow messages one run removes (the rest wait for the next run).
  static let maxMessages = 500
  /// The most bytes of one response line with its literals, and untagged lines per command.
  static let maxResponse = 1 << 20
  static let maxUntagged = 10_000

  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let (credentials, store) = try mailboxAccess(spec, context)
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      let session = Session(stream: c.stream)
      let greeting = try session.line("the IMAP greeting")
      guard greeting.hasPrefix("* OK") || greeting.hasPrefix("* PREAUTH") else {
        return CheckResult(.critical, "unexpected IMAP greeting: \(greeting.prefix(120))")
      }
      var message = String(greeting.prefix(120))
      if spec.starttls {
        guard !greeting.hasPrefix("* PREAUTH") else {
          throw CheckFailure(.critical, "server greeted with PREAUTH: no STARTTLS on an authenticated connection")
        }
        guard try session.capabilities(greeting).contains("STARTTLS") else {
          throw CheckFailure(.critical, "server does not offer STARTTLS (not in its capabilities): no TLS on this port")
        }
        let ready = try session.command("STARTTLS", logAs: "STARTTLS")
        guard ready.ok else { throw CheckFailure(.critical, "STARTTLS refused: \(ready.status.prefix(120))") }
        try c.startTLS()
      }
      if let credentials {
        // RFC 3501 6.2.3: LOGINDISABLED means the server will not take a password in clear.
        // After STARTTLS the capabilities of the greeting no longer count (RFC 3501 6.2.1).
        if try session.capabilities(spec.starttls ? nil : greeting).contains("LOGINDISABLED") {
          _ = try? session.command("LOGOUT", logAs: "LOGOUT")
          return CheckResult(.unknown, message + "; the server refuses LOGIN on this connection (LOGINDISABLED): "
            + "password not sent, use ssl or starttls")
        }
        let login = try session.command("LOGIN \(quoted(credentials.username)) \(quoted(credentials.password))",
                                        logAs: "LOGIN")
        guard login.ok else {
          return CheckResult(.critical, "login as '\(credentials.username)' failed: \(login.status.prefix(120))")
        }
        message += "; logged in as '\(credentials.username)'"
        if let store {
          message += "; " + (try consume(session, store))
        }
      }
      let bye = try session.command("LOGOUT", logAs: "LOGOUT")
      guard bye.ok else { return CheckResult(.warning, message + "; LOGOUT failed: \(bye.status.prefix(80))") }
      return CheckResult(.ok, message)
    }
  }

  static func consume(_ session: Session, _ store: MailflowStore) throws(CheckFailure) -> String {
    let select = try session.command("SELECT INBOX", logAs: "SELECT")
    guard select.ok else { throw CheckFailure(.critical, "SELECT INBOX failed: \(select.status.prefix(120))") }
    let search = try session.command("UID SEARCH SUBJECT \(quoted(store.subjectTag))", logAs: "SEARCH")
    guard search.ok else { throw CheckFailure(.critical, "SEARCH failed: \(search.status.prefix(120))") }
    let uids = search.untagged.filter { $0.hasPrefix("* SEARCH") }
      .flatMap { $0.split(separator: " ").dropFirst(2).compactMap { UInt32($0) } }.prefix(maxMessages)
    if uids.isEmpty { return "no mail-flow mail in INBOX" }
    let set = uids.map(String.init).joined(separator: ",")
    let fetch = try session.command("UID FETCH \(set) (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", logAs: "FETCH")
    guard fetch.ok else { throw CheckFailure(.critical, "FETCH failed: \(fetch.status.prefix(120))") }
    let tokens = Set(fetch.untagged.flatMap { store.tokens(in: $0) })
    let known = try store.remove(tokens)
    let flag = try session.command("UID STORE \(set) +FLAGS.SILENT (\\Deleted)", logAs: "STORE")
    guard flag.ok else { throw CheckFailure(.critical, "STORE failed: \(flag.status.prefix(120))") }
    var expunge = try session.command("UID EXPUNGE \(set)", logAs: "EXPUNGE")
    if !expunge.ok { expunge = try session.command("EXPUNGE", logAs: "EXPUNGE") }
    guard expunge.ok else { throw CheckFailure(.critical, "EXPUNGE failed: \(expunge.status.prefix(120))") }
    return "\(uids.count) mail-flow mails removed (\(known.count) tokens matched)"
  }

  /// An IMAP quoted string.
  static func quoted(_ s: String) -> String { backslashQuoted(s) }

  final class Session {
    let stream: Stream
    var counter = 0
    init(stream: Stream) { self.stream = stream }

    struct Response { var untagged: [String]; var status: String; var ok: Bool }

    /// One response line with any literals ({n}) folded in, at most `maxResponse` bytes.
    func line(_ what: String) throws(CheckFailure) -> String {
      var text = try stream.expectLine(what)
      var size = text.utf8.count
      while let count = try literalLength(text) {
        size += count
        guard size <= maxResponse else { throw CheckFailure(.critical, "IMAP response larger than 1 MiB") }
        text += String(decoding: try stream.read(count: count), as: UTF8.self)
        let more = try stream.expectLine(what)
        size += more.utf8.count
        text += more
      }
      return text
    }

    /// The n of a line ending in "{n}" (RFC 3501 literal): 1 to 7 digits. A number with a sign
    /// or too many digits there is a broken server, not text.
    func literalLength(_ line: String) throws(CheckFailure) -> Int? {
      let bytes = Array(line.utf8.suffix(24))
      guard bytes.last == UInt8(ascii: "}"), let open = bytes.lastIndex(of: UInt8(ascii: "{")) else { return nil }
      let digits = bytes[(open + 1)..<(bytes.count - 1)]
      let numeric: (UInt8) -> Bool = { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
      guard !digits.isEmpty, digits.allSatisfy(numeric) else { return nil }
      guard digits.count <= 7, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        throw CheckFailure(.critical, "invalid IMAP literal length {\(String(decoding: digits, as: UTF8.self))}")
      }
      return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// The server's capabilities: from the greeting's [CAPABILITY ...] code, else (or without a
    /// greeting) asked for.
    func capabilities(_ greeting: String?) throws(CheckFailure) -> Set<String> {
      let words: [Substring]
      if let greeting, let range = greeting.firstRange(of: "[CAPABILITY ") {
        words = greeting[range.upperBound...].prefix { $0 != "]" }.split(separator: " ")
      } else {
        let reply = try command("CAPABILITY", logAs: "CAPABILITY")
        words = reply.untagged.filter { $0.hasPrefix("* CAPABILITY ") }.flatMap { $0.split(separator: " ").dropFirst(2) }
      }
      return Set(words.map { $0.uppercased() })
    }

    /// Sends `command` with a fresh tag; `logAs` is what error messages may show (never the arguments).
    func command(_ command: String, logAs: String) throws(CheckFailure) -> Response {
      counter += 1
      let tag = "c\(counter)"
      try stream.write("\(tag) \(command)\r\n")
      var untagged: [String] = []
      while true {
        let text = try line("the reply to \(logAs)")
        if text.hasPrefix(tag + " ") {
          let status = String(text.dropFirst(tag.count + 1))
          return Response(untagged: untagged, status: status, ok: status.hasPrefix("OK"))
        }
        guard untagged.count < maxUntagged else {
          throw CheckFailure(.critical, "more than \(maxUntagged) lines in the reply to \(logAs)")
        }
        untagged.append(text)
      }
    }
  }
}

/// username and password from the parameters; both or neither.
