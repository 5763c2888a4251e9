import MonitoringInfo

/// What a monitoring system must provide. The store, the protocol, enrollment and the admin
/// command know nothing else of it, so an Icinga 2 backend is one more conformance.
public protocol MonitoringBackend: Sendable {
  /// The generated objects of one host: services already validated, names strictly checked.
  /// Only the host name and service names may appear in it; no other client value.
  func render(host: String, services: [String]) -> [UInt8]
  /// Builds the configuration from every host file, verifies it, and makes it live; on failure
  /// the running configuration stays.
  func apply(_ request: ApplyRequest) -> ApplyOutcome
}

public struct ApplyRequest: Sendable {
  public var settings: ServerSettings
  /// Retry quarantined hosts even when their file did not change (the administrator asked).
  public var retryQuarantined: Bool
  public init(settings: ServerSettings, retryQuarantined: Bool = false) {
    self.settings = settings
    self.retryQuarantined = retryQuarantined
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
