// smtp: the 220 greeting and QUIT. With `starttls`: EHLO, STARTTLS (only when the EHLO
// reply offers it), the TLS handshake and EHLO again, all before anything else. With `email`:
// sends a mail carrying a token to that address and records the token for `mailflowid` once
// the server accepted it.
import Glibc
import SystemLayer

enum SMTPCheck {
  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let email = spec.string("email")
    if let email, !isPlainAddress(email) {
      throw CheckFailure(.unknown, "invalid value '\(email)' for 'email'")
    }
    let store: MailflowStore? = try spec.string("mailflowid").map { id throws(CheckFailure) in
      try MailflowStore(root: context.mailflowDirectory, id: id, deadline: context.deadline)
    }
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      let greeting = try reply(c.stream, "the SMTP greeting")
      guard greeting.code == 220 else {
        return CheckResult(.critical, "unexpected SMTP greeting: \(greeting.text.prefix(120))")
      }
      var message = greeting.text.prefix(120).description
      if spec.starttls { try startTLS(c) }
      if let email {
        // The lock is taken before the mail goes out: a mail the server accepted always has
        // its token recorded, and a store that cannot be written sends nothing.
        let send = { () throws(CheckFailure) in
          let token = try sendProbe(c.stream, to: email, tag: store?.subjectTag ?? "monitoring-info mailflow",
                                    greeted: spec.starttls)
          try store?.append(token)
        }
        if let store { try store.whileLocked(send) } else { try send() }
        message += "; test mail to \(email) accepted"
      }
      try c.stream.write("QUIT\r\n")
      let bye = try reply(c.stream, "the reply to QUIT")
      guard bye.code == 221 else { return CheckResult(.warning, message + "; unexpected reply to QUIT: \(bye.text.prefix(80))") }
      return CheckResult(.ok, message)
    }
  }

  /// EHLO, STARTTLS when the reply offers it, the handshake, and EHLO again inside TLS
  /// (RFC 3207: what the server said before TLS no longer counts).
  static func startTLS(_ c: Connection) throws(CheckFailure) {
    try c.stream.write("EHLO \(localName())\r\n")
    let ehlo = try reply(c.stream, "the reply to EHLO", keywords: true)
    guard ehlo.code == 250 else { throw CheckFailure(.critical, "EHLO refused: \(ehlo.text.prefix(120))") }
    guard ehlo.keywords.contains("STARTTLS") else {
      throw CheckFailure(.critical, "server does not offer STARTTLS (not in its EHLO reply): no TLS on this port")
    }
    try c.stream.write("STARTTLS\r\n")
    let ready = try reply(c.stream, "the reply to STARTTLS")
    guard ready.code == 220 else { throw CheckFailure(.critical, "STARTTLS refused: \(ready.text.prefix(120))") }
    try c.startTLS()
    try command(c.stream, "EHLO \(localName())", expect: 250)
  }

  /// Sends one probe mail carrying a fresh token; returns the token once the server accepted it.
  /// `greeted`: EHLO was already sent (after STARTTLS).
  static func sendProbe(_ stream: Stream, to email: String, tag: String, greeted: Bool = false) throws(CheckFailure) -> String {
    let token = MailflowStore.newToken()
    if !greeted { try command(stream, "EHLO \(localName())", expect: 250) }
    try command(stream, "MAIL FROM:<\(email)>", expect: 250)
    try command(stream, "RCPT TO:<\(email)>", expect: 250)
    try command(stream, "DATA", expect: 354)
    let date = SystemClock.rfc5322(SystemClock.now())
    let body = "From: <\(email)>\r\nTo: <\(email)>\r\nSubject: \(tag) \(token)\r\n"
      + "Date: \(date)\r\nMessage-ID: <\(token)@check-monitoring-info>\r\n"
      + "Auto-Submitted: auto-generated\r\n\r\n"
      + "Mail-flow probe sent by check_monitoring_info; the IMAP or POP3 check deletes it.\r\n"
      + "\(token)\r\n.\r\n"
    try stream.write(body)
    let accepted = try reply(stream, "the reply to the message")
    guard accepted.code == 250 else {
      throw CheckFailure(.critical, "message refused: \(accepted.text.prefix(120))")
    }
    return token
  }

  struct Reply {
    var code: Int
    var text: String
    /// The first word of every line but the first, upper-cased (EHLO keywords), when asked for.
    var keywords: Set<String> = []
  }

  /// The most lines of one reply: a real server's EHLO reply has a dozen or two.
  static let maxReplyLines = 100

  /// A possibly multi-line reply ("250-..." continues, "250 ..." ends); keeps the first line,
  /// and with `keywords` the EHLO keywords of the others.
  static func reply(_ stream: Stream, _ what: String, keywords: Bool = false) throws(CheckFailure) -> Reply {
    var first: String?
    var found: Set<String> = []
    for _ in 0..<maxReplyLines {
      let line = try stream.expectLine(what)
      if first == nil { first = line } else if keywords, let word = line.dropFirst(4).split(separator: " ").first {
        found.insert(String(word.prefix(64)).uppercased())
      }
      let bytes = Array(line.utf8.prefix(4))
      guard bytes.count >= 3, bytes[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
        throw CheckFailure(.critical, "invalid SMTP reply while waiting for \(what): \(line.prefix(80))")
      }
      if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
        return Reply(code: code, text: first ?? line, keywords: found)
      }
    }
    throw CheckFailure(.critical, "SMTP reply longer than \(maxReplyLines) lines while waiting for \(what)")
  }

  static func command(_ stream: Stream, _ line: String, expect: Int) throws(CheckFailure) {
    try stream.write(line + "\r\n")
    let r = try reply(stream, "the reply to \(line.split(separator: " ").first ?? "")")
    guard r.code == expect else {
      throw CheckFailure(.critical, "\(line.split(separator: ":").first ?? "") refused: \(r.text.prefix(120))")
    }
  }

  static func isPlainAddress(_ s: String) -> Bool {
    let parts = s.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
      && s.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" }
  }

  static func localName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? "localhost" : name
  }

}
