import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The monitoring systems a test server can feed.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
  case nagios, icinga2
  public var description: String { rawValue }
}

/// A registration server in a temporary directory: settings file, state directory made by
/// `auto-monitor-server setup` (owners and modes as installed), templates whose check command
/// is this build's `check_monitoring_info`. Runs the receiver directly or through a
/// `PrivateSSHD`, and the apply step against a `PrivateNagios` or a `PrivateIcinga2`.
///
/// The ssh account is `automon-test` (see `TestAccount`); the apply step runs as `nagios`.
/// What those accounts execute (the receiver, the plugin) is copied into the server's own
/// directory: the checkout may be where they cannot go (`/root/x`, a 0700 directory in /tmp).
public final class PrivateServer: @unchecked Sendable {
  public let directory: URL
  public let backend: TestBackend
  public let nagios: PrivateNagios
  /// The Icinga 2 the server feeds when `backend` is `.icinga2`.
  public let icinga: PrivateIcinga2?
  public var configPath: String { directory.path + "/etc/server.conf" }
  public var stateDirectory: String { directory.path + "/state" }
  /// The backend's generations, status and quarantine.
  public var backendDirectory: String { directory.path + "/backend" }
  public var templatesPath: String { directory.path + (backend == .nagios ? "/etc/nagios-templates.cfg" : "/etc/icinga2-templates.conf") }
  public var overridesPath: String { directory.path + "/etc/overrides.conf" }
  /// The satellite zone files (`zones_dir`), empty at first.
  public var zonesPath: String { directory.path + "/etc/zones" }
  public var receiver: String { directory.path + "/bin/monitoring-info-receive" }
  public var admin: String { BuildPaths.executable("auto-monitor-server").path }
  public var user: String { TestAccount.name }
  private var watcher: Daemon?

