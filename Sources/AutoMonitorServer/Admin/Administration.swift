import Glibc
import MonitoringInfo

/// The administrator's commands (`auto-monitor-server`), each returning what to print in both
/// forms. Nothing here knows the monitoring system beyond the backend the settings name.
public struct Administration {
  public struct Output {
    public var text: String
    public var json: JSONValue
    public var status: Int32 = 0
    public init(text: String, json: JSONValue, status: Int32 = 0) {
      self.text = text
      self.json = json
      self.status = status
    }
  }

  public let settings: ServerSettings
  public init(settings: ServerSettings) {
    self.settings = settings
  }

  var backend: any MonitoringBackend { settings.backend.make() }

  var store: RegistrationStore { RegistrationStore(settings: settings) }
  var bindings: KeyBindings { KeyBindings(settings: settings) }
  var pending: PendingRequests { PendingRequests(settings: settings) }

  /// Which zone checks each host (Icinga 2; nil for Nagios, which has no zones). A host
  /// missing from a non-nil result is the master's.
  func placements() -> [String: HostPlacement]? {
    guard settings.backend == .icinga2 else { return nil }
    return (try? Placements.load(settings)) ?? [:]
  }

  static func zoneName(_ placement: HostPlacement) -> String { placement.checkingZone ?? "master" }

  public func list() -> Output {
    let now = Int(time(nil))
    let quarantined = ApplyStatus.load(settings)?["quarantined"]?.objectValue ?? [:]
    var rows: [JSONValue] = []
    var text = ""
    let hosts = Set(store.hosts()).union(bindings.hosts()).sorted()
    let placements = placements()
    for host in hosts {
      let services = store.payload(host)?.services.map(\.name) ?? []
      let modified = store.modified(host)
      let stale = modified.map { now - $0 > settings.staleDays * 86400 } ?? false
      var row: [String: JSONValue] = [
        "host": .string(host), "services": .array(services.map { .string($0) }), "stale": .bool(stale),
        "enrolled": .bool(bindings.key(of: host) != nil), "quarantined": .bool(quarantined[host] != nil),
      ]
      row["last_registration"] = modified.map { .number($0) } ?? .null
      let zone = placements.map { Self.zoneName($0[host] ?? .master) }
      if let zone { row["zone"] = .string(zone) }
      rows.append(.object(row))
      var flags: [String] = []
      if stale { flags.append("stale") }
      if quarantined[host] != nil { flags.append("quarantined") }
      if bindings.key(of: host) == nil { flags.append("no key") }
      if let modified {
        text += "\(host)  \(services.count) service(s): \(services.joined(separator: " "))"
        text += "  last registration: \(SystemClock.readable(modified))"
        if let zone { text += "  zone: \(zone)" }
      } else {
        text += "\(host)  enrolled, nothing registered yet"
      }
      text += flags.isEmpty ? "\n" : "  [\(flags.joined(separator: ", "))]\n"
    }
    let requests = pending.all()
    if !requests.isEmpty {
      text += "\npending enrollment requests (auto-monitor-server accept HOST | reject HOST):\n"
      for request in requests { text += "  \(request.host)  \(request.key.type) \(request.key.fingerprint)  since \(SystemClock.readable(request.time))\n" }
    }
    if hosts.isEmpty && requests.isEmpty { text = "no hosts registered and no pending enrollment requests\n" }
    return Output(text: text, json: .object(["hosts": .array(rows), "pending": .array(requests.map(Self.json))]))
  }

