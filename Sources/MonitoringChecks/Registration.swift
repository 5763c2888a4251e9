// Reads one service out of a stored registration (the register payload of docs/protocol.md,
// kept as registrations/HOST.json on the server).
import Glibc
import MonitoringInfo

public struct Registration: Sendable {
  public static let defaultDirectory = "/var/lib/auto-monitor-server-nagios/registrations"
  public static let maxSize = 16 << 20

  public var host: String
  public var services: [(name: String, type: String, params: [String: String])]

  /// `reference` is a host name (looked up as DIRECTORY/HOST.json) or a path to a file.
  /// For a host name the host is that name (the server's identity of the client), not the payload's.
  public static func load(_ reference: String, directory: String) throws(CheckFailure) -> Registration {
    let isPath = reference.contains("/") || reference.hasSuffix(".json")
    if !isPath && !MailflowStore.isSafeName(reference) {
      throw CheckFailure(.unknown, "invalid host name '\(reference)'")
    }
    let path = isPath ? reference : directory + "/" + reference + ".json"
    var registration = try parse(try readFile(path), path: path)
    if !isPath { registration.host = reference }
    return registration
  }

  static func parse(_ bytes: [UInt8], path: String) throws(CheckFailure) -> Registration {
    let payload: RegistrationPayload
    do { payload = try RegistrationPayload.parse(bytes) } catch {
      throw CheckFailure(.unknown, "\(path): \(error)")
    }
    return Registration(host: payload.host, services: payload.services.map { ($0.name, $0.type, $0.params) })
  }

  static func readFile(_ path: String) throws(CheckFailure) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw CheckFailure(.unknown, "cannot read registration \(path): \(errnoText())") }
    defer { close(fd) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw CheckFailure(.unknown, "cannot read registration \(path): \(errnoText())") }
      if n == 0 { return data }
      data += chunk.prefix(n)
      if data.count > maxSize { throw CheckFailure(.unknown, "registration \(path) is too large") }
    }
  }

  public func spec(service: String, address: String?) throws(CheckFailure) -> ServiceSpec {
    guard let s = services.first(where: { $0.name == service }) else {
      throw CheckFailure(.unknown, "no service '\(service)' in the registration of \(host)")
    }
    return try ServiceSpec.make(name: s.name, type: s.type, host: host, address: address, params: s.params,
                                source: "registration of \(host)")
  }
}
