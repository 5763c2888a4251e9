import MonitoringInfo

/// `/etc/auto-monitor/client.conf`: `key = value` lines as KeyValueFile reads them. Without a
/// `server` the client does nothing at all (Joe's laptop).
public struct ClientConfiguration: Sendable, Equatable {
  public var server: String?
  public var port = 22
  public var user = "automon"
  /// The server's host key (`ssh-ed25519 AAAA...`) or its fingerprint (`SHA256:...`), as the
  /// administrator confirmed it.
  public var serverKey: String?
  /// Package names, fragment file names or service names left out (kept across upgrades).
  public var exclude: [String] = []
  /// The name this host registers under; the system's FQDN when unset.
  public var host: String?
  public var connectTimeout = 5
  /// The most one exchange with the server may take, connection included.
  public var timeout = 30
  /// Findings that do not stop the client (an unknown key), with file and line.
  public var warnings: [String] = []

  public init() {}

  public var isConfigured: Bool { !(server ?? "").isEmpty }

  public static let keys = ["server", "port", "user", "server_key", "exclude", "host", "connect_timeout", "timeout"]

  /// Reads the file; a missing file is the empty configuration (no server).
  public static func load(_ path: String) throws(ClientError) -> ClientConfiguration {
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path, limit: 1 << 20) } catch {
      if case let .unreadable(_, reason) = error, reason.contains("No such file") { return ClientConfiguration() }
      throw .configuration("\(error)")
    }
    guard bytes.count <= 1 << 20 else { throw .configuration("\(path): larger than 1 MiB") }
    return try parse(String(decoding: bytes, as: UTF8.self), path: path)
  }

  public static func parse(_ text: String, path: String) throws(ClientError) -> ClientConfiguration {
    var configuration = ClientConfiguration()
    let entries: [KeyValueFile.Entry]
    do { entries = try KeyValueFile.parse(text, path: path) } catch { throw .configuration(error.description) }
    for entry in entries {
      let (key, value, lineNumber) = (entry.key, entry.value, entry.line)
      func number(_ range: ClosedRange<Int>) throws(ClientError) -> Int {
        guard let number = Int(value), range.contains(number) else {
          throw .configuration("\(path):\(lineNumber): '\(key)' must be a number from \(range.lowerBound) to \(range.upperBound), not '\(value)'")
        }
        return number
      }
      switch key {
      case "server": configuration.server = value.isEmpty ? nil : value
      case "port": configuration.port = try number(1...65535)
      case "user":
        guard !value.isEmpty, value.utf8.allSatisfy({ isNameByte($0) }) else {
          throw .configuration("\(path):\(lineNumber): 'user' must be a login name, not '\(value)'")
        }
        configuration.user = value
      case "server_key": configuration.serverKey = value.isEmpty ? nil : value
      case "exclude": configuration.exclude += value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
      case "host":
        guard HostName.isValid(value) else {
          throw .configuration("\(path):\(lineNumber): 'host' must be a host name (FQDN), not '\(value)'")
        }
        configuration.host = value
      case "connect_timeout": configuration.connectTimeout = try number(1...300)
      case "timeout": configuration.timeout = try number(1...3600)
      default:
        configuration.warnings.append("\(path):\(lineNumber): unknown key '\(key)' ignored (known: \(keys.joined(separator: ", ")))")
      }
    }
    if let server = configuration.server, server.hasPrefix("-") || server.contains(where: { $0 == " " || $0 == "@" }) {
      throw .configuration("\(path): 'server' must be a host name or address, not '\(server)'")
    }
    return configuration
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
      || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
  }
}
