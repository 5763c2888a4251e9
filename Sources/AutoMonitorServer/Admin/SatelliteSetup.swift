import Glibc
import MonitoringInfo

/// `auto-monitor-server satellite add|remove` (root, Icinga 2): a satellite zone in one
/// command on the master. It writes the zone file (which registrations the satellite checks),
/// the Icinga `Endpoint` and `Zone` objects (a marked block in Icinga's zones.conf), the link
/// through which Icinga reads the zone's generated objects, validates Icinga's configuration
/// (undoing its own change when it fails), and prints the commands to run on the satellite,
/// whose ticket it makes with `icinga2 pki ticket`. The satellite needs icinga2 and
/// auto-monitor-plugins, nothing else of ours.
public struct SatelliteSetup {
  public struct Request {
    public var zone: String
    public var endpoint: String
    /// How the master reaches the satellite (and the satellite's API port).
    public var endpointAddress: String
    public var endpointPort = 5665
    public var ranges: [AddressRange] = []
    public var hostPatterns: [String] = []
    /// How the satellite reaches the master; default: the master's node name.
    public var masterAddress: String?
    public init(zone: String, endpoint: String, endpointAddress: String) {
      self.zone = zone
      self.endpoint = endpoint
      self.endpointAddress = endpointAddress
    }
  }

  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  var zoneFile: (String) -> String { { settings.zonesDirectory + "/" + $0 + ".conf" } }
  /// Icinga's zones.conf, beside its icinga2.conf.
  var icingaZonesFile: String { Self.directory(of: settings.icinga2.config) + "/zones.conf" }

  static func directory(of path: String) -> String {
    let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    return directory.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : directory
  }

  static func beginMarker(_ zone: String) -> String { "// auto-monitor-server satellite \(zone): begin" }
  static func endMarker(_ zone: String) -> String { "// auto-monitor-server satellite \(zone): end" }

  /// Adds (or updates) the zone; returns the satellite's commands.
  public func add(_ request: Request) throws(ServerError) -> String {
    guard settings.backend == .icinga2 else {
      throw ServerError("satellite zones need the Icinga 2 backend (apt-get install auto-monitor-server-icinga2)")
    }
    guard ZoneMap.isValidName(request.zone) else { throw ServerError("'\(request.zone)' is no zone name (letters, digits, '.', '-', '_')") }
    guard ZoneMap.isValidName(request.endpoint) else {
      throw ServerError("'\(request.endpoint)' is no endpoint name: give the satellite's Icinga node name (usually its FQDN)")
    }
    guard Self.isPlainWord(request.endpointAddress), request.masterAddress.map(Self.isPlainWord) ?? true else {
      throw ServerError("an address must be a host name or an IP address")
    }
    guard !request.ranges.isEmpty || !request.hostPatterns.isEmpty else {
      throw ServerError("say which hosts the satellite checks: --range ADDRESS/PREFIX or --match PATTERN (both repeatable)")
    }
    guard let master = Icinga2Zone.name(settings), let node = settings.icinga2.apiServerName ?? Icinga2Zone.variable("NodeName", settings.icinga2)
    else {
      throw ServerError("cannot tell Icinga 2's zone and node name ('icinga2 variable get ZoneName' fails): is Icinga 2 set up as a master?")
    }
    guard request.zone != master, request.zone != settings.icinga2.globalZone else {
      throw ServerError("'\(request.zone)' is the master's or the global zone: choose another name for the satellite zone")
    }
    let ticket = try self.ticket(for: request.endpoint)

    // Our zone file, then Icinga's objects; both undone when Icinga refuses the result.
    let zonePath = zoneFile(request.zone)
    let oldZone = try? FileReader.read(zonePath, limit: 1 << 20)
    let oldIcinga = try? FileReader.read(icingaZonesFile, limit: 1 << 22)
    var zoneText = "# Satellite zone \(request.zone): written by 'auto-monitor-server satellite add'; edit freely.\n"
    zoneText += "endpoint = \(request.endpoint) \(request.endpointAddress) \(request.endpointPort)\n"
    for range in request.ranges { zoneText += "address = \(range)\n" }
    for pattern in request.hostPatterns { zoneText += "host = \(pattern.lowercased())\n" }
    var status = stat()
    if stat(settings.zonesDirectory, &status) != 0 && mkdir(settings.zonesDirectory, 0o755) != 0 {
      throw ServerError("cannot create \(settings.zonesDirectory): \(errnoText())")
    }
    try serverError { try AtomicFile.write(Array(zoneText.utf8), to: zonePath, mode: 0o644) }
    let block = Self.icingaBlock(request, parent: master)
    let replaced = Self.replacingBlock(of: request.zone, in: oldIcinga.map { String(decoding: $0, as: UTF8.self) } ?? "", with: block)
    do throws(ServerError) {
      try serverError { try AtomicFile.write(Array(replaced.utf8), to: icingaZonesFile, mode: 0o644) }
      try Icinga2Zone.link(settings, master: master, satellites: try Icinga2Zone.satellites(settings))
      let check = try serverError { try Subprocess.run(settings.icinga2.binary, Icinga2Backend().validation(settings), mergeOutput: true) }
      guard check.status == 0 else {
        throw ServerError("Icinga 2 refuses the zone (nothing changed):\n" + Icinga2Backend().errorLines(check.stdoutText))
      }
    } catch {
      if let oldZone { try? AtomicFile.write(oldZone, to: zonePath, mode: 0o644) } else { unlink(zonePath) }
      if let oldIcinga { try? AtomicFile.write(oldIcinga, to: icingaZonesFile, mode: 0o644) }
      throw error
    }
    return script(request, master: master, node: node, ticket: ticket)
  }

