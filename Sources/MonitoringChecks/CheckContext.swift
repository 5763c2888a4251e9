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

/// A connection opened for a check: the stream, how long connecting took, the certificate verdict.
struct Connection {
  let stream: Stream
  let connectSeconds: Double
  let certificate: CertificateVerdict?

  static func open(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> Connection {
    let started = Deadline.now()
    let socket = try Socket.connect(host: spec.address, port: spec.port, deadline: context.deadline)
    if !spec.ssl {
      return Connection(stream: Stream(PlainTransport(socket), deadline: context.deadline),
                        connectSeconds: Deadline.now() - started, certificate: nil)
    }
    let tls = try TLSTransport(socket, serverName: spec.sslHostname, caFile: context.caFile)
    try tls.handshake(context.deadline)
    let ignore = (try? spec.boolean("ignore_invalid_ssl")) ?? false
    let verdict = ignore ? nil : tls.verdict(hostname: spec.sslHostname,
                                            expireBeforeDays: try? spec.integer("expire_before_days"))
    return Connection(stream: Stream(tls, deadline: context.deadline),
                      connectSeconds: Deadline.now() - started, certificate: verdict)
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
      result.perfdata.insert(.seconds("time", connection.connectSeconds + Deadline.now() - started), at: 0)
      return connection.merge(result)
    } catch {
      return connection.merge(CheckResult(error.status, error.message))
    }
  }
}
