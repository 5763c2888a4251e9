// ldap: an LDAPv3 bind — anonymous without credentials, a simple bind with username (a DN)
// and password — then a base-scope search of the root DSE (or, when the root DSE may not
// be read, of the bind DN), then an unbind. OK when the bind and the search succeed: a
// server that binds but does not answer queries is not serving.
// With `starttls`, the StartTLS extended operation (RFC 4511 4.14, OID 1.3.6.1.4.1.1466.20037)
// comes first, then the handshake; the bind and the search run inside TLS.
// BER is encoded by hand (a handful of bytes), so TLS goes through the same OpenSSL session
// and certificate verdicts as every other type, with `ssl` and with `starttls` alike.
enum LDAPCheck {
  /// The most messages one search may return before its SearchResultDone.
  static let maxMessages = 100

  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let credentials = try Credentials(spec)
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      // Message ids 1, 2, ...: StartTLS (when asked for), the bind, the searches.
      var nextID: UInt8 = 1
      if spec.starttls {
        try startTLS(c, id: nextID)
        nextID += 1
      }
      let dn = credentials?.username ?? "", password = credentials?.password ?? ""
      let bind = BER.element(0x60, BER.element(0x02, [3]) + BER.element(0x04, Array(dn.utf8))
        + BER.element(0x80, Array(password.utf8)))
      let bindID = nextID
      try c.stream.write(bytes: BER.element(0x30, BER.element(0x02, [bindID]) + bind))
      let who = credentials.map { "bind as '\($0.username)'" } ?? "anonymous bind"
      let bound = try result(of: 0x61, id: bindID, c.stream)
      guard bound.code == 0 else {
        let name = bound.code == 49 ? "invalid credentials" : "result code \(bound.code)"
        return CheckResult(.critical, "\(who) failed: \(name)" + bound.diagnosticNote)
      }
      var what = "root DSE"
      var searched: Result
      do throws(CheckFailure) {
        searched = try search(base: "", id: bindID + 1, c.stream)
        if searched.code != 0 && !dn.isEmpty {
          what = "bind DN"
          searched = try search(base: dn, id: bindID + 2, c.stream)
        }
      } catch {
        throw CheckFailure(error.status, "\(who) succeeded, but the search of the \(what) failed: \(error.message)")
      }
      try? c.stream.write(bytes: [0x30, 0x05, 0x02, 0x01, bindID + 3, 0x42, 0x00])
      guard searched.code == 0 else {
        return CheckResult(.critical, "\(who) succeeded, but the search of the \(what) failed: "
          + "result code \(searched.code)" + searched.diagnosticNote)
      }
      return CheckResult(.ok, "\(who) and search of the \(what) succeeded")
    }
  }

  static let startTLSOID = "1.3.6.1.4.1.1466.20037"

  /// The StartTLS extended request; on success the handshake. Result codes other than 0 mean
  /// the server will not do TLS on this port (Debian's stock slapd, without a certificate: 2,
  /// unsupported extended operation).
  static func startTLS(_ c: Connection, id: UInt8) throws(CheckFailure) {
    let request = BER.element(0x77, BER.element(0x80, Array(startTLSOID.utf8)))
    try c.stream.write(bytes: BER.element(0x30, BER.element(0x02, [id]) + request))
    let answer = try result(of: 0x78, id: id, c.stream)
    guard answer.code == 0 else {
      throw CheckFailure(.critical, "StartTLS refused: result code \(answer.code)\(answer.diagnosticNote): no TLS on this port")
    }
    try c.startTLS()
  }

  struct Result {
    var code: Int
    var diagnostic: String
    var diagnosticNote: String { diagnostic.isEmpty ? "" : " (\(diagnostic.prefix(120)))" }
  }

  /// A base-scope search for (objectClass=*) asking for no attributes ("1.1"); the entries
  /// are counted away, the SearchResultDone's result returned.
  static func search(base: String, id: UInt8, _ stream: Stream) throws(CheckFailure) -> Result {
    let request = BER.element(0x63, BER.element(0x04, Array(base.utf8)) + BER.element(0x0a, [0])
      + BER.element(0x0a, [0]) + BER.element(0x02, [1]) + BER.element(0x02, [10]) + BER.element(0x01, [0])
      + BER.element(0x87, Array("objectClass".utf8)) + BER.element(0x30, BER.element(0x04, Array("1.1".utf8))))
    try stream.write(bytes: BER.element(0x30, BER.element(0x02, [id]) + request))
    return try result(of: 0x65, id: id, stream, skipping: [0x64, 0x73])
  }

  /// Reads messages until the response `tag` to message `id`; `skipping` may come before it.
  static func result(of tag: UInt8, id: UInt8, _ stream: Stream, skipping: Set<UInt8> = []) throws(CheckFailure) -> Result {
    for _ in 0...maxMessages {
      let (outer, message) = try BER.read(stream)
      guard outer == 0x30 else { throw CheckFailure(.critical, "invalid LDAP reply (not an LDAPMessage)") }
      var reader = BER.Reader(message)
      guard let messageID = reader.next(), messageID.tag == 0x02, let response = reader.next() else {
        throw CheckFailure(.critical, "invalid LDAP reply (no message id or operation)")
      }
      if skipping.contains(response.tag) { continue }
      guard response.tag == tag, messageID.content == [id] else {
        throw CheckFailure(.critical, "unexpected LDAP reply (operation 0x\(String(response.tag, radix: 16)))")
      }
      var fields = BER.Reader(response.content)
      guard let code = fields.next(), code.tag == 0x0a, (1...4).contains(code.content.count) else {
        throw CheckFailure(.critical, "invalid LDAP result")
      }
      _ = fields.next()
      let diagnostic = fields.next().map { String(decoding: $0.content.prefix(1024), as: UTF8.self) } ?? ""
      return Result(code: code.content.reduce(0) { $0 << 8 | Int($1) }, diagnostic: diagnostic)
    }
    throw CheckFailure(.critical, "more than \(maxMessages) LDAP messages before the result")
  }
}