  /// `checkCommand` runs for every service; by default this build's plugin in registration
  /// mode (its results land in status.dat within seconds of a forced check).
  ///
  /// `icinga` feeds an Icinga 2 the caller made (a `PrivateIcinga2Satellite`'s master) instead
  /// of a new one; its `pluginDir` must hold this build's plugin (`installPlugin`). `zones`
  /// (zone name -> text of `ZONE.conf`) are written to `zonesPath` before `setup`, so the links
  /// of the satellite zones exist before Icinga starts.
  public init(
    checkCommand: String? = nil, backend: TestBackend = .nagios, icinga existing: PrivateIcinga2? = nil,
    zones: [String: String] = [:]
  ) throws {
    guard existing == nil || backend == .icinga2 else { throw TestFailure("an existing Icinga 2 needs backend .icinga2") }
    self.backend = backend
    try TestAccount.ensure()
    directory = URL(fileURLWithPath: "/tmp/mi-server-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(atPath: directory.path + "/etc", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: directory.path + "/nagios", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: directory.path + "/bin", withIntermediateDirectories: true)
    for path in [directory.path, directory.path + "/etc", directory.path + "/bin"] { chmod(path, 0o755) }
    for program in ["monitoring-info-receive", "check_monitoring_info"] {
      let copy = try runProgram("install", ["-m", "0755", BuildPaths.executable(program).path, directory.path + "/bin/" + program])
      guard copy.succeeded else { throw TestFailure("cannot copy \(program): \(copy.stderr)") }
    }
    nagios = try PrivateNagios(directory: directory.appendingPathComponent("nagios"))
    // The generated CheckCommand runs PluginDir/check_monitoring_info: this build's copy.
    icinga = try existing ?? (backend == .icinga2
      ? PrivateIcinga2(directory: directory.appendingPathComponent("icinga2"), pluginDir: directory.path + "/bin") : nil)
    let plugin = directory.path + "/bin/check_monitoring_info"
    var settings = """
      # private test server
      state_dir = \(stateDirectory)
      backend = \(backend.rawValue)
      user = \(TestAccount.name)
      receiver = \(receiver)
      nagios_user = nagios
      overrides = \(overridesPath)
      zones_dir = \(zonesPath)
      max_pending = 8

      """
    switch backend {
    case .nagios:
      let command = try checkCommand
        ?? Self.shippedCheckCommand(plugin: "\(plugin) --registrations \(directory.path)/state/registrations")
      try Self.templates(command: command).write(toFile: templatesPath, atomically: true, encoding: .utf8)
      settings += """
        nagios_dir = \(backendDirectory)
        nagios_config = \(nagios.config)
        nagios_binary = /usr/sbin/nagios4
        templates = \(templatesPath)

        """
    case .icinga2:
      guard let icinga else { throw TestFailure("no Icinga 2") }
      try Self.icingaTemplates.write(toFile: templatesPath, atomically: true, encoding: .utf8)
      settings += """
        icinga2_dir = \(backendDirectory)
        icinga2_binary = \(icinga.binary)
        icinga2_config = \(icinga.configFile)
        icinga2_pid_file = \(icinga.pidFile)
        icinga2_zones_dir = \(icinga.zonesDirectory)
        icinga2_zone = \(icinga.zone)
        icinga2_templates = \(templatesPath)
        icinga2_api = \(icinga.apiURL)
        icinga2_api_server_name = 127.0.0.1
        icinga2_api_password_file = \(directory.path)/etc/icinga2-api-password
        icinga2_ca_file = \(icinga.caFile)

        """
      var defines = icinga.defines[...]
      while defines.count >= 2 {
        settings += "icinga2_define = \(defines[defines.startIndex + 1])\n"
        defines = defines.dropFirst(2)
      }
    }
    try settings.write(toFile: configPath, atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: zonesPath, withIntermediateDirectories: true)
    chmod(zonesPath, 0o755)
    for (zone, text) in zones {
      try text.write(toFile: zonesPath + "/" + zone + ".conf", atomically: true, encoding: .utf8)
      chmod(zonesPath + "/" + zone + ".conf", 0o644)
    }
    for path in [configPath, templatesPath] { chmod(path, 0o644) }
    let setup = try runAdmin(["setup"])
    guard setup.succeeded else { throw TestFailure("setup failed: \(setup.stderr)") }
    // Nagios reads the live generation through a link in its cfg_dir, as installed (Icinga's
    // link in zones.d is made by setup).
    if backend == .nagios {
      try FileManager.default.createSymbolicLink(atPath: nagios.confD + "/auto-monitor", withDestinationPath: backendDirectory + "/live")
    }
  }

  /// Copies this build's `check_monitoring_info` into `directory` (made if missing, 0755), for
  /// an Icinga 2 whose `pluginDir` it is.
  public static func installPlugin(in directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    chmod(directory, 0o755)
    let copy = try runProgram("install", ["-m", "0755", BuildPaths.executable("check_monitoring_info").path, directory + "/check_monitoring_info"])
    guard copy.succeeded else { throw TestFailure("cannot copy check_monitoring_info: \(copy.stderr)") }
  }

  /// Test templates for Icinga 2: the host check always succeeds at once (`dummy`), as the
  /// Nagios test templates' `/bin/true`.
  static let icingaTemplates = """
    template Host "auto-monitor-host" {
      check_command = "dummy"
      max_check_attempts = 1
      check_interval = 5m
    }

    template Service "auto-monitor-service" {
      max_check_attempts = 1
      check_interval = 5m
      retry_interval = 1m
    }

    """

  /// Starts the monitoring system the server feeds.
  public func startMonitor() throws {
    if let icinga { try icinga.start() } else { try nagios.start() }
  }

  public func stopMonitor() {
    if let icinga { icinga.stop() } else { nagios.stop() }
  }

  /// "HOST;SERVICE" of every service the running monitoring system has loaded.
  public func monitoredServices() -> Set<String> {
    guard let icinga else { return nagios.loadedObjects().services }
    guard let (status, body) = try? icinga.post("/v1/objects/services", ["attrs": ["__name"]], methodOverride: "GET"), status == 200,
      let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
      let results = json["results"] as? [[String: Any]]
    else { return [] }
    return Set(results.compactMap { ($0["name"] as? String)?.replacingOccurrences(of: "!", with: ";") })
  }

  /// The monitoring system accepts its whole configuration as it is on disk.
  public func monitorVerifies() -> Bool {
    if let icinga { return ((try? icinga.validate())?.status) == 0 }
    return (try? runProgram("/usr/sbin/nagios4", ["-v", nagios.config]))?.succeeded ?? false
  }

  /// The command line of the shipped templates (templates/server/nagios-templates.cfg), with
  /// the installed plugin path replaced by `plugin`: tests run the line users get.
  public static func shippedCheckCommand(plugin: String) throws -> String {
    let path = BuildPaths.packageRoot.appendingPathComponent("templates/server/nagios-templates.cfg").path
    let templates = try String(contentsOfFile: path, encoding: .utf8)
    guard let line = templates.split(separator: "\n").first(where: { $0.contains("command_line") && $0.contains("check_monitoring_info") })
    else { throw TestFailure("\(path) defines no check_monitoring_info command") }
    let command = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).last!.trimmingCharacters(in: .whitespaces)
    return command.replacingOccurrences(of: "/usr/lib/nagios/plugins/check_monitoring_info", with: plugin)
  }

