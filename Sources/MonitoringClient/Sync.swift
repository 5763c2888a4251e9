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
    /// The server holds this payload already; nothing was sent.
    case unchanged
    /// An earlier attempt with this payload failed and its retry is not due yet.
    case waiting(until: Int)
    case sent(RegistrationReply)
  }

  public enum Mode: Sendable { case always, ifChanged, retry }

  /// Runs under the state lock. Failures are recorded and rethrown.
  public func run(mode: Mode = .ifChanged) throws(ClientError) -> (FragmentCollection, Outcome) {
    let lock = store.lock()
    defer { if let lock { close(lock) } }
    var state = loadState()
    let collection: FragmentCollection
    do { collection = try collect() } catch {
      record(&state) { $0.recordFailure(error.description, digest: nil, now: Clock.now()) }
      throw error
    }
    let body = Array(collection.payload(host: host).serialized.utf8)
    let digest = SHA256.hex(body)
    let server = transport.destination
    if mode != .always, state.acceptedDigest == digest, state.acceptedBy == server, !state.isPending {
      // A note left while the state directory could not be written goes once it can be.
      if state.lastError != nil { record(&state) { $0.lastError = nil; $0.lastErrorTime = nil } }
      return (collection, .unchanged)
    }
    if mode == .retry, state.isPending, state.attemptedDigest == digest, let due = state.nextRetry, due > Clock.now() {
      return (collection, .waiting(until: due))
    }
    if body.count > RegistrationPayload.maximumSize {
      let error = ClientError.usage("the payload is \(body.count) bytes, more than the \(RegistrationPayload.maximumSize) the server reads")
      record(&state) { $0.recordFailure(error.description, digest: digest, now: Clock.now()) }
      throw error
    }
    let reply: RegistrationReply
    do { reply = try transport.send(request: "register", body: body) } catch {
      record(&state) { $0.recordFailure(error.description, digest: digest, now: Clock.now()) }
      throw error
    }
    switch reply.result {
    case .stored, .unchanged:
      record(&state) { $0.recordAccepted(reply, digest: digest, by: server, now: Clock.now()) }
    case .pending:
      let message = "enrollment of \(host) is pending on the server: have it accepted there ('auto-monitor-server accept \(host)')"
      record(&state) {
        $0.reply = reply
        $0.recordFailure(message, digest: digest, now: Clock.now())
      }
      throw .server(message)
    case .refused:
      let message = "refused: \(reply.message.isEmpty ? "no reason given" : reply.message)"
      record(&state) {
        $0.reply = reply
        $0.recordFailure(message, digest: digest, now: Clock.now())
      }
      throw .server(message)
    }
    return (collection, .sent(reply))
  }

  /// Tells the server to forget this host; the accepted digest goes, so a later sync sends all.
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

  private func record(_ state: inout ClientState, _ change: (inout ClientState) -> Void) {
    change(&state)
    do {
      try store.save(state)
      unlink(fallbackDirectory + "/" + ClientState.fileName)
    } catch {
      var noted = state
      if noted.lastError == nil {
        noted.lastError = error.description
        noted.lastErrorTime = Clock.now()
      } else {
        noted.lastError! += "; and the state could not be saved: \(error.description)"
      }
      try? StateStore(directory: fallbackDirectory).save(noted)
    }
  }
}
