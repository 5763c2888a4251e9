import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// Runs one invocation of `monitoring-info-sync` and returns its exit status.
public enum ClientCommand {
  public static func main(_ arguments: [String]) -> Int32 {
    let invocation: Invocation
    do { invocation = try Invocation.parse(arguments) } catch {
      // dpkg must never fail because of this program, whatever its arguments.
      if arguments.contains("--trigger") { return 0 }
      StandardStream.error("monitoring-info-sync: \(error)\n")
      return 64
    }
    switch invocation.action {
    case .help:
      StandardStream.output(Invocation.usage)
      return 0
    case .version:
      StandardStream.output("monitoring-info-sync \(MonitoringInfoVersion.current)\n")
      return 0
    case .trigger: return trigger(invocation)
    case .detached: Detach.closeInheritedDescriptors()
    case .awaitEnrollment:
      Detach.closeInheritedDescriptors()
      Sync.awaitAcceptance(paths: ClientPaths(root: invocation.root))
      return 0
    case .discover: return discover(invocation)
    default: break
    }
    let paths = ClientPaths(root: invocation.root)
    let configuration: ClientConfiguration
    do { configuration = try ClientConfiguration.load(paths.configuration) } catch {
      if invocation.action == .detached || invocation.action == .retry {
        // Recorded where --status finds it; the units stay quiet.
        Sync(paths: paths, configuration: ClientConfiguration(), host: "").noteFailure(error)
        return 1
      }
      StandardStream.error("monitoring-info-sync: \(error)\n")
      return 1
    }
    let quiet = invocation.action == .detached || invocation.action == .retry
    // Started by the trigger while dpkg still works: read its database once dpkg is done.
    if invocation.action == .detached, configuration.isConfigured { DpkgLock.waitUntilReleased(paths) }
    if !quiet { for warning in configuration.warnings { StandardStream.error("monitoring-info-sync: warning: \(warning)\n") } }
    switch invocation.action {
    case .dryRun: return dryRun(paths, configuration)
    case .status:
      let report = StatusReport(sync: Sync(paths: paths, configuration: configuration))
      StandardStream.output(invocation.json ? report.json.serialized + "\n" : report.text)
      return 0
    default: break
    }
    guard configuration.isConfigured else {
      // Joe: no server, nothing to do; said only when someone asked by hand.
      if !quiet { StandardStream.output("No registration server configured in \(paths.configuration); nothing to do.\n") }
      return 0
    }
    let sync = Sync(paths: paths, configuration: configuration)
    switch invocation.action {
    case .enroll: return enroll(sync, ticket: invocation.ticket)
    case .deregister:
      if invocation.printCommand {
        let arguments = sync.transport.arguments(request: "deregister", knownHosts: sync.store.knownHostsPath)
        StandardStream.output(arguments.map { $0 + "\n" }.joined())
        return 0
      }
      do {
        let reply = try sync.deregister()
        StandardStream.output("\(sync.host): \(reply.result.rawValue) by \(sync.transport.destination)\n")
        return 0
      } catch {
        StandardStream.error("monitoring-info-sync: \(error)\n")
        return 1
      }
    default:
      let mode: Sync.Mode =
        invocation.force ? .always : invocation.action == .sync ? .ifChanged : invocation.action == .retry ? .retry : .trigger
      // The background runs ride out a busy server within the run; a sync by hand says so.
      return runSync(sync, mode: mode, quiet: quiet, throughBusy: quiet)
    }
  }

  /// Returns at once: the sync runs as its own session; nothing printed, always 0.
  static func trigger(_ invocation: Invocation) -> Int32 {
    let paths = ClientPaths(root: invocation.root)
    guard let configuration = try? ClientConfiguration.load(paths.configuration) else {
      // A broken configuration is reported by the detached run, where --status finds it.
      _ = Detach.spawnSelf(["--detached"] + rootArguments(paths))
      return 0
    }
    guard configuration.isConfigured else { return 0 }
    if !Detach.spawnSelf(["--detached"] + rootArguments(paths)) {
      Sync(paths: paths, configuration: configuration, host: configuration.host ?? "").noteFailure(
        .state("could not start the background sync"))
    }
    return 0
  }

  static func rootArguments(_ paths: ClientPaths) -> [String] {
    paths.root.isEmpty ? ["--root", "/"] : ["--root", paths.root]
  }

