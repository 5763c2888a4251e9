import MonitoringInfo

/// What a monitoring system that reads generated object files plugs into `GenerationApply`:
/// how a host is rendered, how the whole configuration is verified and reloaded, and how new
/// services get their first check. Generations, reuse, quarantine and bisection are shared.
protocol GenerationBackend: MonitoringBackend {
  /// `.cfg` for Nagios, `.conf` for Icinga 2: the suffix the monitoring system reads.
  var fileSuffix: String { get }
  /// The administrator's templates file, copied into each generation.
  func templatesPath(_ settings: ServerSettings) -> String
  /// Files generated beside the templates (name → bytes), e.g. a command definition.
  func generatedFiles(_ settings: ServerSettings) -> [String: [UInt8]]
  /// Checks that the monitoring system can be driven before anything is built.
  func prepare(_ settings: ServerSettings) throws(ServerError)
  /// The whole configuration, with the new generation live: exit status and output.
  func verify(_ settings: ServerSettings) throws(ServerError) -> (status: Int32, output: String)
  /// Hosts a failed verification names (only changed hosts; empty when anything else failed).
  func pinnedHosts(_ output: String, changed: Set<String>) -> [String: String]
  /// The lines of a failed verification worth showing.
  func errorLines(_ output: String) -> String
  func reload(_ settings: ServerSettings) -> (reloaded: Bool, message: String)
  /// First checks now for these hosts' services, instead of after the scheduler's spread.
  func forceChecks(_ hosts: [String], settings: ServerSettings, placements: [String: HostPlacement])
  /// Service names in a rendered host file (to find hosts that gained services).
  func renderedServices(_ file: [UInt8]) -> [String]
  /// Where each host's objects live and run (satellite zones); empty: all on this server.
  func placements(_ settings: ServerSettings) throws(ServerError) -> [String: HostPlacement]
  func render(host: String, services: [RegisteredService], overrides: Overrides, placement: HostPlacement) -> [UInt8]
  /// Adds what the monitoring system reads beside `hosts/` to a new generation (before it is
  /// made durable): `hosts` are every host file in it.
  func arrange(generation: String, hosts: [String], placements: [String: HostPlacement], settings: ServerSettings) throws(ServerError)
}

extension GenerationBackend {
  func placements(_ settings: ServerSettings) throws(ServerError) -> [String: HostPlacement] { [:] }
  func render(host: String, services: [RegisteredService], overrides: Overrides, placement: HostPlacement) -> [UInt8] {
    render(host: host, services: services, overrides: overrides)
  }
  func arrange(generation: String, hosts: [String], placements: [String: HostPlacement], settings: ServerSettings) throws(ServerError) {}
}

extension GenerationBackend {
  public func apply(_ request: ApplyRequest) -> ApplyOutcome {
    let settings = request.settings
    var outcome: ApplyOutcome
    do {
      try prepare(settings)
      let lock = try ApplyLock(settings.backendDirectory + "/apply.lock")
      outcome = try GenerationApply(backend: self, settings: settings, retryQuarantined: request.retryQuarantined,
        everything: request.everything, placements: try placements(settings)).run()
      _ = consume lock
    } catch {
      outcome = ApplyOutcome(result: .failed, message: "apply failed")
      outcome.error = error.description
    }
    ApplyStatus.record(outcome, settings: settings)
    return outcome
  }
}
