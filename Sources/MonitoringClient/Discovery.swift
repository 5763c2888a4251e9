import MonitoringInfo

/// Finding a registration server on the local network for the configuration step: the server
/// publishes `_auto-monitor._tcp` with its host key in TXT; `avahi-browse -rpt` lists what
/// answers. What it finds is only offered: the administrator confirms the fingerprint.
public struct DiscoveredServer: Sendable, Equatable {
  public var name: String
  public var hostName: String
  public var address: String
  public var port: Int
  public var user: String
  public var hostKey: SSHPublicKey?
  /// The fingerprint of `hostKey`, or the one the TXT record states when it carries no key.
  public var fingerprint: String?

  /// The lines to put into the client configuration.
  public var configurationLines: String {
    var text = "server = \(hostName.isEmpty ? address : hostName)\nport = \(port)\nuser = \(user)\n"
    if let hostKey { text += "server_key = \(hostKey.line)\n" } else if let fingerprint { text += "server_key = \(fingerprint)\n" }
    return text
  }

  public var json: JSONValue {
    var members: [String: JSONValue] = [
      "name": .string(name), "host": .string(hostName), "address": .string(address), "port": .number(port), "user": .string(user),
    ]
    if let hostKey { members["server_key"] = .string(hostKey.line) }
    if let fingerprint { members["fingerprint"] = .string(fingerprint) }
    return .object(members)
  }
}

public enum Discovery {
  public static let serviceType = "_auto-monitor._tcp"

  /// Runs `avahi-browse -rpt _auto-monitor._tcp` (answers within about a second on a LAN).
  public static func browse(timeout: Double) throws(ClientError) -> [DiscoveredServer] {
    let result = try ChildProcess.run("avahi-browse", ["-rpt", serviceType], timeout: timeout)
    if result.status != 0 && result.stdout.isEmpty {
      throw .transport("avahi-browse failed: \(SSHTransport.lastLine(result.stderrText)) (is avahi-daemon running? a static 'server' setting works without it)")
    }
    return parse(result.stdoutText)
  }

  /// Parses the resolved (`=`) lines of `avahi-browse -p`:
  /// `=;IFACE;PROTO;NAME;TYPE;DOMAIN;HOST;ADDRESS;PORT;"k=v" "k=v"`. One entry per
  /// name and address; the order is avahi's.
  public static func parse(_ output: String) -> [DiscoveredServer] {
    var found: [DiscoveredServer] = []
    for line in output.split(separator: "\n") where line.hasPrefix("=;") {
      let fields = line.split(separator: ";", maxSplits: 9, omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 10, fields[4] == serviceType, let port = Int(fields[8]), (1...65535).contains(port) else { continue }
      let txt = parseTXT(fields[9])
      let key = txt["hostkey"].flatMap { SSHPublicKey(line: $0) }
      let server = DiscoveredServer(
        name: unescape(fields[3]), hostName: unescape(fields[6]), address: fields[7], port: port,
        user: txt["user"].flatMap { $0.isEmpty ? nil : $0 } ?? "automon", hostKey: key,
        fingerprint: key?.fingerprint ?? txt["fingerprint"] ?? txt["hostkey"].flatMap { $0.hasPrefix("SHA256:") ? $0 : nil })
      if !found.contains(where: { $0.name == server.name && $0.address == server.address && $0.port == server.port }) {
        found.append(server)
      }
    }
    return found
  }

  /// `"a=b" "c=d"` into a dictionary; avahi escapes `"` and `\` inside with a backslash.
  static func parseTXT(_ text: String) -> [String: String] {
    var entries: [String: String] = [:]
    var current: [Character] = []
    var inQuotes = false
    var escaped = false
    for character in text {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" && inQuotes {
        escaped = true
      } else if character == "\"" {
        if inQuotes, let equals = current.firstIndex(of: "=") {
          entries[String(current[..<equals])] = String(current[(equals + 1)...])
        }
        inQuotes.toggle()
        current = []
      } else if inQuotes {
        current.append(character)
      }
    }
    return entries
  }

  /// avahi's `\DDD` decimal escapes (`\032` is a space) in names.
  static func unescape(_ text: String) -> String {
    var bytes: [UInt8] = []
    let source = Array(text.utf8)
    var index = 0
    while index < source.count {
      let digits = source.dropFirst(index + 1).prefix(3)
      if source[index] == UInt8(ascii: "\\"), digits.count == 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
        let value = UInt8(String(decoding: digits, as: UTF8.self))
      {
        bytes.append(value)
        index += 4
      } else {
        bytes.append(source[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