  public func show(_ host: String) -> Output {
    guard HostName.isValid(host) else { return invalid(host) }
    let payload = store.payload(host)
    let key = bindings.key(of: host)
    let requests = pending.all().filter { $0.host == host }
    let reason = ApplyStatus.load(settings)?["quarantined"]?[host]?.stringValue
    guard payload != nil || key != nil || !requests.isEmpty else {
      return Output(text: "\(host): unknown host\n", json: .object(["host": .string(host), "error": .string("unknown host")]), status: 3)
    }
    var text = "host: \(host)\n"
    text += "key: \(key.map { "\($0.type) \($0.fingerprint)" } ?? "none")\n"
    text += "last registration: \(store.modified(host).map(SystemClock.readable) ?? "never")\n"
    if let address = payload?.sourceAddress { text += "registered from: \(address)\n" }
    let placement = payload == nil ? nil : placements().map { $0[host] ?? .master }
    if let placement {
      text += "zone: \(Self.zoneName(placement)) (\(placement.reason))\n"
      if let endpoint = placement.commandEndpoint { text += "objects in the master zone; checks run on endpoint \(endpoint)\n" }
    }
    if let reason { text += "quarantined: \(reason)\n" }
    for request in requests { text += "pending key: \(request.key.type) \(request.key.fingerprint)\n" }
    let states = payload == nil ? [] : backend.serviceStates(host: host, settings: settings)
    var serviceJSON: [JSONValue] = []
    for service in payload?.services ?? [] {
      let state = states.first { $0.name == service.name }
      text += "service \(service.name): type \(service.type), from \(service.source); \(Self.describe(state))\n"
      var member = service.json.objectValue ?? [:]
      if let placement, placement.checkingZone != nil || !placement.masterServices.isEmpty {
        text += "    runs on: \(placement.runsOn(service: service.name))\n"
        member["runs_on"] = .string(placement.masterServices.contains(service.name) ? "master" : Self.zoneName(placement))
      }
      member["state"] = state.map { .string($0.state?.name ?? "PENDING") } ?? .null
      if let state { member["output"] = .string(state.output) }
      member["last_check"] = state?.lastCheck.map { .number($0) } ?? .null
      if let by = state?.checkedBy { member["checked_by"] = .string(by) }
      // Passwords are hidden in both forms: what show prints ends up in tickets and chats.
      let shown = service.params.map { name, value in
        (name, name.contains("password") || name.contains("secret") ? "(hidden)" : value)
      }.sorted { $0.0 < $1.0 }
      member["params"] = .object(Dictionary(uniqueKeysWithValues: shown.map { ($0.0, JSONValue.string($0.1)) }))
      serviceJSON.append(.object(member))
      for (name, value) in shown { text += "    \(name) = \(value)\n" }
    }
    var json: [String: JSONValue] = [
      "host": .string(host), "services": .array(serviceJSON), "pending": .array(requests.map(Self.json)),
    ]
    json["key"] = key.map { .object(["type": .string($0.type), "fingerprint": .string($0.fingerprint)]) } ?? .null
    json["quarantined"] = reason.map { .string($0) } ?? .null
    json["registered_from"] = payload?.sourceAddress.map { .string($0) } ?? .null
    if let placement {
      json["zone"] = .string(Self.zoneName(placement))
      json["zone_reason"] = .string(placement.reason)
    }
    return Output(text: text, json: .object(json))
  }

  /// Binds the pending key of HOST. With several pending keys for one name the administrator
  /// names the one to accept by fingerprint.
  public func accept(_ host: String, fingerprint: String?) -> Output {
    guard HostName.isValid(host) else { return invalid(host) }
    var candidates = pending.all().filter { $0.host == host }
    if let fingerprint { candidates = candidates.filter { $0.key.fingerprint == fingerprint } }
    guard let chosen = candidates.first else {
      return failure("no pending enrollment request for \(host)\(fingerprint.map { " with key \($0)" } ?? "")", status: 3)
    }
    guard candidates.count == 1 else {
      let keys = candidates.map { "  \($0.key.fingerprint)" }.joined(separator: "\n")
      return failure("\(candidates.count) keys ask to enroll as \(host); accept one with --key FINGERPRINT:\n\(keys)", status: 1)
    }
    do { try bindings.bind(chosen.key, to: host) } catch { return failure("\(error)") }
    // The client learns of it at its next retry; the administrator may not want to wait.
    let text = """
      accepted \(host) (\(chosen.key.fingerprint))
      \(host) registers at its next retry (within about a minute), or at once with 'monitoring-info-sync' run on \(host)

      """
    return Output(text: text,
      json: .object(["host": .string(host), "accepted": .string(chosen.key.fingerprint)]))
  }

  public func reject(_ host: String) -> Output {
    guard HostName.isValid(host) else { return invalid(host) }
    let requests = pending.all().filter { $0.host == host }
    guard !requests.isEmpty else { return failure("no pending enrollment request for \(host)", status: 3) }
    do { for request in requests { try pending.remove(request) } } catch { return failure("\(error)") }
    return Output(text: "rejected \(requests.count) request(s) for \(host)\n",
      json: .object(["host": .string(host), "rejected": .number(requests.count)]))
  }

  public func ticket(_ host: String) -> Output {
    guard HostName.isValid(host.lowercased()) else { return invalid(host) }
    do {
      try Tickets(settings: settings).ensureSecret()
      let ticket = try Tickets(settings: settings).ticket(for: host.lowercased())
      return Output(text: ticket + "\n", json: .object(["host": .string(host.lowercased()), "ticket": .string(ticket)]))
    } catch { return failure("\(error)") }
  }

  /// The host leaves: registration, key, pending requests; an apply follows.
  public func forget(_ host: String) -> Output {
    guard HostName.isValid(host) else { return invalid(host) }
    let record = HostRecord(settings: settings, host: host)
    guard record.exists else { return failure("\(host): unknown host", status: 3) }
    do { try record.forget() } catch { return failure("\(error)") }
    return Output(text: "forgot \(host); its services leave \(settings.monitoringSystem) with the next apply\n",
      json: .object(["host": .string(host), "forgotten": .bool(true)]))
  }

