import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// One client run: collect, build the payload, and send it when it differs from the last one
/// the server accepted; every outcome is recorded for `--status` and the retry.
public struct Sync: Sendable {
  public let paths: ClientPaths
  public let configuration: ClientConfiguration
  public let store: StateStore
  public let host: String

  /// `host` defaults to the configured or system name, looked up only when a server is
  /// configured: without one the client touches nothing, not even the resolver.
  public init(paths: ClientPaths, configuration: ClientConfiguration, host: String? = nil) {
    self.paths = paths
    self.configuration = configuration
    self.store = StateStore(directory: paths.stateDirectory)
    self.host = host ?? (configuration.isConfigured ? HostIdentity.name(configured: configuration.host) : configuration.host ?? "")
  }

  public var transport: SSHTransport {
    SSHTransport(configuration: configuration, store: store, fallbackKnownHosts: fallbackDirectory + "/known_hosts")
  }

  public func collect() throws(ClientError) -> FragmentCollection {
    try FragmentCollector(paths: paths, exclude: configuration.exclude, hostName: host).collect()
  }

  public enum Outcome: Sendable, Equatable {
    /// The server holds this payload as far as the client knows; nothing was sent or asked.
    case unchanged
    /// The server said (`status`) that it holds this registration; nothing was sent.
    case confirmed(RegistrationReply)
    /// An earlier attempt with this payload failed and its retry is not due yet.
    case waiting(until: Int)
    case sent(RegistrationReply)
  }

  /// `always`: `--force` and after an enrollment. `ifChanged`: a sync by hand; an unchanged
  /// payload costs one `status` round trip to confirm the server still holds it. `retry`: the
  /// systemd units; respects the backoff, and confirms an unchanged payload once a day.
  /// `trigger`: the dpkg trigger's detached run; without a change it never touches the network.
  public enum Mode: Sendable { case always, ifChanged, retry, trigger }

  /// Runs under the state lock. Failures are recorded and rethrown.
  public func run(mode: Mode = .ifChanged) throws(ClientError) -> (FragmentCollection, Outcome) {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    let collection: FragmentCollection
    do { collection = try collect() } catch {
      record(&state) { $0.recordFailure(error.description, digest: nil, now: SystemClock.now()) }
      throw error
    }
    let body = Array(collection.payload(host: host).serialized.utf8)
    let digest = SHA256.hex(body)
    let server = transport.destination
    if mode != .always, state.acceptedDigest == digest, state.acceptedBy == server, !state.isPending {
      // A note left while the state directory could not be written goes once it can be.
      if state.lastError != nil { record(&state) { $0.lastError = nil; $0.lastErrorTime = nil } }
      let confirmed = state.lastConfirmed ?? state.lastSuccess ?? 0
      guard mode == .ifChanged || (mode == .retry && SystemClock.now() - confirmed >= ClientState.confirmationInterval) else {
        return (collection, .unchanged)
      }
      // Does the server still hold it? A re-installed server knows nothing of this host.
      let reply = try exchange(&state, request: "status", body: [], digest: digest)
      state.lastConfirmed = SystemClock.now()
      state.enrolledWith = server
      state.reply?.quarantined = reply.quarantined
      if Set(reply.accepted) == Set(state.reply?.accepted ?? []) {
        record(&state) { _ in }
        return (collection, .confirmed(reply))
      }
      // The server holds another list (it lost the registration, or its copy was changed):
      // the registration goes again.
    }
    if mode == .retry || mode == .trigger, state.isPending, state.attemptedDigest == digest, let due = state.nextRetry,
      due > SystemClock.now()
    {
      return (collection, .waiting(until: due))
    }
    if body.count > RegistrationPayload.maximumSize {
      let error = ClientError.usage("the payload is \(body.count) bytes, more than the \(RegistrationPayload.maximumSize) the server reads")
      record(&state) { $0.recordFailure(error.description, digest: digest, now: SystemClock.now()) }
      throw error
    }
    let reply = try exchange(&state, request: "register", body: body, digest: digest)
    switch reply.result {
    case .stored, .unchanged:
      record(&state) { $0.recordAccepted(reply, digest: digest, by: server, now: SystemClock.now()) }
    case .pending, .refused, .busy:
      // A bound key is never pending (exchange handled the unbound ones) nor refused here; a
      // busy server was thrown by the transport.
      let message = "unexpected answer '\(reply.result.rawValue)' to register: \(reply.message)"
      record(&state) {
        $0.reply = reply
        $0.recordFailure(message, digest: digest, now: SystemClock.now())
      }
      throw .server(message)
    }
    return (collection, .sent(reply))
  }

