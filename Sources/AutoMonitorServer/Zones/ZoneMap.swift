import Glibc
import MonitoringInfo

/// The administrator's satellite zones: one file `ZONESDIR/NAME.conf` per zone (`zones_dir`,
/// default `/etc/auto-monitor-server/zones`), written by `auto-monitor-server satellite add`
/// or by hand:
///
///     endpoint = sat1.example.org 198.18.1.1 5665   # Icinga endpoint, address and port to reach it
///     address = 198.18.1.0/24                        # registrations from these addresses
///     host = *.dmz.example.org                       # host names matching this pattern
///
/// A host belongs to the first zone (by name) one of whose `address` ranges holds the address
/// its registration came from (sshd's `SSH_CONNECTION`) or one of whose `host` patterns
/// matches its name; every other host to the master zone. The client has no say.
public struct ZoneMap: Sendable {
  public struct Endpoint: Sendable, Equatable {
    public var name: String
    public var host: String?
    public var port: Int?
    public init(name: String, host: String? = nil, port: Int? = nil) {
      self.name = name
      self.host = host
      self.port = port
    }
  }

  public struct Zone: Sendable {
    public var name: String
    public var path: String
    public var endpoints: [Endpoint]
    public var ranges: [AddressRange]
    public var hostPatterns: [String]
    public init(name: String, path: String, endpoints: [Endpoint], ranges: [AddressRange], hostPatterns: [String]) {
      self.name = name
      self.path = path
      self.endpoints = endpoints
      self.ranges = ranges
      self.hostPatterns = hostPatterns
    }
  }

  /// Why a host is in a zone, for `show`.
  public struct Match: Sendable {
    public var zone: Zone
    public var reason: String
  }

  public var zones: [Zone]

  public init(zones: [Zone] = []) { self.zones = zones }

  public var isEmpty: Bool { zones.isEmpty }

  public func zone(named name: String) -> Zone? { zones.first { $0.name == name } }

  public func match(host: String, address: String?) -> Match? {
    let parsed = address.flatMap(IPAddress.init)
    for zone in zones {
      if let parsed, let range = zone.ranges.first(where: { $0.contains(parsed) }) {
        return Match(zone: zone, reason: "registered from \(address!), in \(range)")
      }
      if let pattern = zone.hostPatterns.first(where: { fnmatch($0, host, 0) == 0 }) {
        return Match(zone: zone, reason: "host name matches \(pattern)")
      }
    }
    return nil
  }

  /// A zone or endpoint name: what Icinga accepts as an object name and a file name allows.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 63 && !name.hasPrefix(".") && !name.hasPrefix("-")
      && name.utf8.allSatisfy { isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }
  }

  public static func load(_ settings: ServerSettings) throws(ServerError) -> ZoneMap {
    let directory = settings.zonesDirectory
    let names = ((try? FileReader.files(in: directory, withSuffix: ".conf")) ?? []).sorted()
    var zones: [Zone] = []
    for file in names {
      let name = String(file.dropLast(5))
      let path = directory + "/" + file
      guard isValidName(name) else {
        throw ServerError("\(path): '\(name)' is no zone name (letters, digits, '.', '-', '_'): rename the file")
      }
      zones.append(try parse(path, zone: name))
    }
    return ZoneMap(zones: zones)
  }

  static func parse(_ path: String, zone name: String) throws(ServerError) -> Zone {
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path, limit: 1 << 20) } catch { throw ServerError("\(path): cannot read: \(error)") }
    let entries: [KeyValueFile.Entry]
    do { entries = try KeyValueFile.parse(String(decoding: bytes, as: UTF8.self), path: path) } catch {
      throw ServerError(error.description)
    }
    var zone = Zone(name: name, path: path, endpoints: [], ranges: [], hostPatterns: [])
    for entry in entries {
      let at = "\(path):\(entry.line)"
      switch entry.key {
      case "endpoint":
        let fields = entry.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard (1...3).contains(fields.count), isValidName(fields[0]) else {
          throw ServerError("\(at): 'endpoint' is NAME [ADDRESS [PORT]] (the satellite's Icinga node name), not '\(entry.value)'")
        }
        var endpoint = Endpoint(name: fields[0])
        if fields.count > 1 {
          guard fields[1].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            throw ServerError("\(at): '\(fields[1])' is no address")
          }
          endpoint.host = fields[1]
        }
        if fields.count > 2 {
          guard let port = Int(fields[2]), (1...65535).contains(port) else { throw ServerError("\(at): '\(fields[2])' is no port") }
          endpoint.port = port
        }
        zone.endpoints.append(endpoint)
      case "address":
        guard let range = AddressRange(entry.value) else {
          throw ServerError("\(at): '\(entry.value)' is no address range (ADDRESS/PREFIX, e.g. 198.18.1.0/24 or 2001:db8::/64)")
        }
        zone.ranges.append(range)
      case "host":
        guard !entry.value.isEmpty, !entry.value.contains(" ") else { throw ServerError("\(at): 'host' needs one pattern (e.g. *.dmz.example.org)") }
        zone.hostPatterns.append(entry.value.lowercased())
      default:
        throw ServerError("\(at): unknown setting '\(entry.key)' (endpoint, address, host; see auto-monitor-server(8))")
      }
    }
    guard !zone.endpoints.isEmpty else {
      throw ServerError("\(path): zone '\(name)' has no 'endpoint' line: name the satellite that checks it")
    }
    return zone
  }
}
