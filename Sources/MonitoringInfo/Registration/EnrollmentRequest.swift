/// What a client sends with `enroll` (docs/protocol.md): `{"version":1,"host":"FQDN","ticket":"..."}`.
/// Without a valid ticket the key waits for `auto-monitor-server accept HOST`.
public struct EnrollmentRequest: Sendable, Equatable {
  /// Far more than a host name and a ticket need; a receiver reads no more than this.
  public static let maximumSize = 4096

  public var host: String
  public var ticket: String?

  public init(host: String, ticket: String? = nil) {
    self.host = host
    self.ticket = ticket
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = ["version": .number(RegistrationPayload.version), "host": .string(host)]
    if let ticket { members["ticket"] = .string(ticket) }
    return .object(members)
  }

  public var serialized: String { json.serialized }

  public static func parse(_ bytes: [UInt8]) throws(ProtocolError) -> EnrollmentRequest {
    guard bytes.count <= maximumSize else { throw ProtocolError("enrollment request larger than \(maximumSize) bytes") }
    let json: JSONValue
    do { json = try JSONValue.parse(bytes) } catch { throw ProtocolError("\(error)") }
    try ProtocolError.requireVersion(json)
    guard let host = json["host"]?.stringValue else { throw ProtocolError("no \"host\" string") }
    var ticket: String?
    if let value = json["ticket"], value != .null {
      guard let text = value.stringValue else { throw ProtocolError("\"ticket\" is not a string") }
      ticket = text
    }
    return EnrollmentRequest(host: host, ticket: ticket)
  }
}