  /// One request to the server. A transport failure, a refusal and a key the server does not
  /// know are recorded and thrown; what comes back is an answer for an enrolled key.
  private func exchange(
    _ state: inout ClientState, request: String, body: [UInt8], digest: String, enrolledAgain: Bool = false
  ) throws(ClientError) -> RegistrationReply {
    let reply: RegistrationReply
    do { reply = try transport.send(request: request, body: body) } catch {
      if case .busy = error {
        record(&state) { $0.recordBusy(error.description, digest: digest, now: SystemClock.now()) }
      } else {
        record(&state) { $0.recordFailure(error.description, digest: digest, now: SystemClock.now()) }
      }
      throw error
    }
    if !reply.enrolled {
      try notEnrolled(reply, &state, digest: digest)
      // The key was bound again (only a server that binds without a ticket does that).
      guard !enrolledAgain else { throw .server("the server bound this key but does not take it: \(reply.message)") }
      return try exchange(&state, request: request, body: body, digest: digest, enrolledAgain: true)
    }
    if reply.result == .refused {
      let message = "refused: \(reply.message.isEmpty ? "no reason given" : reply.message)"
      record(&state) {
        $0.reply = reply
        $0.recordFailure(message, digest: digest, now: SystemClock.now())
      }
      throw .server(message)
    }
    return reply
  }

  var pendingMessage: String {
    "enrollment of \(host) is pending on the server: have it accepted there ('auto-monitor-server accept \(host)')"
  }

  /// The server does not know this key (`"enrolled": false`). When its request waits there,
  /// that is recorded; when the server knew the host and forgot it (re-installed), the request
  /// is filed again, so its administrator only has to accept it; a request of this client that
  /// vanished (rejected) is not. Returns only when the key is bound again.
  private func notEnrolled(_ reply: RegistrationReply, _ state: inout ClientState, digest: String) throws(ClientError) {
    let now = SystemClock.now()
    let server = transport.destination
    let knewThisHost = state.enrolledWith == server || state.acceptedBy == server
    // Whatever the server held of this host is gone: the next change is sent in full.
    state.acceptedDigest = nil
    state.acceptedBy = nil
    state.lastConfirmed = nil
    state.reply = reply
    if reply.result == .pending {
      if state.enrollment != .pending { state.enrollmentFiled = state.enrollmentFiled ?? now }
      state.enrollment = .pending
      let message = pendingMessage
      record(&state) { $0.recordPending(message, digest: digest, now: now) }
      throw .enrollmentPending(message)
    }
    if knewThisHost && state.enrollment != .pending {
      state.enrolledWith = server
      state.forgotten = state.forgotten ?? now
      let what = "\(server) no longer knows this host's key (was the server re-installed, or the host forgotten there?)"
      let filed: RegistrationReply
      do { filed = try Enrollment(sync: self).file(ticket: nil) } catch {
        record(&state) { $0.recordFailure("\(what); filing the enrollment request again failed: \(error)", digest: digest, now: now) }
        throw error
      }
      switch filed.result {
      case .pending:
        state.enrollment = .pending
        state.enrollmentFiled = now
        state.reply = filed
        let message = "\(what): its enrollment request is filed again; on the server run 'auto-monitor-server accept \(host)', then it registers by itself"
        record(&state) { $0.recordPending(message, digest: digest, now: now) }
        throw .enrollmentPending(message)
      case .stored, .unchanged:
        state.enrollment = nil
        return
      case .refused, .busy:
        state.enrollment = .notEnrolled
        let message = "\(what); filing the enrollment request again was refused: \(filed.message.isEmpty ? "no reason given" : filed.message)"
        record(&state) { $0.recordFailure(message, digest: digest, now: now) }
        throw .server(message)
      }
    }
    let vanished = state.enrollment == .pending
    state.enrollment = .notEnrolled
    // A request that vanished was rejected (or the server forgot it): never filed again unasked.
    if vanished { state.enrolledWith = nil }
    let message = vanished
      ? "the enrollment request of \(host) is no longer on \(server) (rejected there?): run 'monitoring-info-sync enroll' to file it again"
      : "this host's key is not enrolled with \(server): run 'monitoring-info-sync enroll' and have the request accepted there"
    record(&state) { $0.recordFailure(message, digest: digest, now: now) }
    throw .server(message)
  }