  public func status() -> Output {
    let status = ApplyStatus.load(settings)
    let due = access(settings.applyMark, F_OK) == 0
    var text = ""
    if let status {
      text += "last apply: \(status["time"]?.intValue.map(SystemClock.readable) ?? "?"): \(status["result"]?.stringValue ?? "?")"
      text += " - \(status["message"]?.stringValue ?? "")\n"
      if let error = status["error"]?.stringValue { text += "error:\n\(error)\n" }
      text += "verifications: \(status["total_verifications"]?.intValue ?? 0), reloads: \(status["total_reloads"]?.intValue ?? 0)\n"
      for (host, reason) in (status["quarantined"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
        text += "quarantined \(host): \(reason.stringValue ?? "")\n"
      }
    } else {
      text += "no apply has run yet\n"
    }
    let failed = status?["result"]?.stringValue == "failed"
    let retry = failed ? status?["next_retry"]?.intValue : nil
    if let retry {
      text += "the failed apply is retried at \(SystemClock.readable(retry)) by 'auto-monitor-server watch', or now with 'auto-monitor-server apply'\n"
    } else if due {
      text += "an apply is due (is 'auto-monitor-server watch' running?)\n"
    }
    var json = status?.objectValue ?? [:]
    json["apply_due"] = .bool(due || retry != nil)
    return Output(text: text, json: .object(json), status: failed ? 1 : 0)
  }

  public func apply(retryQuarantined: Bool, everything: Bool = false) -> Output {
    guard settings.hasBackend else {
      return failure("no monitoring backend is installed: install auto-monitor-server-nagios or auto-monitor-server-icinga2")
    }
    let outcome = backend.apply(ApplyRequest(settings: settings, retryQuarantined: retryQuarantined, everything: everything))
    var text = "\(outcome.result.rawValue): \(outcome.message)\n"
    if let error = outcome.error { text += error + "\n" }
    for (host, reason) in outcome.quarantined.sorted(by: { $0.key < $1.key }) { text += "quarantined \(host): \(reason)\n" }
    var json: [String: JSONValue] = [
      "result": .string(outcome.result.rawValue), "message": .string(outcome.message),
      "verifications": .number(outcome.verifications), "reloads": .number(outcome.reloads),
      "quarantined": .object(outcome.quarantined.mapValues { .string($0) }),
    ]
    if let error = outcome.error { json["error"] = .string(error) }
    return Output(text: text, json: .object(json), status: outcome.result == .failed ? 1 : 0)
  }

  /// The Avahi service file with this server's real ssh host key fingerprint.
  public func avahiService(hostKey: String, port: Int) -> Output {
    guard let bytes = try? FileReader.read(hostKey, limit: 65536) else { return failure("cannot read \(hostKey)") }
    let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count >= 2, let key = SSHPublicKey(type: String(fields[0]), blob: String(fields[1])) else {
      return failure("\(hostKey) is not an ssh public key")
    }
    let text = """
      <?xml version="1.0" standalone='no'?>
      <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
      <!-- Generated by auto-monitor-server avahi-service: clients discover the registration server. -->
      <service-group>
        <name replace-wildcards="yes">auto-monitor on %h</name>
        <service>
          <type>_auto-monitor._tcp</type>
          <port>\(port)</port>
          <txt-record>user=\(settings.user)</txt-record>
          <txt-record>hostkey=\(key.fingerprint)</txt-record>
        </service>
      </service-group>

      """
    return Output(text: text, json: .object(["user": .string(settings.user), "hostkey": .string(key.fingerprint), "port": .number(port)]))
  }

  /// "OK (checked DATE): OUTPUT", "not checked yet", or "not in the monitoring system yet".
  static func describe(_ state: ServiceState?) -> String {
    guard let state else { return "not in the monitoring system yet" }
    guard let status = state.state else { return "not checked yet" }
    let by = state.checkedBy.map { " by \($0)" } ?? ""
    return "\(status.name) (checked \(state.lastCheck.map(SystemClock.readable) ?? "?")\(by)): \(state.output)"
  }

  func invalid(_ host: String) -> Output { failure("'\(host)' is not a valid host name", status: 64) }

  func failure(_ message: String, status: Int32 = 1) -> Output {
    Output(text: message + "\n", json: .object(["error": .string(message)]), status: status)
  }

  static func json(_ request: PendingRequests.Request) -> JSONValue {
    .object(["host": .string(request.host), "type": .string(request.key.type), "fingerprint": .string(request.key.fingerprint),
             "time": .number(request.time)])
  }


}
