/// What a client sends with `register`: the full state of one host, never a diff
/// (docs/protocol.md). Values are strings as written in the fragment. Reading checks the
/// shape only; the server re-validates every service with `ServiceDefinition.validate`.
public struct RegistrationPayload: Sendable, Equatable {
  public static let version = 1
  /// The most a client may send, and the most a receiver reads from stdin.
  public static let maximumSize = 1 << 20

  public var host: String
  public var services: [RegisteredService]
  /// The address the registration came from, as sshd saw it (`SSH_CONNECTION`): the server
  /// records it in what it stores, for the administrator's zone rules. A client never sends it,
  /// and the receiver replaces whatever a client's payload says.
  public var sourceAddress: String?

  public init(host: String, services: [RegisteredService], sourceAddress: String? = nil) {
    self.host = host
    self.services = services
    self.sourceAddress = sourceAddress
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = [
      "version": .number(Self.version),
      "host": .string(host),
      "services": .array(services.map(\.json)),
    ]
    if let sourceAddress { members["source_address"] = .string(sourceAddress) }
    return .object(members)
  }

  /// The payload as sent: compact, keys sorted, services in the order given.
  public var serialized: String { json.serialized }

  public static func parse(_ bytes: [UInt8]) throws(ProtocolError) -> RegistrationPayload {
    guard bytes.count <= maximumSize else { throw ProtocolError("payload larger than \(maximumSize) bytes") }
    let json: JSONValue
    do { json = try JSONValue.parse(bytes) } catch { throw ProtocolError("\(error)") }
    try ProtocolError.requireVersion(json)
    guard let host = json["host"]?.stringValue else { throw ProtocolError("no \"host\" string") }
    guard let list = json["services"]?.arrayValue else { throw ProtocolError("no \"services\" array") }
    var services: [RegisteredService] = []
    services.reserveCapacity(list.count)
    for (index, item) in list.enumerated() {
      services.append(try RegisteredService(json: item, index: index))
    }
    return RegistrationPayload(host: host, services: services, sourceAddress: json["source_address"]?.stringValue)
  }
}

/// One service of a registration: its section name, type, the fragment it came from and its
/// parameters as written (without `type`).
public struct RegisteredService: Sendable, Equatable {
  public var name: String
  public var type: String
  public var source: String
  public var params: [String: String]

  public init(name: String, type: String, source: String, params: [String: String]) {
    self.name = name
    self.type = type
    self.source = source
    self.params = params
  }

  /// From a validated definition: only the keys the fragment wrote, defaults stay implicit.
  public init(_ definition: ServiceDefinition) {
    self.init(
      name: definition.name, type: definition.type.rawValue, source: definition.source,
      params: definition.explicitParameters)
  }

  public var json: JSONValue {
    .object([
      "name": .string(name), "type": .string(type), "source": .string(source),
      "params": .object(params.mapValues { .string($0) }),
    ])
  }

  init(json: JSONValue, index: Int) throws(ProtocolError) {
    guard let name = json["name"]?.stringValue, let type = json["type"]?.stringValue else {
      throw ProtocolError("service \(index + 1) has no \"name\" or \"type\" string")
    }
    var params: [String: String] = [:]
    if let object = json["params"] {
      guard let members = object.objectValue else { throw ProtocolError("\"params\" of '\(name)' is not an object") }
      for (key, value) in members {
        guard let text = value.scalarText else {
          throw ProtocolError("parameter '\(key)' of '\(name)' is not a string")
        }
        params[key] = text
      }
    }
    params["type"] = nil
    self.init(name: name, type: type, source: json["source"]?.stringValue ?? "", params: params)
  }
}

/// A request or reply that does not have the protocol's shape.
public struct ProtocolError: Error, CustomStringConvertible, Sendable, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }

  static func requireVersion(_ json: JSONValue) throws(ProtocolError) {
    guard json.objectValue != nil else { throw ProtocolError("not a JSON object") }
    guard json["version"]?.intValue == RegistrationPayload.version else {
      throw ProtocolError("unsupported protocol version (expected \"version\":\(RegistrationPayload.version))")
    }
  }
}
