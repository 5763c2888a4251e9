import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// What the client remembers in its state directory (`state.json`, mode 0600): the digest of
/// the last payload the server accepted and for which server, the server's last reply, the last
/// error and when the next retry is due, and what the server said about this host's key.
/// `--status` reads it.
public struct ClientState: Sendable, Equatable {
  /// What the server said about this host's key when it was not plainly enrolled.
  public enum Enrollment: String, Sendable {
    /// The server holds this key's enrollment request: waiting for `auto-monitor-server accept`.
    case pending
    /// The server knows neither the key nor a request for it.
    case notEnrolled = "not-enrolled"
  }

  /// `user@server:port` the accepted digest belongs to: a new server gets the payload again.
  public var acceptedBy: String?
  public var acceptedDigest: String?
  public var lastSuccess: Int?
  public var lastAttempt: Int?
  /// The digest of the payload of the last attempt (accepted or not), for the retry backoff.
  public var attemptedDigest: String?
  public var lastError: String?
  public var lastErrorTime: Int?
  public var failures = 0
  public var nextRetry: Int?
  public var reply: RegistrationReply?
  /// nil while the server takes this key (or nobody asked yet).
  public var enrollment: Enrollment?
  /// When this client last filed an enrollment request (by hand or by itself).
  public var enrollmentFiled: Int?
  /// `user@server:port` whose server bound this key: when that server no longer knows it (a
  /// re-installed server), the client files its enrollment request again by itself.
  public var enrolledWith: String?
  /// When the client found that the server no longer knew its key although it had been
  /// registered there; cleared by the next accepted registration.
  public var forgotten: Int?
  /// When the server last said it holds what this client thinks (a register or status reply).
  public var lastConfirmed: Int?
  /// When the last attempt found the server busy (ServerBusy); cleared by any other outcome.
  public var serverBusy: Int?

  public init() {}

  public static let fileName = "state.json"

  public var isPending: Bool { failures > 0 }

  /// A pending enrollment is retried this often (seconds), whatever the number of attempts: the
  /// administrator may accept it any moment. Shorter than the timer's period, so every run of
  /// the timer asks.
  public static let pendingEnrollmentInterval = 30

  /// The timer's run asks the server this often (seconds) whether it still holds the
  /// registration, so a re-installed server is noticed without anyone touching the client.
  public static let confirmationInterval = 86_400

  /// A pending enrollment: counted as an attempt, retried after `pendingEnrollmentInterval`.
  public mutating func recordPending(_ message: String, digest: String?, now: Int) {
    recordFailure(message, digest: digest, now: now)
    nextRetry = now + Self.pendingEnrollmentInterval
  }

  /// Retry after 1, 2, 4, ... minutes, at most an hour apart (before the jitter).
  public static func backoff(afterFailures failures: Int) -> Int {
    min(60 << min(max(failures - 1, 0), 6), 3600)
  }

  /// The backoff moved at random by up to a quarter either way (45 to 75 s after the first
  /// failure), so that hosts which failed together do not retry in the same second.
  public static func jitteredBackoff<G: RandomNumberGenerator>(afterFailures failures: Int, using generator: inout G) -> Int {
    Jitter.spread(backoff(afterFailures: failures), using: &generator)
  }

  public mutating func recordFailure(_ message: String, digest: String?, now: Int) {
    var generator = SystemRandomNumberGenerator()
    recordFailure(message, digest: digest, now: now, using: &generator)
  }

  public mutating func recordFailure<G: RandomNumberGenerator>(_ message: String, digest: String?, now: Int, using generator: inout G) {
    failures += 1
    lastError = message
    lastErrorTime = now
    lastAttempt = now
    attemptedDigest = digest
    serverBusy = nil
    nextRetry = now + Self.jitteredBackoff(afterFailures: failures, using: &generator)
  }

  /// A busy server: a failure like any other (counted, and retried after the jittered backoff
  /// unless the run retries sooner: `retry(at:)`), remembered as busy for `--status`.
  public mutating func recordBusy(_ message: String, digest: String?, now: Int) {
    recordFailure(message, digest: digest, now: now)
    serverBusy = now
  }

