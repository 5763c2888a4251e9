import MonitoringInfo

/// What `--status` says: where this host registers, whether the server takes its key, what the
/// server holds and since when, what was rejected and why, a quarantine, the last error and the
/// pending retry, and what would be sent now.
public struct StatusReport: Sendable {
  public var configured: Bool
  public var destination: String?
  public var host: String
  public var serverKeyFingerprint: String?
  public var state: ClientState
  public var collection: FragmentCollection?
  public var collectionError: String?
  public var stateProblem: String?
  public var configurationWarnings: [String]
  /// The payload that would be sent now differs from the accepted one.
  public var changedSinceAccepted: Bool

  public init(sync: Sync) {
    let configuration = sync.configuration
    configured = configuration.isConfigured
    host = configured ? sync.host : ""
    destination = configured ? sync.transport.destination : nil
    serverKeyFingerprint = configuration.serverKey.flatMap { SSHPublicKey.Pin($0)?.fingerprint }
    configurationWarnings = configuration.warnings
    state = sync.loadState()
    changedSinceAccepted = false
    guard configured else { return }
    do {
      let collection = try sync.collect()
      self.collection = collection
      let digest = SHA256.hex(Array(collection.payload(host: host).serialized.utf8))
      changedSinceAccepted = digest != state.acceptedDigest || state.acceptedBy != destination
    } catch {
      collectionError = error.description
    }
    stateProblem = sync.store.writeProblem()
  }

  /// `enrolled`, `pending`, `not-enrolled`, or nil when this server never answered about the key.
  public var enrollment: String? {
    if let enrollment = state.enrollment { return enrollment.rawValue }
    return state.enrolledWith == destination || state.acceptedBy == destination ? "enrolled" : nil
  }

  /// Why the server's monitoring system refused this host's configuration, as it last said.
  public var quarantined: String? {
    guard let reply = state.reply, reply.result == .stored || reply.result == .unchanged else { return nil }
    return reply.quarantined
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = ["configured": .bool(configured)]
    guard configured else { return .object(members) }
    members["server"] = .string(destination ?? "")
    members["host"] = .string(host)
    if let serverKeyFingerprint { members["server_key_fingerprint"] = .string(serverKeyFingerprint) }
    if let time = state.lastSuccess { members["last_success"] = .string(SystemClock.iso8601(time)) }
    if let time = state.lastAttempt { members["last_attempt"] = .string(SystemClock.iso8601(time)) }
    members["registered"] = .array((state.reply?.accepted ?? []).map { .string($0) })
    members["rejected"] = .array((state.reply?.rejected ?? []).map {
      .object(["name": .string($0.name), "tag": .string($0.tag), "message": .string($0.message)])
    })
    if let result = state.reply?.result { members["last_result"] = .string(result.rawValue) }
    members["enrollment"] = enrollment.map { .string($0) } ?? .null
    if let time = state.enrollmentFiled, state.enrollment == .pending { members["enrollment_filed"] = .string(SystemClock.iso8601(time)) }
    members["forgotten_by_server"] = state.forgotten.map { .string(SystemClock.iso8601($0)) } ?? .null
    members["quarantined"] = quarantined.map { .string($0) } ?? .null
    if let time = state.lastConfirmed { members["last_confirmed"] = .string(SystemClock.iso8601(time)) }
    members["last_error"] = state.lastError.map { .string($0) } ?? .null
    if let time = state.lastErrorTime { members["last_error_time"] = .string(SystemClock.iso8601(time)) }
    members["server_busy"] = state.serverBusy.map { .string(SystemClock.iso8601($0)) } ?? .null
    members["pending_retry"] = state.isPending ? .string(SystemClock.iso8601(state.nextRetry ?? SystemClock.now())) : .null
    members["failures"] = .number(state.failures)
    members["changed_since_accepted"] = .bool(changedSinceAccepted)
    if let collection {
      members["local_services"] = .array(collection.services.map { .string($0.name) })
      members["omitted"] = .array(collection.omissions.map { .object(["subject": .string($0.subject), "reason": .string($0.reason)]) })
      members["findings"] = .array(collection.findings.map { .string("\($0.severity.rawValue): \($0.gnuDescription) [\($0.tag)]") })
    }
    if let collectionError { members["collection_error"] = .string(collectionError) }
    members["state_problem"] = stateProblem.map { .string($0) } ?? .null
    if !configurationWarnings.isEmpty { members["configuration_warnings"] = .array(configurationWarnings.map { .string($0) }) }
    return .object(members)
  }

