import Glibc
import MonitoringInfo

/// The sshd forced command's logic: one request, one reply. The host identity is the key
/// binding (`client`), never the payload; anything unexpected is refused and changes nothing.
public struct Receiver: Sendable {
  public enum Identity: Sendable {
    /// A key bound to this host.
    case bound(String)
    /// A key nobody bound yet: it may only file an enrollment request.
    case unbound(SSHPublicKey)
  }

  public let settings: ServerSettings
  /// The client's address from sshd's `SSH_CONNECTION` (stored with a registration: the
  /// administrator's zone rules may match it); nil when sshd did not say.
  public let sourceAddress: String?

  public init(settings: ServerSettings, sourceAddress: String? = nil) {
    self.settings = settings
    self.sourceAddress = sourceAddress
  }

  /// The client's address in `SSH_CONNECTION` ("CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT"),
  /// when it is an address.
  public static func sourceAddress(sshConnection: String?) -> String? {
    guard let first = sshConnection?.split(separator: " ").first else { return nil }
    return IPAddress(String(first)).map { _ in String(first) }
  }

  /// The reply and the exit status (0, 2 refused, 75 busy, 64 unknown request).
  public func handle(request: String?, identity: Identity, input: () -> (bytes: [UInt8], tooLarge: Bool)) -> (RegistrationReply, Int32) {
    let host: String
    switch identity {
    case .bound(let name): host = name
    case .unbound(let key):
      guard request == "enroll" else { return notEnrolled(key, request: request) }
      return enrollUnbound(key: key, input: input())
    }
    switch request {
    case "register": return ReceiverSlots(settings: settings).admit { register(host, input: input()) } ?? busy(host)
    case "deregister": return deregister(host)
    case "status": return status(host)
    case "enroll": return enrollBound(host, input: input())
    default:
      return refuse(host, "unknown request '\(Self.printable(request ?? ""))' (known: register, deregister, status, enroll)", status: 64)
    }
  }

  static func isKnown(_ request: String) -> Bool { ["register", "deregister", "status", "enroll"].contains(request) }

  /// Any request but `enroll` from a key bound to no host: a client the server does not know
  /// (any more: a re-installed server forgot every key). It says `"enrolled": false`, so the
  /// client can file its enrollment again; `pending` when this key's request already waits.
  func notEnrolled(_ key: SSHPublicKey, request: String?) -> (RegistrationReply, Int32) {
    guard request.map(Self.isKnown) == true else {
      return (RegistrationReply(host: "", result: .refused, message: "this key is not enrolled: send 'enroll' first", enrolled: false), 64)
    }
    if let waiting = PendingRequests(settings: settings).all().first(where: { $0.key == key }) {
      return (RegistrationReply(host: waiting.host, result: .pending,
        message: "enrollment request pending: waiting for 'auto-monitor-server accept \(waiting.host)' (key \(key.fingerprint))",
        enrolled: false), 0)
    }
    return (RegistrationReply(host: "", result: .refused,
      message: "this key is not enrolled on this server: send 'enroll' first", enrolled: false), 2)
  }

  func register(_ host: String, input: (bytes: [UInt8], tooLarge: Bool)) -> (RegistrationReply, Int32) {
    guard !input.tooLarge else { return refuse(host, "payload larger than \(RegistrationPayload.maximumSize) bytes") }
    let payload: RegistrationPayload
    do { payload = try RegistrationPayload.parse(input.bytes) } catch { return refuse(host, "malformed payload: \(error)") }
    guard payload.host.lowercased() == host.lowercased() else {
      return refuse(host, "payload names host '\(Self.printable(payload.host))' but this key is bound to \(host)")
    }
    var accepted: [RegisteredService] = []
    var rejected: [RegistrationReply.Rejection] = []
    for service in payload.services {
      if !ServiceName.isValid(service.name) {
        rejected.append(.init(name: Self.printable(service.name), tag: Rule.invalidServiceName.tag,
          message: "service name must match [A-Za-z0-9][A-Za-z0-9._-]* (at most \(ServiceName.maximumLength) bytes)"))
        continue
      }
      if accepted.contains(where: { $0.name == service.name }) {
        rejected.append(.init(name: service.name, tag: Rule.duplicateSection.tag, message: "service '\(service.name)' is listed twice"))
        continue
      }
      let (definition, diagnostics) = ServiceDefinition.validate(
        name: service.name, type: service.type, params: service.params, source: service.source, hostName: host)
      if let definition {
        var kept = RegisteredService(definition)
        kept.source = Self.printable(service.source)
        accepted.append(kept)
      } else {
        let first = diagnostics.first { $0.severity >= .error } ?? diagnostics.first
        rejected.append(.init(name: service.name, tag: first?.rule.tag ?? "monitoring-info-invalid-value",
          message: first?.message ?? "invalid service"))
      }
    }
    let stored = RegistrationPayload(host: host, services: accepted, sourceAddress: sourceAddress)
    let registration = Array((stored.serialized + "\n").utf8)
    let store = RegistrationStore(settings: settings)
    let names = accepted.map(\.name)
    if store.read(host) == registration {
      return (answer(host, .unchanged, accepted: names, rejected: rejected, message: "registration unchanged"), 0)
    }
    do {
      try store.store(host, registration: registration)
      try store.requestApply()
    } catch { return refuse(host, "server error: \(error)") }
    return (answer(host, .stored, accepted: names, rejected: rejected,
      message: "stored \(names.count) service(s); \(settings.monitoringSystem) applies them shortly"), 0)
  }

