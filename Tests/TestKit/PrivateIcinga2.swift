import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A private Icinga 2 (2.13) for tests: its own `icinga2.conf`, `constants.conf` and
/// `zones.conf` (one Endpoint `nodeName`, the zone `master`, the global zone
/// `global-templates`; `writeZones` replaces it for a cluster), every directory Icinga writes to (data, log, cache, spool, run) moved
/// into a temporary directory by `--define Configuration.*=...`, the REST API on 127.0.0.1 at a
/// free port with its own CA and certificate, an ApiUser with a random password, the checker and
/// no notifications. The directory becomes user `nagios`'s, which the daemon drops to: nothing
/// it reads lies in the checkout (a 0700 directory would stop it), so `pluginDir` (the
/// `PluginDir` constant) must be somewhere nagios can reach too.
///
/// Runs as a child in the foreground (`icinga2 daemon` without `-d`), its console log in
/// `consoleLog`, stopped by its PID. The PID file holds the umbrella process, which stays the
/// same across reloads; each reload starts a new worker (`workerStatus()`).
///
/// A satellite of another instance (see `PrivateIcinga2Satellite`) takes that instance as its
/// `issuer` (its certificate is signed by the issuer's CA, so the two trust each other), its own
/// `zone`, and `acceptsConfig`: then it accepts config and commands from its parent and has no
/// `zones.d` directories of its own (a local copy of a zone would shadow the synced one).
public final class PrivateIcinga2: @unchecked Sendable {
  public let directory: URL
  public let binary: String
  public let port: Int
  public let nodeName: String
  public let zone: String
  /// `accept_config` and `accept_commands` of the ApiListener: a satellite's.
  public let acceptsConfig: Bool
  public let globalZone = "global-templates"
  public let pluginDir: String
  public let apiUser = "test"
  public let apiPassword: String
  private var child: Daemon?

  public var configDirectory: String { directory.path + "/etc" }
  public var configFile: String { configDirectory + "/icinga2.conf" }
  /// The private zones.d: files (or links to directories) under `zonesDirectory/master/` are
  /// the master's objects, under `zonesDirectory/global-templates/` everyone's.
  public var zonesDirectory: String { configDirectory + "/zones.d" }
  public var zoneDirectory: String { zonesDirectory + "/" + zone }
  public var globalZoneDirectory: String { zonesDirectory + "/" + globalZone }
  public var dataDirectory: String { directory.path + "/lib" }
  public var logDirectory: String { directory.path + "/log" }
  public var cacheDirectory: String { directory.path + "/cache" }
  public var spoolDirectory: String { directory.path + "/spool" }
  public var runDirectory: String { directory.path + "/run" }
  public var pidFile: String { runDirectory + "/icinga2.pid" }
  /// The main log (a FileLogger of `icinga2.conf`), written once a worker has loaded its config.
  public var logFile: String { logDirectory + "/icinga2.log" }
  /// The daemon's stdout and stderr: also the umbrella's messages ("Got reload command",
  /// "Found error in config: reloading aborted") and a failed reload's validation errors.
  public var consoleLog: String { logDirectory + "/console.log" }
  public var apiURL: String { "https://127.0.0.1:\(port)" }
  /// The CA that signed the API's certificate: verifies the API's TLS (for 127.0.0.1 and nodeName).
  public var caFile: String { dataDirectory + "/certs/ca.crt" }
  /// The CA's key (root's, 0600), kept to sign the certificates of satellites; absent on an
  /// instance whose certificate another one's CA signed.
  var caKeyFile: String { directory.path + "/ca.key" }
  /// `apiPassword` alone on one line, readable by root and nagios.
  public var apiPasswordFile: String { directory.path + "/api-password" }
  private var curlConfig: String { directory.path + "/curl.conf" }

  /// The `--define`s that move Icinga's directories into this instance's. `ZonesDir` needs its
  /// own: icinga.cpp derives it from ConfigDir before the command line's defines are applied.
  public var defines: [String] {
    [
      "Configuration.ConfigDir=\(configDirectory)", "Configuration.ZonesDir=\(zonesDirectory)",
      "Configuration.DataDir=\(dataDirectory)", "Configuration.LogDir=\(logDirectory)",
      "Configuration.CacheDir=\(cacheDirectory)", "Configuration.SpoolDir=\(spoolDirectory)",
      "Configuration.InitRunDir=\(runDirectory)",
    ].flatMap { ["--define", $0] }
  }

  /// `icinga2 daemon -c CONFIG --define ...` without a mode: append `-C` to validate.
  public var daemonArguments: [String] { ["daemon", "-c", configFile] + defines }
  /// The whole validation command line (as root it drops to nagios itself).
  public var validateCommand: [String] { [binary] + daemonArguments + ["-C"] }

