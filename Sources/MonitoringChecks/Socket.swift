// Non-blocking sockets over IPv4 and IPv6, every wait bounded by the check's deadline.
import Glibc
import SystemLayer


/// A connected socket (TCP or UDP). Closed on deinit.
final class Socket {
  let fd: Int32
  let peer: String

  private init(fd: Int32, peer: String) { self.fd = fd; self.peer = peer }
  deinit { close(fd) }

  /// Resolves `host` and connects to the first address that answers.
  static func connect(host: String, port: Int, datagram: Bool = false,
                      deadline: Deadline) throws(CheckFailure) -> Socket {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(datagram ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
    hints.ai_flags = AI_ADDRCONFIG
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host, String(port), &hints, &list)
    if rc != 0 {
      // AI_ADDRCONFIG hides ::1 on hosts without a global IPv6 address; retry without it.
      hints.ai_flags = 0
      if getaddrinfo(host, String(port), &hints, &list) != 0 {
        throw CheckFailure(.critical, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
      }
    }
    defer { freeaddrinfo(list) }
    var lastError = CheckFailure(.critical, "no address for \(host)")
    var entry = list
    while let ai = entry?.pointee {
      entry = ai.ai_next
      let fd = socket(ai.ai_family, ai.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.ai_protocol)
      if fd < 0 { lastError = CheckFailure(.unknown, "socket: \(errnoText())"); continue }
      let address = numericAddress(ai.ai_addr, ai.ai_addrlen)
      let sock = Socket(fd: fd, peer: address)
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      if Glibc.connect(fd, ai.ai_addr, ai.ai_addrlen) == 0 { return sock }
      if errno != EINPROGRESS {
        lastError = CheckFailure(.critical, "connection to \(address) port \(port) failed: \(errnoText())")
        continue
      }
      do {
        try sock.wait(for: Int16(POLLOUT), deadline, "connecting to \(address) port \(port)")
      } catch {
        lastError = error
        if error.status == .unknown { throw error }
        continue
      }
      var soError: Int32 = 0
      var len = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
      if soError == 0 { return sock }
      lastError = CheckFailure(.critical, "connection to \(address) port \(port) failed: \(errnoText(soError))")
    }
    throw lastError
  }

  static func numericAddress(_ sa: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t) -> String {
    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    guard getnameinfo(sa, len, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
      return "?"
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Waits until the socket is ready for `events`; POLLERR/POLLHUP also end the wait.
  @discardableResult
  func wait(for events: Int16, _ deadline: Deadline, _ what: String) throws(CheckFailure) -> Int16 {
    while true {
      var p = pollfd(fd: fd, events: events, revents: 0)
      let n = poll(&p, 1, try deadline.pollMilliseconds(what))
      if n > 0 { return p.revents }
      if n == 0 { throw CheckFailure(.unknown, "timeout while \(what)") }
      if errno != EINTR { throw CheckFailure(.unknown, "poll: \(errnoText())") }
    }
  }
}

/// A byte stream: plain socket or TLS on top of it.
protocol Transport: AnyObject {
  /// Reads up to `max` bytes; an empty result means the peer closed the connection.
  func read(max: Int, _ deadline: Deadline) throws(CheckFailure) -> [UInt8]
  func write(_ bytes: [UInt8], _ deadline: Deadline) throws(CheckFailure)
}

final class PlainTransport: Transport {
  let socket: Socket
  init(_ socket: Socket) { self.socket = socket }

  func read(max: Int, _ deadline: Deadline) throws(CheckFailure) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: max)
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, max, 0) }
      if n >= 0 { return Array(buffer.prefix(n)) }
      if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
        try socket.wait(for: Int16(POLLIN), deadline, "reading from \(socket.peer)")
        continue
      }
      throw CheckFailure(.critical, "read from \(socket.peer) failed: \(errnoText())")
    }
  }

  func write(_ bytes: [UInt8], _ deadline: Deadline) throws(CheckFailure) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        send(socket.fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n >= 0 { offset += n; continue }
      if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
        try socket.wait(for: Int16(POLLOUT), deadline, "writing to \(socket.peer)")
        continue
      }
      throw CheckFailure(.critical, "write to \(socket.peer) failed: \(errnoText())")
    }
  }
}

