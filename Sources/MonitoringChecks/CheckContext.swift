// What every check gets besides its parameters: the deadline and the administrator's settings.

public struct CheckContext: Sendable {
  public var deadline: Deadline
  /// PEM file of CAs to trust instead of the system store.
  public var caFile: String?
  /// Root of the mail-flow token store.
  public var mailflowDirectory: String

  public static let defaultMailflowDirectory = "/var/lib/auto-monitor-plugins/mailflow"

  public init(timeout: Double, caFile: String? = nil,
              mailflowDirectory: String = CheckContext.defaultMailflowDirectory) {
    deadline = Deadline(seconds: timeout)
    self.caFile = caFile
    self.mailflowDirectory = mailflowDirectory
  }
}

/// A connection opened for a check: the stream, how long connecting took, the certificate verdict
/// (known after the handshake: at once with `ssl`, after `startTLS()` with `starttls`).
final class Connection {
  let stream: Stream
  let connectSeconds: Double
  private(set) var certificate: CertificateVerdict?
  private let socket: Socket
  private let spec: ServiceSpec
  private let context: CheckContext
  /// TLS is up (from the start with `ssl`, after `startTLS()` with `starttls`).
  private(set) var isTLS: Bool

  private init(_ stream: Stream, _ socket: Socket, _ spec: ServiceSpec, _ context: CheckContext, started: Double,
               tls: TLSTransport?) {
    self.stream = stream
    self.socket = socket
    self.spec = spec
    self.context = context
    self.isTLS = tls != nil
    self.certificate = tls.flatMap { Connection.verdict($0, spec) }
    self.connectSeconds = Deadline.now() - started
  }

  static func open(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> Connection {
    let started = Deadline.now()
    let socket = try Socket.connect(host: spec.address, port: spec.port, deadline: context.deadline)
    if !spec.ssl {
      return Connection(Stream(PlainTransport(socket), deadline: context.deadline), socket, spec, context,
                        started: started, tls: nil)
    }
    let tls = try handshake(socket, spec, context)
    return Connection(Stream(tls, deadline: context.deadline), socket, spec, context, started: started, tls: tls)
  }

  /// With `starttls`: the server accepted the protocol's STARTTLS command, and its reply has been
  /// read; the handshake follows, then the certificate is judged as with `ssl`.
  func startTLS() throws(CheckFailure) {
    guard !isTLS else { throw CheckFailure(.unknown, "STARTTLS on a connection that already uses TLS") }
    // Checked before the handshake: bytes already buffered would otherwise be read as TLS data.
    try stream.refuseUnread()
    let tls = try Connection.handshake(socket, spec, context)
    try stream.switchTransport(to: tls)
    isTLS = true
    certificate = Connection.verdict(tls, spec)
  }

  private static func handshake(_ socket: Socket, _ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> TLSTransport {
    let tls = try TLSTransport(socket, serverName: spec.sslHostname, caFile: context.caFile)
    try tls.handshake(context.deadline)
    return tls
  }

  private static func verdict(_ tls: TLSTransport, _ spec: ServiceSpec) -> CertificateVerdict? {
    let ignore = (try? spec.boolean("ignore_invalid_ssl")) ?? false
    return ignore ? nil : tls.verdict(hostname: spec.sslHostname, expireBeforeDays: try? spec.integer("expire_before_days"))
  }

  /// Adds the certificate's problems and days-left perfdata to a protocol result.
  func merge(_ result: CheckResult) -> CheckResult {
    guard let certificate else { return result }
    var merged = result
    if let p = certificate.perfdata { merged.perfdata.append(p) }
    if !certificate.problems.isEmpty {
      merged.status = max(merged.status, .critical)
      merged.message = certificate.problems.joined(separator: "; ") + "; " + result.message
    } else if let days = certificate.daysLeft {
      merged.message += ", certificate valid for \(days) days"
    }
    return merged
  }
}

/// Runs one check. Failures become results; nothing here exits the process.
public enum Checker {
  public static func run(_ spec: ServiceSpec, _ context: CheckContext) -> CheckResult {
    do {
      switch spec.type {
      case .tcp: return try TCPCheck.run(spec, context)
      case .http: return try HTTPCheck.run(spec, context)
      case .udp: return try UDPCheck.run(spec, context)
      case .smtp: return try SMTPCheck.run(spec, context)
      case .imap: return try IMAPCheck.run(spec, context)
      case .pop3: return try POP3Check.run(spec, context)
      case .ldap: return try LDAPCheck.run(spec, context)
      case .ssh: return try SSHCheck.run(spec, context)
      case .mailflow: return try MailflowCheck.run(spec, context)
      }
    } catch {
      return CheckResult(error.status, error.message)
    }
  }

  /// Runs a protocol exchange on an opened connection; a protocol failure keeps the certificate verdict.
  static func withConnection(_ spec: ServiceSpec, _ context: CheckContext,
                             _ body: (Connection) throws(CheckFailure) -> CheckResult) throws(CheckFailure) -> CheckResult {
    let connection = try Connection.open(spec, context)
    let started = Deadline.now()
    do {
      var result = try body(connection)
      // Every type that takes `starttls` switches to TLS before it reports success.
      if spec.starttls && !connection.isTLS && result.status == .ok {
        result = CheckResult(.unknown, "internal error: the \(spec.type.rawValue) check did not start TLS")
      }
      result.perfdata.insert(.seconds("time", connection.connectSeconds + Deadline.now() - started), at: 0)
      return connection.merge(result)
    } catch {
      return connection.merge(CheckResult(error.status, error.message))
    }
  }
}