  /// `directory` (default: a new one in /tmp) must exist or be creatable; it and everything
  /// below become nagios's. `nodeName` is the Endpoint and the certificate's CN. Without an
  /// `issuer` the instance makes its own CA; with one, the issuer's CA signs its certificate.
  public init(
    directory: URL? = nil, pluginDir: String = "/usr/lib/nagios/plugins", nodeName: String = "icinga-test.localdomain",
    zone: String = "master", acceptsConfig: Bool = false, issuer: PrivateIcinga2? = nil, binary: String = "/usr/sbin/icinga2"
  ) throws {
    self.directory = try directory ?? temporaryDirectory("mi-icinga2")
    self.binary = binary
    self.pluginDir = pluginDir
    self.nodeName = nodeName
    self.zone = zone
    self.acceptsConfig = acceptsConfig
    port = allocatePort()
    apiPassword = Self.randomHex(bytes: 16)
    let fm = FileManager.default
    let zoneDirectories = acceptsConfig ? [zonesDirectory] : [zoneDirectory, globalZoneDirectory]
    for path in zoneDirectories + [dataDirectory + "/certs", logDirectory, cacheDirectory, spoolDirectory, runDirectory] {
      try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    chmod(self.directory.path, 0o755)
    try makeCertificates(issuer: issuer)
    try writeConfig()
    try (apiPassword + "\n").write(toFile: apiPasswordFile, atomically: true, encoding: .utf8)
    // curl reads the credentials from a file: the password stays out of ps.
    try "user = \"\(apiUser):\(apiPassword)\"\n".write(toFile: curlConfig, atomically: true, encoding: .utf8)
    chmod(curlConfig, 0o600)
    _ = try runProgram("chown", ["-R", "nagios:nagios", self.directory.path])
    _ = try runProgram("chmod", ["-R", "u+rwX,go+rX", self.directory.path])
    for path in [apiPasswordFile, dataDirectory + "/certs/\(nodeName).key"] { chmod(path, 0o640) }
    _ = try runProgram("chown", ["root:root", curlConfig])
    if fm.fileExists(atPath: caKeyFile) {
      _ = try runProgram("chown", ["root:root", caKeyFile])
      chmod(caKeyFile, 0o600)
    }
  }

  static func randomHex(bytes: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
  }

  /// A CA (or the issuer's) and the node's certificate (P-256 keys: `icinga2 pki
  /// new-ca`/`new-cert` make 4096-bit RSA keys and take over ten seconds; a ticket-based
  /// `pki request` would be slower still), where ApiListener looks for them: DataDir/certs/.
  private func makeCertificates(issuer: PrivateIcinga2?) throws {
    let certs = dataDirectory + "/certs"
    let scratch = try temporaryDirectory("mi-icinga2-ca")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let caKey = issuer?.caKeyFile ?? caKeyFile, csr = scratch.path + "/node.csr", ext = scratch.path + "/ext.cnf"
    try "subjectAltName=DNS:\(nodeName),IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n"
      .write(toFile: ext, atomically: true, encoding: .utf8)
    var steps: [[String]] = []
    if let issuer {
      guard FileManager.default.fileExists(atPath: issuer.caKeyFile) else { throw TestFailure("\(issuer.nodeName) keeps no CA key") }
      try FileManager.default.copyItem(atPath: issuer.caFile, toPath: caFile)
    } else {
      steps.append([
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey, "-out",
        caFile, "-days", "3650", "-subj", "/CN=Private Icinga CA", "-addext", "basicConstraints=critical,CA:TRUE",
      ])
    }
    steps += [
      [
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
        "\(certs)/\(nodeName).key", "-out", csr, "-subj", "/CN=\(nodeName)",
      ],
      [
        "x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAserial", scratch.path + "/ca.srl", "-CAcreateserial",
        "-out", "\(certs)/\(nodeName).crt", "-days", "3650", "-extfile", ext,
      ],
    ]
    for step in steps {
      let result = try runProgram("openssl", step)
      guard result.succeeded else { throw TestFailure("openssl \(step[0]) failed: \(result.stderr)") }
    }
  }

  private func writeConfig() throws {
    let quoted = { (text: String) in Self.literal(text) }
    try """
      const PluginDir = \(quoted(pluginDir))
      const NodeName = \(quoted(nodeName))
      const ZoneName = \(quoted(zone))
      const TicketSalt = ""

      """.write(toFile: configDirectory + "/constants.conf", atomically: true, encoding: .utf8)
    try writeZones("""
      object Endpoint NodeName { }
      object Zone \(quoted(zone)) { endpoints = [ NodeName ] }
      object Zone \(quoted(globalZone)) { global = true }

      """)
    try """
      // A private test instance (PrivateIcinga2): no features-enabled, no conf.d.
      include "constants.conf"
      include "zones.conf"
      include <itl>
      include <plugins>

      object FileLogger "main-log" {
        severity = "information"
        path = \(quoted(logFile))
      }

      object ApiListener "api" {
        bind_host = "127.0.0.1"
        bind_port = \(port)
        accept_config = \(acceptsConfig)
        accept_commands = \(acceptsConfig)
        ticket_salt = TicketSalt
      }

      object ApiUser \(quoted(apiUser)) {
        password = \(quoted(apiPassword))
        permissions = [ "*" ]
      }

      object CheckerComponent "checker" { }

      object IcingaApplication "app" {
        enable_notifications = false
        enable_event_handlers = false
        enable_perfdata = false
        enable_flapping = false
      }

      """.write(toFile: configFile, atomically: true, encoding: .utf8)
  }

  /// Replaces `zones.conf` (Endpoints and Zones; read at the next start or reload).
  public func writeZones(_ text: String) throws {
    let path = configDirectory + "/zones.conf"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o644)
    _ = try runProgram("chown", ["nagios:nagios", path])
  }