  public static func templates(command: String) -> String {
    """
    define host {
        name                    auto-monitor-host
        use                     generic-host
        check_command           automon-test-host-ok
        max_check_attempts      1
        check_period            24x7
        contact_groups          admins
        register                0
    }

    define service {
        name                    auto-monitor-service
        use                     generic-service
        check_interval          5
        register                0
    }

    define command {
        command_name            auto-monitor-check
        command_line            \(command)
    }

    define command {
        command_name            automon-test-host-ok
        command_line            /bin/true
    }

    """
  }

  /// Runs the receiver directly as the ssh account would (as root here: the files get the
  /// directories' owners through setgid and `adoptDirectoryOwner`).
  public func receive(client: String?, request: String, payload: String, unboundKey: (String, String)? = nil) throws -> ProcessResult {
    var arguments = ["--config", configPath]
    if let client { arguments += ["--client", client] }
    if let unboundKey { arguments += ["--unbound-key", unboundKey.0, unboundKey.1] }
    var environment = ProcessInfo.processInfo.environment
    environment["SSH_ORIGINAL_COMMAND"] = request
    return try runProgram(receiver, arguments, environment: environment, stdin: Data(payload.utf8))
  }

  public func runAdmin(_ arguments: [String]) throws -> ProcessResult {
    try runProgram(admin, ["--config", configPath] + arguments)
  }

  /// The service's state as `auto-monitor-server show` reports it from Nagios' status.dat:
  /// "OK", "CRITICAL", ..., "PENDING" before the first check, nil when Nagios does not have it.
  public func serviceState(host: String, service: String) -> String? { serviceStatus(host: host, service: service)?.state }

  /// The state and the time of the last check (seconds since the epoch, nil before the first).
  public func serviceStatus(host: String, service: String) -> (state: String, lastCheck: Int?)? {
    guard let shown = try? runAdmin(["--json", "show", host]),
      let json = try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any],
      let services = json["services"] as? [[String: Any]],
      let entry = services.first(where: { $0["name"] as? String == service }), let state = entry["state"] as? String
    else { return nil }
    return (state, entry["last_check"] as? Int)
  }

  /// `auto-monitor-server watch` in the background (it drops to user nagios itself).
  public func startWatcher() throws {
    watcher = try Daemon(admin, ["--config", configPath, "watch"], log: directory.path + "/watch.log")
  }

  public func stopWatcher() {
    watcher?.stop()
    watcher = nil
  }

  /// Registration payload for `host` with `services` (name, type, params).
  public static func payload(host: String, services: [(String, String, [String: String])]) -> String {
    let list = services.map { name, type, params in
      let members = params.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }.joined(separator: ",")
      return "{\"name\":\(quote(name)),\"type\":\(quote(type)),\"source\":\"test.conf\",\"params\":{\(members)}}"
    }
    return "{\"version\":1,\"host\":\(quote(host)),\"services\":[\(list.joined(separator: ","))]}"
  }

  static func quote(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
  }

  public func cleanUp() {
    stopWatcher()
    nagios.stop()
    icinga?.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  deinit { cleanUp() }
}

/// The ssh account of test servers: `automon-test`, made once (idempotently) with a real
/// shell and a non-locked password field, as sshd needs for a forced command. Tests run as root.
public enum TestAccount {
  public static let name = "automon-test"

  public static func ensure() throws {
    if getpwnam(name) != nil { return }
    let add = try runProgram("useradd", ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh", name])
    guard add.succeeded || getpwnam(name) != nil else { throw TestFailure("useradd \(name): \(add.stderr)") }
    _ = try runProgram("usermod", ["-p", "*", name])
  }
}