  /// The host leaves (its client is purged): registration, key and requests go, so only a new
  /// enrollment brings it back.
  func deregister(_ host: String) -> (RegistrationReply, Int32) {
    do { try HostRecord(settings: settings, host: host).forget() } catch { return refuse(host, "server error: \(error)") }
    return (RegistrationReply(host: host, result: .stored,
      message: "forgot \(host) and its key; its services leave \(settings.monitoringSystem) shortly (enroll again to come back)"), 0)
  }

  func status(_ host: String) -> (RegistrationReply, Int32) {
    guard let payload = RegistrationStore(settings: settings).payload(host) else {
      return (answer(host, .unchanged, message: "enrolled; nothing registered"), 0)
    }
    return (answer(host, .unchanged, accepted: payload.services.map(\.name), message: "registered"), 0)
  }

  func enrollBound(_ host: String, input: (bytes: [UInt8], tooLarge: Bool)) -> (RegistrationReply, Int32) {
    if let request = try? EnrollmentRequest.parse(input.bytes), request.host.lowercased() != host.lowercased() {
      return refuse(host, "this key is bound to \(host), not '\(Self.printable(request.host))'")
    }
    return (RegistrationReply(host: host, result: .stored, message: "already enrolled as \(host)"), 0)
  }

  func enrollUnbound(key: SSHPublicKey, input: (bytes: [UInt8], tooLarge: Bool)) -> (RegistrationReply, Int32) {
    guard !input.tooLarge || input.bytes.count <= EnrollmentRequest.maximumSize else {
      return refuse("", "enrollment request larger than \(EnrollmentRequest.maximumSize) bytes")
    }
    let request: EnrollmentRequest
    do { request = try EnrollmentRequest.parse(input.bytes) } catch { return refuse("", "malformed enrollment request: \(error)") }
    let host = request.host.lowercased()
    guard HostName.isValid(host) else { return refuse("", "'\(Self.printable(request.host))' is not a valid host name") }
    do {
      if let ticket = request.ticket, Tickets(settings: settings).isValid(ticket, for: host) {
        try KeyBindings(settings: settings).bind(key, to: host)
        return (RegistrationReply(host: host, result: .stored, message: "enrolled with a ticket: this key is now bound to \(host)"), 0)
      }
      switch try PendingRequests(settings: settings).file(host: host, key: key) {
      case .full:
        return refuse(host, "too many pending enrollment requests; ask the administrator to accept or reject some")
      case .filed:
        let note = request.ticket == nil ? "" : " (the ticket was not valid for \(host))"
        return (RegistrationReply(host: host, result: .pending,
          message: "enrollment request filed\(note): waiting for 'auto-monitor-server accept \(host)' (key \(key.fingerprint))"), 0)
      }
    } catch { return refuse(host, "server error: \(error)") }
  }

  /// The reply for a bound host. When the monitoring system refused this host's configuration
  /// (quarantined), the reply says why, in `quarantined` and in place of `message`.
  func answer(
    _ host: String, _ result: RegistrationReply.Result, accepted: [String] = [], rejected: [RegistrationReply.Rejection] = [],
    message: String
  ) -> RegistrationReply {
    let reason = (try? FileReader.read(settings.quarantine + "/" + host + ".reason", limit: 65536))
      .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace }
    return RegistrationReply(host: host, result: result, accepted: accepted, rejected: rejected,
      message: reason.map { "quarantined: \(settings.monitoringSystem) refused this host's configuration: " + $0 } ?? message,
      quarantined: reason)
  }

  func refuse(_ host: String, _ message: String, status: Int32 = 2) -> (RegistrationReply, Int32) {
    (RegistrationReply(host: host, result: .refused, message: message), status)
  }

  /// A client string fit for a message: printable ASCII only, at most 200 bytes.
  static func printable(_ text: String) -> String {
    var out = String(String.UnicodeScalarView(text.unicodeScalars.prefix(200).map {
      $0.value >= 0x20 && $0.value < 0x7F ? $0 : "?"
    }))
    if text.unicodeScalars.count > 200 { out += "..." }
    return out
  }
}