  public mutating func recordAccepted(_ reply: RegistrationReply, digest: String, by server: String, now: Int) {
    self.reply = reply
    acceptedBy = server
    acceptedDigest = digest
    attemptedDigest = digest
    lastSuccess = now
    lastAttempt = now
    lastError = nil
    lastErrorTime = nil
    failures = 0
    nextRetry = nil
    enrollment = nil
    enrolledWith = server
    forgotten = nil
    lastConfirmed = now
    serverBusy = nil
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = ["version": .number(1), "failures": .number(failures)]
    func put(_ key: String, _ value: String?) { if let value { members[key] = .string(value) } }
    func put(_ key: String, _ value: Int?) { if let value { members[key] = .number(value) } }
    put("accepted_by", acceptedBy)
    put("accepted_digest", acceptedDigest)
    put("attempted_digest", attemptedDigest)
    put("last_error", lastError)
    put("last_error_time", lastErrorTime)
    put("last_success", lastSuccess)
    put("last_attempt", lastAttempt)
    put("next_retry", nextRetry)
    put("enrollment", enrollment?.rawValue)
    put("enrollment_filed", enrollmentFiled)
    put("enrolled_with", enrolledWith)
    put("forgotten", forgotten)
    put("last_confirmed", lastConfirmed)
    put("server_busy", serverBusy)
    if let reply { members["reply"] = reply.json }
    return .object(members)
  }

  public init(json: JSONValue) {
    acceptedBy = json["accepted_by"]?.stringValue
    acceptedDigest = json["accepted_digest"]?.stringValue
    attemptedDigest = json["attempted_digest"]?.stringValue
    lastError = json["last_error"]?.stringValue
    lastErrorTime = json["last_error_time"]?.intValue
    lastSuccess = json["last_success"]?.intValue
    lastAttempt = json["last_attempt"]?.intValue
    nextRetry = json["next_retry"]?.intValue
    failures = json["failures"]?.intValue ?? 0
    enrollment = json["enrollment"]?.stringValue.flatMap(Enrollment.init(rawValue:))
    enrollmentFiled = json["enrollment_filed"]?.intValue
    enrolledWith = json["enrolled_with"]?.stringValue
    forgotten = json["forgotten"]?.intValue
    lastConfirmed = json["last_confirmed"]?.intValue
    serverBusy = json["server_busy"]?.intValue
    if let reply = json["reply"] { self.reply = try? RegistrationReply.parse(Array(reply.serialized.utf8)) }
  }
}

/// The state directory: `state.json`, the key, known_hosts and a lock serialising syncs.
public struct StateStore: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  public var statePath: String { directory + "/" + ClientState.fileName }
  public var keyPath: String { directory + "/id_ed25519" }
  public var knownHostsPath: String { directory + "/known_hosts" }

  /// The recorded state; an unreadable or damaged file is a fresh start (the next sync
  /// rewrites it), never a reason to stop.
  public func load() -> ClientState {
    guard let bytes = try? FileReader.read(statePath, limit: 4 << 20), let json = try? JSONValue.parse(bytes) else {
      return ClientState()
    }
    return ClientState(json: json)
  }

  public func save(_ state: ClientState) throws(ClientError) {
    try ensureDirectory()
    try Self.writeAtomically(Array((state.json.serialized + "\n").utf8), to: statePath, mode: 0o600)
  }

  /// Creates the directory (0700) and any missing parent (0755).
  public func ensureDirectory() throws(ClientError) {
    if mkdir(directory, 0o700) == 0 || errno == EEXIST { return }
    var path = ""
    for component in directory.split(separator: "/") {
      path += "/" + component
      if mkdir(path, path == directory ? 0o700 : 0o755) != 0 && errno != EEXIST {
        throw .state("cannot create \(path): \(errnoText())")
      }
    }
  }

  /// Why the directory cannot take a write right now (read-only, full), or nil.
  public func writeProblem() -> String? {
    let probe = directory + "/.write-test"
    do {
      try ensureDirectory()
      try Self.writeAtomically(Array(repeating: UInt8(ascii: "x"), count: 4096), to: probe, mode: 0o600)
      unlink(probe)
      return nil
    } catch {
      return error.description
    }
  }

  /// Takes the lock that serialises syncs (waits for a running one). The lock lives as long as
  /// the returned descriptor; nil when the directory cannot hold it.
  public func lock() -> Int32? {
    guard (try? ensureDirectory()) != nil else { return nil }
    let descriptor = open(directory + "/lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return nil }
    while flock(descriptor, LOCK_EX) != 0 {
      if errno != EINTR {
        close(descriptor)
        return nil
      }
    }
    return descriptor
  }

  /// Takes the lock `name` in the directory only if nobody holds it: the one waiter for an
  /// accepted enrollment. nil when it is held (or cannot be made).
  public func tryLock(_ name: String) -> Int32? {
    guard (try? ensureDirectory()) != nil else { return nil }
    let descriptor = open(directory + "/" + name, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return nil }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      return nil
    }
    return descriptor
  }

  /// AtomicFile's write in the client's error domain: a full disk or a crash leaves the old
  /// file whole.
  public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(ClientError) {
    do { try AtomicFile.write(bytes, to: path, mode: mode) } catch { throw .state(error.description) }
  }


}