  /// Takes the zone out: our file, Icinga's objects, the link. The hosts it checked go back to
  /// the master at the next apply.
  public func remove(_ zone: String) throws(ServerError) {
    guard ZoneMap.isValidName(zone) else { throw ServerError("'\(zone)' is no zone name") }
    let path = zoneFile(zone)
    let old = try? FileReader.read(icingaZonesFile, limit: 1 << 22)
    guard access(path, F_OK) == 0 || old.map({ String(decoding: $0, as: UTF8.self).contains(Self.beginMarker(zone)) }) == true else {
      throw ServerError("no satellite zone '\(zone)' (\(path) does not exist)")
    }
    if let old {
      let text = Self.replacingBlock(of: zone, in: String(decoding: old, as: UTF8.self), with: nil)
      try serverError { try AtomicFile.write(Array(text.utf8), to: icingaZonesFile, mode: 0o644) }
    }
    unlink(path)
    if let master = Icinga2Zone.name(settings) {
      try Icinga2Zone.link(settings, master: master, satellites: try Icinga2Zone.satellites(settings))
    }
  }

  static func isPlainWord(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { isalnum(Int32($0)) != 0 || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_")].contains($0) }
  }

  public static func icingaBlock(_ request: Request, parent: String) -> String {
    """
    \(beginMarker(request.zone)) (written by 'auto-monitor-server satellite add', removed by 'satellite remove')
    object Endpoint \(Icinga2Literal.string(request.endpoint)) {
      host = \(Icinga2Literal.string(request.endpointAddress))
      port = \(request.endpointPort)
    }

    object Zone \(Icinga2Literal.string(request.zone)) {
      endpoints = [ \(Icinga2Literal.string(request.endpoint)) ]
      parent = \(Icinga2Literal.string(parent))
    }
    \(endMarker(request.zone))

    """
  }

  /// `text` without the zone's marked block, and with `block` at its place (or at the end).
  public static func replacingBlock(of zone: String, in text: String, with block: String?) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    var output: [String] = []
    var inside = false
    var inserted = false
    for line in lines {
      if line.hasPrefix(beginMarker(zone)) {
        inside = true
        if let block, !inserted { output.append(String(block.dropLast())); inserted = true }
        // The blank line `add` put before the block goes with it.
        if block == nil, output.last == "" { output.removeLast() }
        continue
      }
      if inside {
        if line.hasPrefix(endMarker(zone)) { inside = false }
        continue
      }
      output.append(line)
    }
    if let block, !inserted {
      if output.last.map({ !$0.isEmpty }) == true { output.append("") }
      output.append(String(block.dropLast()))
    }
    return output.joined(separator: "\n") + "\n"
  }

  /// `icinga2 pki ticket --cn NAME`: the satellite's certificate request is signed at once.
  func ticket(for endpoint: String) throws(ServerError) -> String {
    let result = try serverError { try Subprocess.run(settings.icinga2.binary, ["pki", "ticket", "--cn", endpoint], timeout: 60, mergeOutput: true) }
    let ticket = result.stdoutText.trimmingWhitespace
    guard result.succeeded, !ticket.isEmpty, ticket.utf8.allSatisfy({ isxdigit(Int32($0)) != 0 }) else {
      throw ServerError("'icinga2 pki ticket --cn \(endpoint)' failed (is this Icinga 2 a master with a CA? 'icinga2 node setup --master'):\n\(ticket)")
    }
    return ticket
  }

  /// The master API's port, from the `icinga2_api` URL.
  var masterPort: Int {
    let api = settings.icinga2.api
    guard let colon = api.lastIndex(of: ":"), let port = Int(api[api.index(after: colon)...].prefix { $0.isNumber }) else { return 5665 }
    return port
  }

  /// The SHA-256 fingerprint of the master's certificate, which `pki save-cert` on the
  /// satellite must show (nil when it cannot be read here).
  func masterFingerprint(node: String) -> String? {
    let certificates = Self.directory(of: settings.icinga2.caFile)
    let result = try? Subprocess.run("/usr/bin/openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", certificates + "/" + node + ".crt"])
    guard let result, result.succeeded, let value = result.stdoutText.split(separator: "=").last else { return nil }
    return value.trimmingWhitespace
  }

  func script(_ request: Request, master: String, node: String, ticket: String) -> String {
    let address = request.masterAddress ?? node
    let port = masterPort
    let certificates = "/var/lib/icinga2/certs"
    let name = request.endpoint
    var text = """
      # Satellite zone '\(request.zone)' is ready on this master (\(node)). Run this on \(name), as root:
      apt-get install icinga2 auto-monitor-plugins
      install -d -o nagios -g nagios -m 0700 \(certificates)
      icinga2 pki new-cert --cn \(name) --key \(certificates)/\(name).key --cert \(certificates)/\(name).crt
      icinga2 pki save-cert --trustedcert \(certificates)/trusted-parent.crt --host \(address) --port \(port)

      """
    if let fingerprint = masterFingerprint(node: node) {
      text += """
        # The master's certificate must have this fingerprint (compare before you go on):
        #   \(fingerprint)
        openssl x509 -noout -fingerprint -sha256 -in \(certificates)/trusted-parent.crt

        """
    }
    text += """
      icinga2 node setup --ticket \(ticket) --cn \(name) --zone \(request.zone) --parent_zone \(master) \\
        --endpoint \(node),\(address),\(port) --parent_host \(address),\(port) \\
        --trustedcert \(certificates)/trusted-parent.crt --accept-config --accept-commands --disable-confd
      /etc/init.d/icinga2 restart

      """
    return text
  }
}
