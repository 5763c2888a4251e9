import MonitoringInfo

/// What a monitoring system must provide. The store, the protocol, enrollment and the admin
/// command know nothing else of it: Nagios 4 and Icinga 2 are two conformances.
public protocol MonitoringBackend: Sendable {
  var kind: BackendKind { get }
  /// The generated objects of one host from its registered services, which the format's
  /// validation accepted; host and service names are strictly checked.
  func render(host: String, services: [RegisteredService], overrides: Overrides) -> [UInt8]
  /// Builds the configuration from the registrations, verifies it, and makes it live; on failure
  /// the running configuration stays.
  func apply(_ request: ApplyRequest) -> ApplyOutcome
  /// What the monitoring system says of the host's services now (empty when it cannot tell).
  func serviceStates(host: String, settings: ServerSettings) -> [ServiceState]
}

/// One service as the monitoring system last checked it.
public struct ServiceState: Sendable, Equatable {
  public enum Status: Int, Sendable {
    case ok = 0, warning, critical, unknown
    public var name: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][rawValue] }
  }
  public var name: String
  /// nil while the service has not been checked yet.
  public var state: Status?
  public var output: String
  public var lastCheck: Int?
  /// The node that ran the last check (Icinga 2's `check_source`: the master or a satellite).
  public var checkedBy: String?

  public init(name: String, state: Status?, output: String, lastCheck: Int?, checkedBy: String? = nil) {
    self.name = name
    self.state = state
    self.output = output
    self.lastCheck = lastCheck
    self.checkedBy = checkedBy
  }
}

public struct ApplyRequest: Sendable {
  public var settings: ServerSettings
  /// Retry quarantined hosts even when their file did not change (the administrator asked).
  public var retryQuarantined: Bool
  /// Render every host again, reload even when nothing changed, and force first checks of every
  /// service: the backend's package asks for this when it is installed, because the monitoring
  /// system may have dropped what the backend's directory still holds (a switch and back).
  public var everything: Bool
  public init(settings: ServerSettings, retryQuarantined: Bool = false, everything: Bool = false) {
    self.settings = settings
    self.retryQuarantined = retryQuarantined
    self.everything = everything
  }
}

public struct ApplyOutcome: Sendable {
  public enum Result: String, Sendable { case applied, unchanged, failed }
  public var result: Result
  public var verifications = 0
  public var reloads = 0
  public var quarantined: [String: String] = [:]
  public var error: String?
  public var message: String
  public init(result: Result, message: String) {
    self.result = result
    self.message = message
  }
}
