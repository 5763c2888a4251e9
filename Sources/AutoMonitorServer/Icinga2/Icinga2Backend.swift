import Glibc
import MonitoringInfo

/// Icinga 2: one `.conf` file of explicit objects per host in a generation directory (see
/// `GenerationApply`), which Icinga reads through the link `ZONESDIR/ZONE/auto-monitor` to
/// `live`; verified with `icinga2 daemon -C` while the new generation is live, reloaded with
/// SIGHUP to Icinga's pid (as user nagios: Icinga validates again in a new process while the old
/// one keeps checking), first checks forced through the API's `reschedule-check`, states read
/// from the API.
public struct Icinga2Backend: GenerationBackend {
  let renderer = Icinga2Renderer()
  public init() {}

  public var kind: BackendKind { .icinga2 }
  var fileSuffix: String { ".conf" }
  static let checkCommandFile = "check-command.conf"

  public func render(host: String, services: [RegisteredService], overrides: Overrides) -> [UInt8] {
    renderer.render(host: host, services: services, overrides: overrides)
  }

  func render(host: String, services: [RegisteredService], overrides: Overrides, placement: HostPlacement) -> [UInt8] {
    renderer.render(host: host, services: services, overrides: overrides, placement: placement)
  }

  /// Satellite zones: the registrations' source addresses and mail flows decide.
  func placements(_ settings: ServerSettings) throws(ServerError) -> [String: HostPlacement] { try Placements.load(settings) }

  func arrange(generation: String, hosts: [String], placements: [String: HostPlacement], settings: ServerSettings) throws(ServerError) {
    try Icinga2Zone.arrange(generation: generation, hosts: hosts, placements: placements, settings: settings)
  }

  func renderedServices(_ file: [UInt8]) -> [String] { Icinga2Renderer.services(in: file) }

  func templatesPath(_ settings: ServerSettings) -> String { settings.icinga2.templates }

  func generatedFiles(_ settings: ServerSettings) -> [String: [UInt8]] {
    [Self.checkCommandFile: Icinga2CheckCommand.definition()]
  }

  func prepare(_ settings: ServerSettings) throws(ServerError) {
    guard access(settings.icinga2.binary, X_OK) == 0 else {
      throw ServerError("\(settings.icinga2.binary) is missing: install icinga2 (or set icinga2_binary in \(settings.configPath))")
    }
    let master = try Icinga2Zone.master(settings)
    let link = settings.icinga2.zonesDirectory + "/" + master + "/" + Icinga2Zone.linkName
    guard FileReader.symlinkTarget(link) != nil else {
      throw ServerError("Icinga 2 does not read the generated objects (no link \(link)): run 'auto-monitor-server setup' as root")
    }
    // Satellite zones come and go with the administrator's zone files: their links follow.
    try Icinga2Zone.link(settings, master: master, satellites: try Icinga2Zone.satellites(settings))
  }

  func validation(_ settings: ServerSettings) -> [String] {
    ["daemon", "-C", "-c", settings.icinga2.config] + settings.icinga2.defines.flatMap { ["--define", $0] }
  }

  /// `icinga2 daemon -C`. Icinga skips a zones.d directory whose zone it does not know, with a
  /// warning only: hosts the administrator's zone file sends there would silently not be
  /// monitored, so that warning for one of our zones fails the verification.
  func verify(_ settings: ServerSettings) throws(ServerError) -> (status: Int32, output: String) {
    let result = try serverError { try Subprocess.run(settings.icinga2.binary, validation(settings), mergeOutput: true) }
    let ours = Set(((try? Icinga2Zone.satellites(settings))?.zones ?? []).map(\.name))
    let unknown = Self.unknownZones(result.stdoutText).filter(ours.contains)
    guard result.status == 0, !unknown.isEmpty else { return (result.status, result.stdoutText) }
    return (1, result.stdoutText)
  }

  // MARK: verification output