  static func runSync(_ sync: Sync, mode: Sync.Mode, quiet: Bool, throughBusy: Bool = false) -> Int32 {
    do {
      let (collection, outcome) = try throughBusy ? sync.runThroughBusy(mode: mode) : sync.run(mode: mode)
      guard !quiet else { return 0 }
      report(collection)
      let destination = sync.transport.destination
      var quarantined: String?
      switch outcome {
      case .unchanged:
        StandardStream.output("\(sync.host): \(collection.services.count) service(s) already registered with \(destination); nothing sent.\n")
      case let .confirmed(reply):
        StandardStream.output("\(sync.host): \(reply.accepted.count) service(s) registered with \(destination), as the server confirmed; nothing sent.\n")
        quarantined = reply.quarantined
      case let .waiting(until):
        StandardStream.output("\(sync.host): retry not due before \(SystemClock.iso8601(until)).\n")
      case let .sent(reply):
        StandardStream.output("\(sync.host): \(reply.result.rawValue) by \(destination): \(reply.accepted.count) service(s) registered"
          + (reply.quarantined == nil ? "\n" : ", but quarantined: not live in the monitoring system\n"))
        for rejection in reply.rejected {
          StandardStream.error("monitoring-info-sync: rejected by the server: \(rejection.name): \(rejection.message) [\(rejection.tag)]\n")
        }
        quarantined = reply.quarantined
      }
      if let quarantined {
        StandardStream.error("""
          monitoring-info-sync: quarantined by the server: \(quarantined)
          monitoring-info-sync: the registration is stored there but not live in the monitoring system until its administrator fixes the cause ('auto-monitor-server status' there)

          """)
        return 3
      }
      return 0
    } catch {
      if !quiet {
        StandardStream.error("monitoring-info-sync: \(error)\n")
        // Someone at the client filed (or refiled) a request: learn of the accept within seconds.
        if case .enrollmentPending = error { startAcceptanceWaiter(sync.paths) }
      }
      if case .enrollmentPending = error { return 2 }
      return 1
    }
  }

  /// Starts the detached waiter for an accepted enrollment (one at a time; see Sync.awaitAcceptance).
  static func startAcceptanceWaiter(_ paths: ClientPaths) {
    _ = Detach.spawnSelf(["--await-enrollment"] + rootArguments(paths))
  }

  static func report(_ collection: FragmentCollection) {
    for finding in collection.findings {
      StandardStream.error("monitoring-info-sync: \(finding.severity.rawValue): \(finding.gnuDescription) [\(finding.tag)]\n")
    }
    for failure in collection.failures { StandardStream.error("monitoring-info-sync: \(failure)\n") }
  }

  static func dryRun(_ paths: ClientPaths, _ configuration: ClientConfiguration) -> Int32 {
    let sync = Sync(paths: paths, configuration: configuration, host: HostIdentity.name(configured: configuration.host))
    do {
      let collection = try sync.collect()
      report(collection)
      for omission in collection.omissions {
        StandardStream.error("monitoring-info-sync: left out: \(omission.subject): \(omission.reason)\n")
      }
      StandardStream.output(collection.payload(host: sync.host).serialized + "\n")
      return 0
    } catch {
      StandardStream.error("monitoring-info-sync: \(error)\n")
      return 1
    }
  }

  static func enroll(_ sync: Sync, ticket: String?) -> Int32 {
    let enrollment = Enrollment(sync: sync)
    do {
      let created = try enrollment.ensureKey()
      let fingerprint = try enrollment.fingerprint()
      StandardStream.output("\(created ? "made" : "using") key \(sync.store.keyPath) (\(fingerprint))\n")
      let reply = try sync.enroll(ticket: ticket)
      switch reply.result {
      case .pending:
        StandardStream.output("""
          enrollment of \(sync.host) is pending on \(sync.transport.destination).
          On the server, compare the fingerprint \(fingerprint) and run: auto-monitor-server accept \(sync.host)
          This host then registers by itself: within \(Sync.acceptancePollInterval) s during the next \(Sync.acceptanceWindow / 60) minutes, later at its retry timer's next run (about a minute).
          To register at once after the accept, run 'monitoring-info-sync' here.

          """)
        startAcceptanceWaiter(sync.paths)
        return 2
      default:
        StandardStream.output("\(sync.host) is enrolled with \(sync.transport.destination); registering.\n")
        return runSync(sync, mode: .always, quiet: false)
      }
    } catch {
      StandardStream.error("monitoring-info-sync: \(error)\n")
      return 1
    }
  }

  static func discover(_ invocation: Invocation) -> Int32 {
    do {
      let servers = try Discovery.browse(timeout: invocation.timeout)
      if invocation.json {
        StandardStream.output(JSONValue.array(servers.map(\.json)).serialized + "\n")
      } else if servers.isEmpty {
        StandardStream.error("monitoring-info-sync: no registration server announced (\(Discovery.serviceType)); set 'server' by hand\n")
        return 1
      } else {
        for server in servers {
          StandardStream.output("# \(server.name) at \(server.address) port \(server.port), host key \(server.fingerprint ?? "not announced")\n")
          StandardStream.output(server.configurationLines + "\n")
        }
      }
      return 0
    } catch {
      StandardStream.error("monitoring-info-sync: \(error)\n")
      return 1
    }
  }
}

extension Sync {
  /// Records a failure that happened before a sync could start (bad configuration).
  public func noteFailure(_ error: ClientError) {
    var state = loadState()
    state.recordFailure(error.description, digest: nil, now: SystemClock.now())
    do { try store.save(state) } catch {
      try? StateStore(directory: fallbackDirectory).save(state)
    }
  }
}
