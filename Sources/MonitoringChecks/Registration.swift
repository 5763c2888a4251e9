// Reads one service out of a stored registration (the register payload of docs/protocol.md,
// kept as registrations/HOST.json on the server).
import Glibc
import MonitoringInfo

public struct Registration: Sendable {
  public static let defaultDirectory = "/var/lib/auto-monitor-server/registrations"
  /// A registration is at most 1 MiB as sent (docs/protocol.md); stored, it may be reformatted.
  public static let maxSize = 4 * RegistrationPayload.maximumSize

  public var host: String
  public var services: [(name: String, type: String, params: [String: String])]

  /// `reference` is a host name (looked up as DIRECTORY/HOST.json) or a path to a file.
  /// For a host name the host is that name (the server's identity of the client), not the payload's.
  public static func load(_ reference: String, directory: String) throws(CheckFailure) -> Registration {
    let isPath = reference.contains("/") || reference.hasSuffix(".json")
    if !isPath && !HostName.isValid(reference) {
      throw CheckFailure(.unknown, "invalid host name '\(reference)'")
    }
    let path = isPath ? reference : directory + "/" + reference + ".json"
    var registration = try parse(try readFile(path), path: path)
    if !isPath { registration.host = reference }
    return registration
  }

  public static func parse(_ bytes: [UInt8], path: String) throws(CheckFailure) -> Registration {
    let payload: RegistrationPayload
    do { payload = try RegistrationPayload.parse(bytes) } catch {
      throw CheckFailure(.unknown, "\(path): \(error)")
    }
    return Registration(host: payload.host, services: payload.services.map { ($0.name, $0.type, $0.params) })
  }

  /// A registration or password file, refused beyond `maxSize` bytes.
  static func readFile(_ path: String, what: String = "registration") throws(CheckFailure) -> [UInt8] {
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path, limit: maxSize) } catch { throw CheckFailure(.unknown, "\(error)") }
    if bytes.count > maxSize { throw CheckFailure(.unknown, "\(what) \(path) is larger than \(maxSize >> 20) MiB") }
    return bytes
  }

  /// The service's parameters validated by the core library. `invocation` learns the type
  /// and the password before validation, so that even a failure is labelled and masked.
  public func spec(service: String, address: String?, invocation: inout Plugin.Invocation) throws(CheckFailure) -> ServiceSpec {
    guard ServiceName.isValid(service) else { throw CheckFailure(.unknown, "invalid service name '\(service)'") }
    guard let s = services.first(where: { $0.name == service }) else {
      throw CheckFailure(.unknown, "no service '\(service)' in the registration of \(host)")
    }
    invocation.learn(type: s.type)
    if let password = s.params["password"] { invocation.secrets.append(password) }
    // The host becomes the Host header and the certificate name: the same rules as a client's.
    guard HostName.isValid(host) else { throw CheckFailure(.unknown, "invalid host name '\(host)' in the registration") }
    return try ServiceSpec.make(name: s.name, type: s.type, host: host, address: address, params: s.params,
                                source: "registration of \(host)")
  }
}
