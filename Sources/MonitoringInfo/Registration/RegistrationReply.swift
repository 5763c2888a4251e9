/// The receiver's answer, always one JSON object on stdout (docs/protocol.md):
/// `{"version":1,"host":"b.example.org","result":"stored","accepted":["apache2"],
///   "rejected":[{"name":"x","tag":"monitoring-info-unknown-key","message":"..."}],"message":"..."}`.
public struct RegistrationReply: Sendable, Equatable {
  public enum Result: String, Sendable, CaseIterable {
    /// `busy`: the server took nothing because too many registrations are being stored at
    /// once; the client tries again after `retry_after` seconds (and a random share more).
    case stored, unchanged, pending, refused, busy

    /// The receiver's exit status for this result: 0, 2 for a refusal, 75 (EX_TEMPFAIL) when
    /// busy. (64 is an unknown request, which is refused before any result exists.)
    public var exitStatus: Int32 {
      switch self {
      case .refused: 2
      case .busy: 75
      case .stored, .unchanged, .pending: 0
      }
    }
  }

  public struct Rejection: Sendable, Equatable {
    public var name: String
    public var tag: String
    public var message: String
    public init(name: String, tag: String, message: String) {
      self.name = name
      self.tag = tag
      self.message = message
    }
  }

  public var host: String
  public var result: Result
  public var accepted: [String]
  public var rejected: [Rejection]
  public var message: String
  /// Why the monitoring system refused this host's configuration; nil when it is not
  /// quarantined. Sent as `"quarantined"` only when set.
  public var quarantined: String?
  /// False when the key that asked is bound to no host (the server never knew it, or forgot
  /// it: a re-installed server). Sent as `"enrolled": false` only then.
  public var enrolled: Bool
  /// With `busy`: the seconds after which the server expects to take the request. Sent as
  /// `"retry_after"` only then.
  public var retryAfter: Int?

  public init(
    host: String, result: Result, accepted: [String] = [], rejected: [Rejection] = [], message: String = "",
    quarantined: String? = nil, enrolled: Bool = true, retryAfter: Int? = nil
  ) {
    self.host = host
    self.result = result
    self.accepted = accepted
    self.rejected = rejected
    self.message = message
    self.quarantined = quarantined
    self.enrolled = enrolled
    self.retryAfter = retryAfter
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = [
      "version": .number(RegistrationPayload.version),
      "host": .string(host),
      "result": .string(result.rawValue),
      "accepted": .array(accepted.map { .string($0) }),
      "rejected": .array(rejected.map {
        .object(["name": .string($0.name), "tag": .string($0.tag), "message": .string($0.message)])
      }),
      "message": .string(message),
    ]
    if let quarantined { members["quarantined"] = .string(quarantined) }
    if !enrolled { members["enrolled"] = .bool(false) }
    if let retryAfter { members["retry_after"] = .number(retryAfter) }
    return .object(members)
  }

  /// One line: the object and a newline.
  public var serialized: String { json.serialized + "\n" }

  public static func parse(_ bytes: [UInt8]) throws(ProtocolError) -> RegistrationReply {
    let json: JSONValue
    do { json = try JSONValue.parse(bytes) } catch { throw ProtocolError("reply: \(error)") }
    try ProtocolError.requireVersion(json)
    guard let text = json["result"]?.stringValue, let result = Result(rawValue: text) else {
      throw ProtocolError("reply without a known \"result\"")
    }
    var accepted: [String] = []
    for item in json["accepted"]?.arrayValue ?? [] {
      guard let name = item.stringValue else { throw ProtocolError("reply: \"accepted\" holds a non-string") }
      accepted.append(name)
    }
    var rejected: [Rejection] = []
    for item in json["rejected"]?.arrayValue ?? [] {
      guard let name = item["name"]?.stringValue else { throw ProtocolError("reply: a rejection without a name") }
      rejected.append(Rejection(
        name: name, tag: item["tag"]?.stringValue ?? "", message: item["message"]?.stringValue ?? ""))
    }
    return RegistrationReply(
      host: json["host"]?.stringValue ?? "", result: result, accepted: accepted, rejected: rejected,
      message: json["message"]?.stringValue ?? "", quarantined: json["quarantined"]?.stringValue,
      enrolled: json["enrolled"]?.boolValue ?? true, retryAfter: json["retry_after"]?.intValue.map { max(0, $0) })
  }
}