  /// A DSL string literal for `text` (backslash, quote and control bytes escaped; `$` is left
  /// alone: macro strings need `$$` for a literal `$`, which is the caller's business).
  public static func literal(_ text: String) -> String {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
      case UInt8(ascii: "\""): out += Array("\\\"".utf8)
      case 0x0a: out += Array("\\n".utf8)
      case 0x09: out += Array("\\t".utf8)
      case 0x0d: out += Array("\\r".utf8)
      // Always three octal digits: "\1" followed by a digit would read as a longer number.
      case 0..<0x20, 0x7f: out += Array(("\\" + String(byte, radix: 8).leftPadded(to: 3)).utf8)
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
  }

  /// `icinga2 daemon -C` with this instance's settings: the exit status (0 valid, 1 invalid)
  /// and stdout+stderr.
  public func validate() throws -> (status: Int32, output: String) {
    let result = try runProgram(binary, daemonArguments + ["-C"])
    return (result.status, result.stdout + result.stderr)
  }

  /// Starts the daemon and returns once the API answers (throws with the console log when it
  /// does not within `timeout` seconds or the daemon exits).
  public func start(timeout: Double = 60) throws {
    if let pid { throw TestFailure("icinga2 already runs as \(pid)") }
    child = try Daemon(binary, daemonArguments, log: consoleLog)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let child, !child.isRunning { break }
      if pid != nil, let status = try? workerStatus(), status.programStart > 0 { return }
      usleep(50_000)
    }
    let log = (try? String(contentsOfFile: consoleLog, encoding: .utf8)) ?? ""
    stop()
    throw TestFailure("icinga2 did not start within \(timeout) s:\n\(log)")
  }

  /// The umbrella process from the PID file, while it runs (a zombie counts as gone).
  public var pid: Int32? {
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, Self.isAlive(pid)
    else { return nil }
    return pid
  }

  static func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.range(of: ") ", options: .backwards)
    else { return false }
    return !stat[close.upperBound...].hasPrefix("Z")
  }

  /// SIGTERM to the umbrella (SIGKILL after 5 s), then waits until it and its workers are gone.
  public func stop() {
    let workers = (try? workerStatus())?.pid
    if let child {
      stopProcess(child.pid)
      self.child = nil
    } else if let pid {
      stopProcess(pid)
    }
    if let workers, workers > 0 {
      _ = waitUntil(seconds: 10) { !Self.isAlive(workers) }
      if Self.isAlive(workers) { kill(workers, SIGKILL) }
    }
  }

  /// The running worker (`pid` changes with every reload) and its `program_start`, from
  /// `/v1/status/IcingaApplication`; `programStart` is 0 while a new worker still activates
  /// its objects (it is set in Application::Run, after "Startup finished").
  public func workerStatus() throws -> (pid: Int32, programStart: Double) {
    let (status, body) = try get("/v1/status/IcingaApplication")
    guard status == 200, let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let results = json["results"] as? [[String: Any]], let statusDict = results.first?["status"] as? [String: Any],
      let icinga = statusDict["icingaapplication"] as? [String: Any], let app = icinga["app"] as? [String: Any],
      let pid = (app["pid"] as? NSNumber)?.int32Value, let start = (app["program_start"] as? NSNumber)?.doubleValue
    else { throw TestFailure("no IcingaApplication status: \(status) \(body)") }
    return (pid, start)
  }

  /// SIGHUP to the umbrella, then waits until a new worker answers (the reload has finished:
  /// its objects are visible) — or throws with the console log's new lines when the reload was
  /// aborted (the new configuration is invalid; the old worker keeps running) or `timeout` passes.
  public func reload(timeout: Double = 120) throws {
    guard let pid else { throw TestFailure("icinga2 is not running") }
    let before = try workerStatus()
    let logOffset = (try? FileManager.default.attributesOfItem(atPath: consoleLog)[.size] as? NSNumber)?.uint64Value ?? 0
    kill(pid, SIGHUP)
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      // program_start is 0 until the new worker has activated its objects (Application::Run).
      if let now = try? workerStatus(), now.programStart > 0, now.pid != before.pid || now.programStart != before.programStart {
        return
      }
      let added = consoleLogSince(logOffset)
      if added.contains("reloading aborted") { throw TestFailure("icinga2 reload aborted:\n\(added)") }
      usleep(50_000)
    }
    throw TestFailure("icinga2 reload did not finish within \(timeout) s:\n\(consoleLogSince(logOffset))")
  }

  private func consoleLogSince(_ offset: UInt64) -> String {
    guard let handle = FileHandle(forReadingAtPath: consoleLog) else { return "" }
    defer { try? handle.close() }
    try? handle.seek(toOffset: offset)
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
  }

  // MARK: - REST API

  /// `GET apiURL + path` (path with its query string, already encoded).
  public func get(_ path: String) throws -> (status: Int, body: String) { try request("GET", path, json: nil) }

  /// `POST apiURL + path` with a JSON body; `methodOverride` ("GET", "DELETE") sends it as that
  /// method (X-HTTP-Method-Override), for queries whose filter is too long for a URL.
  public func post(_ path: String, _ json: Any, methodOverride: String? = nil) throws -> (status: Int, body: String) {
    let data = try JSONSerialization.data(withJSONObject: json)
    return try request("POST", path, json: data, methodOverride: methodOverride)
  }

  private func request(_ method: String, _ path: String, json: Data?, methodOverride: String? = nil) throws -> (status: Int, body: String) {
    var arguments = [
      "-sS", "-K", curlConfig, "--cacert", caFile, "-H", "Accept: application/json", "-X", method, "-w", "\n%{http_code}",
    ]
    if let methodOverride { arguments += ["-H", "X-HTTP-Method-Override: \(methodOverride)"] }
    if json != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
    let result = try runProgram("curl", arguments + [apiURL + path], stdin: json)
    guard result.succeeded, let newline = result.stdout.lastIndex(of: "\n"),
      let status = Int(result.stdout[result.stdout.index(after: newline)...])
    else { throw TestFailure("curl \(method) \(path) failed (\(result.status)): \(result.stderr)") }
    return (status, String(result.stdout[..<newline]))
  }

  public struct ServiceState: Sendable, Equatable {
    public var name: String
    /// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also before the first check).
    public var state: Int
    /// The plugin's output, nil before the first check.
    public var output: String?
    /// Seconds since the epoch, nil before the first check.
    public var lastCheck: Double?
    /// The endpoint that ran the check (`last_check_result.check_source`), nil before the first.
    public var checkSource: String? = nil
  }

  /// The services of `host` as the API has them (empty when the host has none or is unknown).
  public func serviceStates(host: String) throws -> [ServiceState] {
    let (status, body) = try post(
      "/v1/objects/services",
      ["filter": "host.name == h", "filter_vars": ["h": host], "attrs": ["name", "state", "last_check_result", "last_check"]],
      methodOverride: "GET")
    guard status == 200, let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let results = json["results"] as? [[String: Any]]
    else { throw TestFailure("GET services of \(host): \(status) \(body)") }
    return results.compactMap { entry in
      guard let attrs = entry["attrs"] as? [String: Any], let name = attrs["name"] as? String else { return nil }
      let result = attrs["last_check_result"] as? [String: Any]
      let lastCheck = (attrs["last_check"] as? NSNumber)?.doubleValue
      return ServiceState(
        name: name, state: (attrs["state"] as? NSNumber)?.intValue ?? 3, output: result?["output"] as? String,
        lastCheck: lastCheck.flatMap { $0 > 0 ? $0 : nil }, checkSource: result?["check_source"] as? String)
    }.sorted { $0.name < $1.name }
  }

  /// Forces a check of every service of `hosts` now (`POST /v1/actions/reschedule-check`,
  /// force=true, the names as `filter_vars`: no quoting, any number); returns how many were
  /// rescheduled.
  @discardableResult
  public func rescheduleChecks(hosts: [String]) throws -> Int {
    let (status, body) = try post(
      "/v1/actions/reschedule-check",
      ["type": "Service", "filter": "host.name in hosts", "filter_vars": ["hosts": hosts], "force": true])
    // Icinga 2.13 answers 500 with an empty result list when the filter matches nothing.
    if status == 500, body.replacingOccurrences(of: " ", with: "") == "{\"results\":[]}" { return 0 }
    guard status == 200 else { throw TestFailure("reschedule-check: \(status) \(body)") }
    return body.components(separatedBy: "Successfully rescheduled").count - 1
  }

  public func cleanUp() {
    stop()
    try? FileManager.default.removeItem(at: directory)
  }

  deinit { stop() }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
