import MonitoringInfo

/// What `--status` says: where this host registers, what the server holds and since when, what
/// was rejected and why, the last error and the pending retry, and what would be sent now.
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
    serverKeyFingerprint = configuration.serverKey.flatMap { HostKey.Pin($0)?.fingerprint }
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

  public var json: JSONValue {
    var members: [String: JSONValue] = ["configured": .bool(configured)]
    guard configured else { return .object(members) }
    members["server"] = .string(destination ?? "")
    members["host"] = .string(host)
    if let serverKeyFingerprint { members["server_key_fingerprint"] = .string(serverKeyFingerprint) }
    if let time = state.lastSuccess { members["last_success"] = .string(Clock.iso8601(time)) }
    if let time = state.lastAttempt { members["last_attempt"] = .string(Clock.iso8601(time)) }
    members["registered"] = .array((state.reply?.accepted ?? []).map { .string($0) })
    members["rejected"] = .array((state.reply?.rejected ?? []).map {
      .object(["name": .string($0.name), "tag": .string($0.tag), "message": .string($0.message)])
    })
    if let result = state.reply?.result { members["last_result"] = .string(result.rawValue) }
    members["last_error"] = state.lastError.map { .string($0) } ?? .null
    if let time = state.lastErrorTime { members["last_error_time"] = .string(Clock.iso8601(time)) }
    members["pending_retry"] = state.isPending ? .string(Clock.iso8601(state.nextRetry ?? Clock.now())) : .null
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
    lines.append("last success: " + (state.lastSuccess.map { Clock.iso8601($0) + (state.reply.map { " (\($0.result.rawValue))" } ?? "") } ?? "never"))
    let accepted = state.reply?.accepted ?? []
    lines.append("registered:   " + (accepted.isEmpty ? "none" : accepted.joined(separator: ", ")))
    for rejection in state.reply?.rejected ?? [] {
      lines.append("rejected:     \(rejection.name): \(rejection.message) [\(rejection.tag)]")
    }
    if let error = state.lastError {
      lines.append("last error:   " + (state.lastErrorTime.map { Clock.iso8601($0) + " " } ?? "") + error)
    } else {
      lines.append("last error:   none")
    }
    if state.isPending {
      lines.append("retry:        pending, attempt \(state.failures + 1) after \(Clock.iso8601(state.nextRetry ?? Clock.now()))")
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