  /// Icinga reports each error as a `critical/config: Error: ...` line followed by
  /// `Location: in FILE: LINE:COL-LINE:COL` (and source lines). A failure is pinned on hosts
  /// when every error names a changed host's file, through the live link (`.../hosts/HOST.conf`).
  func pinnedHosts(_ output: String, changed: Set<String>) -> [String: String] {
    var culprits: [String: String] = [:]
    for block in Self.errorBlocks(output) {
      let named = Self.hostFiles(in: block.joined(separator: "\n")).filter(changed.contains)
      guard !named.isEmpty else { return [:] }
      let message = block.first.map { Self.message($0) } ?? "invalid configuration"
      for host in named { culprits[host] = culprits[host].map { $0 + "; " + message } ?? message }
    }
    return culprits
  }

  /// The lines of each error, from its `Error:` line to the next message.
  static func errorBlocks(_ output: String) -> [[String]] {
    var blocks: [[String]] = []
    var current: [String]?
    for raw in output.split(separator: "\n") {
      let line = String(raw)
      if line.contains("critical/config: Error") || line.contains("critical/config: ") && line.contains("Error:") {
        if let current { blocks.append(current) }
        current = [line]
      } else if line.contains("critical/") || line.contains("information/") || line.contains("warning/") {
        if let block = current { blocks.append(block) }
        current = line.contains("critical/") ? [line] : nil
      } else if current != nil {
        current!.append(line)
      }
    }
    if let current { blocks.append(current) }
    return blocks.filter { !$0[0].contains("Config validation failed") && !$0[0].contains("errors, ") }
  }

  /// Host names of every `/hosts/NAME.conf` the text mentions.
  static func hostFiles(in text: String) -> Set<String> {
    var hosts: Set<String> = []
    let ends: Set<Character> = ["/", ":", " ", "'", ")", "\"", ","]
    for piece in text.split(separator: "/hosts/").dropFirst() {
      let name = String(piece.prefix { !ends.contains($0) })
      if name.hasSuffix(".conf"), HostName.isValid(String(name.dropLast(5))) { hosts.insert(String(name.dropLast(5))) }
    }
    return hosts
  }

  static func message(_ line: String) -> String {
    guard let range = line.firstRange(of: "Error: ") else { return line.trimmingWhitespace }
    return String(line[range.upperBound...]).trimmingWhitespace
  }

  func errorLines(_ output: String) -> String {
    let blocks = Self.errorBlocks(output)
    var lines = blocks.flatMap { $0.filter { $0.contains("Error") || $0.contains("Location:") } }
    if lines.isEmpty { lines = output.split(separator: "\n").suffix(20).map(String.init) }
    // A zone file written by hand for a zone Icinga does not know: say how to add it.
    for zone in Self.unknownZones(output) {
      lines.append("zone '\(zone)' is not an Icinga zone: add it with 'auto-monitor-server satellite add \(zone) ...' (or define its Endpoint and Zone in zones.conf), or remove its zone file")
    }
    return lines.joined(separator: "\n")
  }

  /// Zones Icinga does not know: "Ignoring directory '...' for unknown zone 'NAME'." (a
  /// zones.d directory) and "Object 'NAME' of type 'Zone' does not exist" (a reference).
  static func unknownZones(_ output: String) -> [String] {
    var zones: [String] = []
    func add(_ name: Substring) { if !zones.contains(String(name)) { zones.append(String(name)) } }
    for piece in output.split(separator: "Object '").dropFirst() {
      guard let end = piece.firstIndex(of: "'"), piece[end...].hasPrefix("' of type 'Zone' does not exist") else { continue }
      add(piece[..<end])
    }
    for piece in output.split(separator: "for unknown zone '").dropFirst() {
      if let end = piece.firstIndex(of: "'") { add(piece[..<end]) }
    }
    return zones
  }

  // MARK: reload and first checks

