import Glibc
import MonitoringInfo

/// A ticket lets a client bind its key at once: HMAC-SHA-256 of the host name with the
/// server's secret (`secret`, 32 random bytes, readable only by the ssh account and root).
/// `auto-monitor-server ticket HOST` prints it; the client presents it with `enroll`.
public struct Tickets: Sendable {
  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  public func ticket(for host: String) throws(ServerError) -> String {
    HMACSHA256.hex(key: try secret(create: false), Array(("auto-monitor-ticket:" + host).utf8))
  }

  public func isValid(_ ticket: String, for host: String) -> Bool {
    guard let expected = try? self.ticket(for: host) else { return false }
    return HMACSHA256.constantTimeEqual(ticket, expected)
  }

  /// Makes the secret if there is none (root running `ticket` or `setup`).
  public func ensureSecret() throws(ServerError) { _ = try secret(create: true) }

  func secret(create: Bool) throws(ServerError) -> [UInt8] {
    if let bytes = try? FileReader.read(settings.secret, limit: 1024), bytes.count >= 32 { return bytes }
    guard create else { throw ServerError("no server secret in \(settings.secret) (run 'auto-monitor-server setup')") }
    // getentropy(3): the kernel's random source without opening a device file.
    var random = [UInt8](repeating: 0, count: 32)
    guard random.withUnsafeMutableBytes({ getentropy($0.baseAddress, $0.count) }) == 0 else {
      throw ServerError("cannot get random bytes for the server secret: \(String(cString: strerror(errno)))")
    }
    try serverError { try AtomicFile.write(random, to: settings.secret, mode: 0o600) }
    return random
  }
}