/// The few BER (X.690) pieces LDAP needs: definite lengths, one-byte tags.
enum BER {
  static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    let n = content.count
    var length: [UInt8]
    if n < 0x80 { length = [UInt8(n)] }
    else if n < 0x100 { length = [0x81, UInt8(n)] }
    else if n < 0x10000 { length = [0x82, UInt8(n >> 8), UInt8(n & 0xff)] }
    else { length = [0x83, UInt8(n >> 16), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] }
    return [tag] + length + content
  }

  /// One element from the stream (at most 1 MiB).
  static func read(_ s: Stream) throws(CheckFailure) -> (UInt8, [UInt8]) {
    let head = try s.read(count: 2)
    var length = Int(head[1])
    if length & 0x80 != 0 {
      let count = length & 0x7f
      guard count >= 1 && count <= 3 else { throw CheckFailure(.critical, "invalid LDAP reply (length)") }
      length = try s.read(count: count).reduce(0) { $0 << 8 | Int($1) }
    }
    guard length <= 1 << 20 else { throw CheckFailure(.critical, "LDAP reply too large") }
    return (head[0], try s.read(count: length))
  }

  struct Reader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> (tag: UInt8, content: [UInt8])? {
      guard offset + 2 <= bytes.count else { return nil }
      let tag = bytes[offset]
      var length = Int(bytes[offset + 1])
      offset += 2
      if length & 0x80 != 0 {
        let count = length & 0x7f
        guard count >= 1 && count <= 3, offset + count <= bytes.count else { return nil }
        length = bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
        offset += count
      }
      guard offset + length <= bytes.count else { return nil }
      defer { offset += length }
      return (tag, Array(bytes[offset..<offset + length]))
    }
  }
}