  /// SIGHUP, then wait until a new worker answers the API with its objects active (its
  /// `program_start` is set, and differs from the old worker's), so the forced checks that
  /// follow find the new objects. The old worker keeps checking until then.
  func reload(_ settings: ServerSettings) -> (reloaded: Bool, message: String) {
    guard let pid = runningProcess(pidFile: settings.icinga2.pidFile) else { return (false, "Icinga 2 is not running: it reads this configuration when it starts") }
    let api = Icinga2API(settings: settings.icinga2)
    let before = programStart(api)
    guard kill(pid, SIGHUP) == 0 else { return (false, "cannot signal Icinga 2 (pid \(pid)): \(errnoText())") }
    for _ in 0..<1200 {
      usleep(100_000)
      if let now = programStart(api), now > 0, now != before { return (true, "Icinga 2 reloaded") }
      if kill(pid, 0) != 0 { return (true, "Icinga 2 exited while reloading (see its log)") }
    }
    return (true, "Icinga 2 was sent SIGHUP but no new worker answered its API within 120 s")
  }

  /// When the running worker started (0 while a new one still activates its objects); nil when
  /// the API does not answer.
  func programStart(_ api: Icinga2API) -> Double? {
    let reply = try? api.query("/v1/status/IcingaApplication", .object([:]))
    let value = reply?["results"]?.arrayValue?.first?["status"]?["icingaapplication"]?["app"]?["program_start"]?.scalarText
    return value.flatMap(Double.init)
  }

  /// `reschedule-check` with `force` for every service of these hosts, in batches (one filter
  /// each, the host names as a filter variable, so no name is parsed as DSL). Hosts whose
  /// objects live in a satellite zone are rescheduled on the satellite itself: it ignores a
  /// next-check time the master sends during its first minute after a (config sync) restart.
  func forceChecks(_ hosts: [String], settings: ServerSettings, placements: [String: HostPlacement]) {
    var local: [String] = []
    var remote: [String: [String]] = [:]
    for host in hosts {
      if let zone = placements[host]?.objectZone { remote[zone, default: []].append(host) } else { local.append(host) }
    }
    let api = Icinga2API(settings: settings.icinga2)
    var start = 0
    while start < local.count {
      let batch = Array(local[start..<min(local.count, start + 500)])
      start += batch.count
      _ = try? api.post("/v1/actions/reschedule-check", Self.reschedule(batch))
    }
    guard !remote.isEmpty, let map = try? Icinga2Zone.satellites(settings) else { return }
    for (zone, hosts) in remote.sorted(by: { $0.key < $1.key }) {
      guard let endpoint = map.zone(named: zone)?.endpoints.first else { continue }
      SatelliteFirstChecks(settings: settings, zone: zone, endpoint: endpoint).run(hosts)
    }
  }

  static func reschedule(_ hosts: [String]) -> JSONValue {
    .object([
      "type": .string("Service"), "filter": .string("host.name in hosts"),
      "filter_vars": .object(["hosts": .array(hosts.map { .string($0) })]), "force": .bool(true),
    ])
  }

  public func serviceStates(host: String, settings: ServerSettings) -> [ServiceState] {
    let api = Icinga2API(settings: settings.icinga2)
    guard let reply = try? api.query("/v1/objects/services", .object([
      "filter": .string("host.name == name"), "filter_vars": .object(["name": .string(host)]),
      "attrs": .array(["name", "state", "last_check", "last_check_result"].map { .string($0) }),
    ])) else { return [] }
    var states: [ServiceState] = []
    for item in reply["results"]?.arrayValue ?? [] {
      guard let attrs = item["attrs"], let name = attrs["name"]?.stringValue else { continue }
      let result = attrs["last_check_result"]
      let checked = result != nil && result != .null
      let state = checked ? (attrs["state"]?.scalarText).flatMap { Double($0) }.flatMap { ServiceState.Status(rawValue: Int($0)) } : nil
      let lastCheck = (attrs["last_check"]?.scalarText).flatMap { Double($0) }.map { Int($0) }
      states.append(ServiceState(name: name, state: state, output: checked ? result?["output"]?.stringValue ?? "" : "",
        lastCheck: checked && (lastCheck ?? 0) > 0 ? lastCheck : nil, checkedBy: checked ? result?["check_source"]?.stringValue : nil))
    }
    return states.sorted { $0.name < $1.name }
  }
}