  /// `monitoring-info-sync enroll`: files the request (with a ticket the key is bound at once)
  /// and records the answer. Throws on a refusal.
  public func enroll(ticket: String?) throws(ClientError) -> RegistrationReply {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    let now = SystemClock.now()
    let reply: RegistrationReply
    do { reply = try Enrollment(sync: self).file(ticket: ticket) } catch {
      record(&state) { $0.recordFailure(error.description, digest: nil, now: now) }
      throw error
    }
    switch reply.result {
    case .pending:
      let message = pendingMessage
      record(&state) {
        $0.enrollment = .pending
        $0.enrollmentFiled = now
        $0.reply = reply
        $0.recordPending(message, digest: nil, now: now)
      }
    case .stored, .unchanged:
      record(&state) {
        $0.enrollment = nil
        $0.enrolledWith = transport.destination
        $0.forgotten = nil
      }
    case .refused, .busy:
      let message = "enrollment refused: \(reply.message.isEmpty ? "no reason given" : reply.message)"
      record(&state) { $0.recordFailure(message, digest: nil, now: now) }
      throw .server(message)
    }
    return reply
  }

  /// How often (seconds) and how long after a request was filed by hand the client asks whether
  /// it was accepted, so it registers within seconds of `auto-monitor-server accept`.
  public static let acceptancePollInterval: UInt32 = 5
  public static let acceptanceWindow = 600

  /// The waiter started after a request was filed by hand: asks the server every few seconds
  /// (`status`, no payload) while the request is pending, and registers once it is accepted.
  /// Stops when the window ends, when the server cannot be reached (the timer goes on), and when
  /// the state no longer says pending (another run registered, or the request is gone).
  public static func awaitAcceptance(paths: ClientPaths) {
    let store = StateStore(directory: paths.stateDirectory)
    guard let lock = store.tryLock("await.lock") else { return }
    defer { close(lock) }
    let deadline = SystemClock.monotonic() + Double(acceptanceWindow)
    while SystemClock.monotonic() < deadline {
      sleep(acceptancePollInterval)
      guard let configuration = try? ClientConfiguration.load(paths.configuration), configuration.isConfigured else { return }
      let sync = Sync(paths: paths, configuration: configuration)
      guard sync.loadState().enrollment == .pending else { return }
      guard let reply = try? sync.transport.send(request: "status", body: []) else { return }
      if !reply.enrolled && reply.result == .pending { continue }
      // Accepted (or the request is gone): the sync registers, or records why not.
      _ = try? sync.run(mode: .always)
      return
    }
  }

  /// Tells the server to forget this host (and its key): the state starts afresh, so a later
  /// sync neither takes the registration for held nor files an enrollment request unasked.
  public func deregister() throws(ClientError) -> RegistrationReply {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    let body = Array(RegistrationPayload(host: host, services: []).serialized.utf8)
    let reply = try transport.send(request: "deregister", body: body)
    guard reply.result != .refused else { throw .server("refused: \(reply.message)") }
    record(&state) {
      $0 = ClientState()
      $0.reply = reply
    }
    return reply
  }

  /// The state as recorded, or the fallback copy under /run when the state directory could
  /// not be written (read-only, full) and that copy is newer.
  public func loadState() -> ClientState {
    let state = store.load()
    let fallback = StateStore(directory: fallbackDirectory).load()
    let stamp = { (s: ClientState) in max(s.lastAttempt ?? 0, s.lastErrorTime ?? 0) }
    return stamp(fallback) > stamp(state) ? fallback : state
  }

  /// Where a failure goes when the state directory refuses it: /run is a tmpfs on every
  /// Debian system, so a full or read-only /var does not hide the error from `--status`.
  public var fallbackDirectory: String { paths.prefixed("/run/auto-monitor-client") }

  func record(_ state: inout ClientState, _ change: (inout ClientState) -> Void) {
    change(&state)
    do {
      try store.save(state)
      unlink(fallbackDirectory + "/" + ClientState.fileName)
    } catch {
      var noted = state
      if noted.lastError == nil {
        noted.lastError = error.description
        noted.lastErrorTime = SystemClock.now()
      } else {
        noted.lastError! += "; and the state could not be saved: \(error.description)"
      }
      try? StateStore(directory: fallbackDirectory).save(noted)
    }
  }
}