/// Line- and count-oriented reading over a transport, for the text protocols.
///
/// Bounded in time and memory whatever the server does: the deadline is checked before every
/// read (a server that sends fast never makes a read block, so poll alone would never see it),
/// a line is at most `maxLine` bytes, and a connection delivers at most `budget` bytes.
final class Stream {
  private(set) var transport: Transport
  let deadline: Deadline
  private var buffer: [UInt8] = []
  private var start = 0
  private var received = 0
  /// Lines longer than this are a protocol error (a server that never sends CRLF).
  var maxLine = 64 * 1024
  /// The most a check reads from one connection; more is a CRITICAL protocol error.
  var budget = 4 << 20

  init(_ transport: Transport, deadline: Deadline) { self.transport = transport; self.deadline = deadline }

  private func fill() throws(CheckFailure) -> Bool {
    if deadline.remaining <= 0 { throw CheckFailure(.unknown, "timeout while reading from the server") }
    if received >= budget { throw CheckFailure(.critical, "server sent more than \(budget >> 20) MiB") }
    if start > 0 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
    let chunk = try transport.read(max: min(16 * 1024, budget - received), deadline)
    if chunk.isEmpty { return false }
    received += chunk.count
    buffer += chunk
    return true
  }

  /// One line without its CR LF; nil at end of stream.
  func readLine() throws(CheckFailure) -> String? {
    var scanned = 0  // bytes after `start` known to hold no line break (fill() moves `start` to 0)
    while true {
      if let nl = buffer[(start + scanned)...].firstIndex(of: 10) {
        var end = nl
        if end > start && buffer[end - 1] == 13 { end -= 1 }
        let line = String(decoding: buffer[start..<end], as: UTF8.self)
        start = nl + 1
        return line
      }
      scanned = buffer.count - start
      if scanned > maxLine { throw CheckFailure(.critical, "line too long from server") }
      if try !fill() {
        if start == buffer.count { return nil }
        let line = String(decoding: buffer[start...], as: UTF8.self)
        start = buffer.count
        return line
      }
    }
  }

  /// A line, or a CRITICAL failure when the server closed the connection.
  func expectLine(_ what: String) throws(CheckFailure) -> String {
    guard let line = try readLine() else {
      throw CheckFailure(.critical, "connection closed by server while waiting for \(what)")
    }
    return line
  }

  /// Exactly `count` bytes (a count the caller checked against its own limit).
  func read(count: Int) throws(CheckFailure) -> [UInt8] {
    guard count >= 0, count <= budget else { throw CheckFailure(.critical, "invalid length \(count) from server") }
    while buffer.count - start < count {
      if try !fill() { throw CheckFailure(.critical, "connection closed by server in the middle of a reply") }
    }
    let bytes = Array(buffer[start..<start + count])
    start += count
    return bytes
  }

  /// Reads and drops up to `count` bytes; returns how many there were before end of stream.
  func skip(upTo count: Int) throws(CheckFailure) -> Int {
    var skipped = 0
    while skipped < count {
      if start == buffer.count, try !fill() { break }
      let n = min(count - skipped, buffer.count - start)
      start += n
      skipped += n
    }
    return skipped
  }

  /// Bytes received and not yet read: after a STARTTLS reply there must be none.
  var unread: Int { buffer.count - start }

  /// A CRITICAL failure when bytes are unread (checked before a STARTTLS handshake as well).
  func refuseUnread() throws(CheckFailure) {
    guard unread == 0 else {
      throw CheckFailure(.critical, "server sent \(unread) bytes after its reply to STARTTLS, before TLS began: "
        + "refused (STARTTLS command injection)")
    }
  }

  /// Goes on over `newTransport` (TLS after STARTTLS). Refuses while bytes of the old transport
  /// are unread: text a server pipelined after its STARTTLS reply must never pass for text that
  /// came inside TLS (the STARTTLS command injection class of bugs).
  func switchTransport(to newTransport: Transport) throws(CheckFailure) {
    try refuseUnread()
    transport = newTransport
    buffer = []
    start = 0
  }

  func write(_ text: String) throws(CheckFailure) { try transport.write(Array(text.utf8), deadline) }
  func write(bytes: [UInt8]) throws(CheckFailure) { try transport.write(bytes, deadline) }
}
