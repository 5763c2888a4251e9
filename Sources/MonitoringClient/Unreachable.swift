import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// Why the server could not be reached, in the administrator's terms: its name not resolved,
/// the connection refused, no route to it, or no answer before the connect timeout. Read from
/// ssh's own message, or (ssh-keyscan says nothing when a connection is refused) found out with
/// one TCP connection of our own.
public struct Unreachable: Sendable, Equatable, CustomStringConvertible {
  public enum Cause: Sendable, Equatable {
    case unresolved
    case refused
    case noRoute
    case timedOut
    case other
  }

  public var cause: Cause
  /// The system's words (`Connection refused`, `No route to host`, ...).
  public var detail: String
  public var host: String
  public var port: Int
  public var connectTimeout: Int

  public var description: String {
    switch cause {
    case .unresolved:
      "the name '\(host)' is not resolved (\(detail)): check 'server' in client.conf and this host's resolver"
    case .refused:
      "\(detail): nothing listens on port \(port) of \(host) (is its sshd running, is 'port' right?)"
    case .noRoute:
      "no route to \(host) (\(detail)): check the address and this host's network, routes and firewall"
    case .timedOut:
      "connection timed out after \(connectTimeout) s: \(host) does not answer on port \(port) (down, or a firewall drops the packets)"
    case .other:
      "\(detail) (connecting to \(host) port \(port))"
    }
  }

  /// ssh's complaint about the connection (`ssh: connect to host H port P: REASON`,
  /// `ssh: Could not resolve hostname H: REASON`), or nil when the connection was made.
  public static func fromSSH(_ stderr: String, host: String, port: Int, connectTimeout: Int) -> Unreachable? {
    for line in stderr.split(whereSeparator: \.isNewline).reversed() {
      let text = line.trimmingWhitespace
      let reason = text.split(separator: ": ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
      if text.contains("Could not resolve hostname") {
        return Unreachable(cause: .unresolved, detail: reason, host: host, port: port, connectTimeout: connectTimeout)
      }
      if text.contains("connect to host ") {
        return Unreachable(cause: cause(of: reason), detail: reason, host: host, port: port, connectTimeout: connectTimeout)
      }
    }
    return nil
  }

  static func cause(of reason: String) -> Cause {
    if reason.contains("refused") { return .refused }
    if reason.contains("No route") || reason.contains("unreachable") { return .noRoute }
    if reason.contains("timed out") { return .timedOut }
    return .other
  }

  /// Tries one TCP connection to `host`:`port` within `connectTimeout` seconds: nil when it
  /// was made (and closed at once), else why not.
  public static func probe(host: String, port: Int, connectTimeout: Int) -> Unreachable? {
    func result(_ cause: Cause, _ detail: String) -> Unreachable {
      Unreachable(cause: cause, detail: detail, host: host, port: port, connectTimeout: connectTimeout)
    }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_family = AF_UNSPEC
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(host, String(port), &hints, &list)
    guard resolved == 0, let first = list else {
      return result(.unresolved, resolved == EAI_SYSTEM ? errnoText() : String(cString: gai_strerror(resolved)))
    }
    defer { freeaddrinfo(list) }
    let deadline = SystemClock.monotonic() + Double(connectTimeout)
    var failure: Unreachable?
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let address = entry?.pointee {
      entry = address.ai_next
      let descriptor = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
      guard descriptor >= 0 else { continue }
      defer { close(descriptor) }
      var code: Int32 = 0
      if connect(descriptor, address.ai_addr, address.ai_addrlen) != 0 {
        code = errno
        if code == EINPROGRESS {
          var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
          var waited: Int32
          repeat {
            let remaining = max(0, deadline - SystemClock.monotonic())
            waited = poll(&ready, 1, Int32(remaining * 1000))
          } while waited < 0 && errno == EINTR
          if waited == 0 {
            code = ETIMEDOUT
          } else {
            var length = socklen_t(MemoryLayout<Int32>.size)
            code = 0
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
          }
        }
      }
      if code == 0 { return nil }
      let detail = String(cString: strerror(code))
      let cause: Cause =
        switch code {
        case ECONNREFUSED: .refused
        case ENETUNREACH, EHOSTUNREACH: .noRoute
        case ETIMEDOUT: .timedOut
        default: .other
        }
      // The first address's reason counts; a later one is tried only while time is left.
      if failure == nil { failure = result(cause, detail) }
      if SystemClock.monotonic() >= deadline { break }
    }
    return failure ?? result(.other, "no usable address")
  }
}
