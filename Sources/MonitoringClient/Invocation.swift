import MonitoringInfo

/// The command line of `monitoring-info-sync`, parsed by hand: dpkg runs it on every package
/// change, where an argument parser's start-up would be wasted.
public struct Invocation: Sendable, Equatable {
  public enum Action: Sendable, Equatable {
    case sync, trigger, retry, detached, awaitEnrollment, dryRun, status, enroll, deregister, discover, help, version
  }

  public var action: Action = .sync
  public var root: String?
  public var json = false
  public var force = false
  /// `deregister --print-command`: print ssh's arguments instead of running it.
  public var printCommand = false
  public var ticket: String?
  public var timeout: Double = 3

  public static let usage = """
    Usage: monitoring-info-sync [--force] [--root DIR]
           monitoring-info-sync --trigger | --retry | --dry-run [--root DIR]
           monitoring-info-sync --status [--json] [--root DIR]
           monitoring-info-sync enroll [--ticket TICKET] [--root DIR]
           monitoring-info-sync deregister [--print-command] [--root DIR]
           monitoring-info-sync discover [--json] [--timeout SECONDS]

    Registers this host's services, as the installed packages' /etc/monitoring-info/*.conf
    fragments describe them, with the monitoring server named in /etc/auto-monitor/client.conf,
    over ssh. Without a configured server it does nothing.

    Modes:
      (none)        Sync now: send the registration if it differs from the last accepted one;
                    if not, ask the server once ('status') whether it still holds it, and send
                    it again if not.
      --force       Send it even when unchanged.
      --trigger     What the dpkg trigger runs: start the sync in the background and return at
                    once; always exits 0, prints nothing. Without a change it never connects.
                    Failures are kept for --status and retried by monitoring-info-sync.timer.
      --retry       What the systemd units run: sync when the fragments changed, or when an
                    earlier attempt failed and its backoff (1 min doubling to 1 h) has passed; a
                    pending enrollment every 30 s; once a day ask the server whether it still
                    holds the registration.
      --dry-run     Print the payload that would be sent (stdout) and what was left out and
                    why (stderr). Never connects.
      --status      Server, enrollment, last success, services registered and rejected (with
                    reasons), quarantine, last error, pending retry, and what would be sent now.
                    --json for a JSON object.
      enroll        Make this host's key if missing, file an enrollment request with the server
                    (--ticket from 'auto-monitor-server ticket HOST' binds it at once) and print
                    the key's fingerprint for the server's administrator. While the request is
                    pending the host asks every 5 s for 10 minutes and registers once accepted.
      deregister    Ask the server to forget this host (its registration and its key).
                    --print-command prints the arguments of the ssh command that does it, one
                    per line, and sends nothing (the package keeps them for its purge, when
                    this program is gone).
      discover      List registration servers announced over Avahi (_auto-monitor._tcp) with
                    their host-key fingerprints, as configuration lines to confirm.

    A server that no longer knows this host's key (re-installed) gets its enrollment request
    again by itself; accepting it there is enough.

    Options:
      --root DIR    Work below DIR (tests, chroots); default $DPKG_ROOT, else /.
      --help, --version

    Exit status: 0 registered or nothing to do, 1 failed (recorded, retried), 2 enrollment
    pending, 3 registered but quarantined by the server (stored, not live; runs by hand
    only), 64 usage error.

    """

  public static func parse(_ arguments: [String], environment: (String) -> String? = Environment.get) throws(ClientError) -> Invocation {
    var invocation = Invocation()
    var actions: [Action] = []
    var scanner = ArgumentScanner(arguments)
    func value(_ option: String) throws(ClientError) -> String {
      do { return try scanner.value(of: option) } catch { throw .usage(error.description) }
    }
    while let item = scanner.next() {
      switch item {
      case .word("enroll"): actions.append(.enroll)
      case .word("deregister"): actions.append(.deregister)
      case .word("discover"): actions.append(.discover)
      case .word("sync"): actions.append(.sync)
      case .word(let word): throw .usage("unknown argument '\(word)' (see --help)")
      case .option(let option, _):
        switch option {
        case "--trigger": actions.append(.trigger)
        case "--retry": actions.append(.retry)
        case "--detached": actions.append(.detached)
        case "--await-enrollment": actions.append(.awaitEnrollment)
        case "--dry-run", "-n": actions.append(.dryRun)
        case "--status": actions.append(.status)
        case "--help", "-h": actions.append(.help)
        case "--version": actions.append(.version)
        case "--json": invocation.json = true
        case "--force": invocation.force = true
        case "--print-command": invocation.printCommand = true
        case "--root": invocation.root = try value(option)
        case "--ticket": invocation.ticket = try value(option)
        case "--timeout":
          let text = try value(option)
          guard let seconds = Double(text), seconds > 0, seconds <= 600 else { throw .usage("--timeout needs seconds (0 to 600), not '\(text)'") }
          invocation.timeout = seconds
        default: throw .usage("unknown argument '\(option)' (see --help)")
        }
      }
    }
    if actions.contains(.help) { actions = [.help] } else if actions.contains(.version) { actions = [.version] }
    guard actions.count <= 1 else { throw .usage("choose one mode, not several (see --help)") }
    invocation.action = actions.first ?? .sync
    if invocation.ticket != nil && invocation.action != .enroll { throw .usage("--ticket goes with enroll") }
    if invocation.printCommand && invocation.action != .deregister { throw .usage("--print-command goes with deregister") }
    if invocation.root == nil, let root = environment("DPKG_ROOT"), !root.isEmpty { invocation.root = root }
    return invocation
  }
}
