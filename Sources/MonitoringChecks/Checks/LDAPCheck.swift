// ldap: an LDAPv3 bind exchange — anonymous without credentials, a simple bind
// with username (a DN) and password — then an unbind. OK when the bind succeeds.
// BER is encoded by hand (a handful of bytes), so TLS goes through the same
// OpenSSL session and certificate verdicts as every other type.
enum LDAPCheck {
  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let credentials = try Credentials(spec)
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      let dn = credentials?.username ?? "", password = credentials?.password ?? ""
      let bind = BER.element(0x60, BER.element(0x02, [3]) + BER.element(0x04, Array(dn.utf8))
        + BER.element(0x80, Array(password.utf8)))
      try c.stream.write(bytes: BER.element(0x30, BER.element(0x02, [1]) + bind))
      let (tag, message) = try BER.read(c.stream)
      guard tag == 0x30 else { throw CheckFailure(.critical, "invalid LDAP reply (not an LDAPMessage)") }
      var reader = BER.Reader(message)
      guard let id = reader.next(), id.tag == 0x02, let response = reader.next(), response.tag == 0x61 else {
        throw CheckFailure(.critical, "invalid LDAP reply (expected a BindResponse)")
      }
      var fields = BER.Reader(response.content)
      guard let code = fields.next(), code.tag == 0x0a else {
        throw CheckFailure(.critical, "invalid LDAP BindResponse")
      }
      let result = code.content.reduce(0) { $0 << 8 | Int($1) }
      _ = fields.next()
      let diagnostic = fields.next().map { String(decoding: $0.content, as: UTF8.self) } ?? ""
      try? c.stream.write(bytes: [0x30, 0x05, 0x02, 0x01, 0x02, 0x42, 0x00])
      let who = credentials.map { "bind as '\($0.username)'" } ?? "anonymous bind"
      if result == 0 { return CheckResult(.ok, "\(who) succeeded") }
      let name = result == 49 ? "invalid credentials" : "result code \(result)"
      return CheckResult(.critical, "\(who) failed: \(name)" + (diagnostic.isEmpty ? "" : " (\(diagnostic.prefix(120)))"))
    }
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