  public var text: String {
    guard configured else {
      return "No registration server configured (set 'server' in /etc/auto-monitor/client.conf); nothing is sent.\n"
    }
    var lines: [String] = []
    lines.append("server:       \(destination ?? "")" + (serverKeyFingerprint.map { " (host key \($0))" } ?? " (server_key not set)"))
    lines.append("host:         \(host)")
    switch state.enrollment {
    case .pending:
      lines.append("enrollment:   pending" + (state.enrollmentFiled.map { " since " + SystemClock.iso8601($0) } ?? "")
        + ": waiting for 'auto-monitor-server accept \(host)' on the server")
    case .notEnrolled:
      lines.append("enrollment:   not enrolled: run 'monitoring-info-sync enroll' and have the request accepted on the server")
    case nil: break
    }
    if let time = state.forgotten {
      lines.append("forgotten:    at \(SystemClock.iso8601(time)) the server no longer knew this host's key (re-installed, or the host forgotten there)")
    }
    let succeeded = state.reply.map { $0.result == .stored || $0.result == .unchanged } ?? false
    lines.append("last success: " + (state.lastSuccess.map { SystemClock.iso8601($0) + (succeeded ? " (\(state.reply!.result.rawValue))" : "") } ?? "never"))
    let accepted = state.reply?.accepted ?? []
    lines.append("registered:   " + (accepted.isEmpty ? "none" : accepted.joined(separator: ", ")))
    for rejection in state.reply?.rejected ?? [] {
      lines.append("rejected:     \(rejection.name): \(rejection.message) [\(rejection.tag)]")
    }
    if let quarantined {
      lines.append("quarantined:  \(quarantined)")
      lines.append("              (stored on the server but not live in the monitoring system until its administrator fixes the cause)")
    }
    if let time = state.lastConfirmed { lines.append("confirmed:    \(SystemClock.iso8601(time)) (the server said it holds this registration)") }
    if let error = state.lastError {
      lines.append("last error:   " + (state.lastErrorTime.map { SystemClock.iso8601($0) + " " } ?? "") + error)
    } else {
      lines.append("last error:   none")
    }
    if let time = state.serverBusy {
      lines.append("busy:         at \(SystemClock.iso8601(time)) the server was busy (too many hosts registering at once); "
        + "next attempt after \(SystemClock.iso8601(state.nextRetry ?? time))")
    }
    if state.isPending {
      lines.append("retry:        pending, attempt \(state.failures + 1) after \(SystemClock.iso8601(state.nextRetry ?? SystemClock.now()))")
    }
    if let collection {
      let names = collection.services.map(\.name)
      lines.append("local:        \(names.count) service\(names.count == 1 ? "" : "s")" + (names.isEmpty ? "" : ": " + names.joined(separator: ", "))
        + (changedSinceAccepted ? " (not yet registered)" : " (registered as is)"))
      for omission in collection.omissions { lines.append("left out:     \(omission.subject): \(omission.reason)") }
      for finding in collection.findings { lines.append("finding:      \(finding.severity.rawValue): \(finding.gnuDescription) [\(finding.tag)]") }
      for failure in collection.failures { lines.append("unreadable:   \(failure)") }
    }
    if let collectionError { lines.append("error:        \(collectionError)") }
    if let stateProblem { lines.append("state:        cannot write: \(stateProblem)") }
    for warning in configurationWarnings { lines.append("warning:      \(warning)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
