import Foundation
import MonitoringClient
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 that accepts connections and never says a word (a server that
/// hangs); the socket stays open until `close()`.
final class SilentServer {
  let descriptor: Int32
  let port: Int

  init() {
    port = allocatePort()
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    listen(descriptor, 16)
  }

  func close() { Glibc.close(descriptor) }
}

/// A configured client root: host name, server, a pinned (unrelated) host key, its own key.
func configuredRoot(port: Int, timeout: Int = 30, extra: String = "") throws -> TestRoot {
  let root = try TestRoot("configured")
  try root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
  try root.fragment("apache2", "[apache2]\ntype = http\n")
  let hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
  try root.configure("server = 127.0.0.1\nport = \(port)\nhost = b.example.org\nserver_key = \(hostKey)\nconnect_timeout = 2\ntimeout = \(timeout)\n\(extra)")
  try FileManager.default.createDirectory(atPath: root.path + "/var/lib/auto-monitor-client", withIntermediateDirectories: true)
  let keygen = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", root.path + "/var/lib/auto-monitor-client/id_ed25519"])
  #expect(keygen.succeeded)
  return root
}

@Suite struct CommandTests {
  @Test func helpAndUsageErrors() throws {
    let help = try runProgram(Client.binary, ["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--trigger") && help.stdout.contains("enroll") && help.stdout.contains("Exit status"))
    let bad = try runProgram(Client.binary, ["--frobnicate"])
    #expect(bad.status == 64)
    #expect(bad.stderr == "monitoring-info-sync: unknown argument '--frobnicate' (see --help)\n")
    let twoModes = try runProgram(Client.binary, ["--status", "--dry-run"])
    #expect(twoModes.status == 64)
    // Whatever dpkg passes, the trigger never fails.
    let badTrigger = try runProgram(Client.binary, ["--trigger", "--frobnicate"])
    #expect(badTrigger.status == 0 && badTrigger.stdout.isEmpty && badTrigger.stderr.isEmpty)
  }

  @Test func dryRunPrintsThePayloadAndWhatWasLeftOut() throws {
    let root = try TestRoot()
    try root.setPackages([
      PackageRecord(name: "apache2", conffiles: [conffile("apache2")]),
      PackageRecord(name: "gone", state: "config-files", conffiles: [conffile("gone")]),
    ])
    try root.fragment("apache2", "[apache2]\ntype = http\nport = 80\n[broken]\ntype = tcp\n")
    try root.fragment("gone", "[gone]\ntype = ssh\n")
    try root.configure("host = b.example.org\n")
    let result = try root.run(["--dry-run"])
    #expect(result.status == 0)
    #expect(result.stdout == #"{"host":"b.example.org","services":[{"name":"apache2","params":{"port":"80"},"source":"apache2.conf","type":"http"}],"version":1}"# + "\n")
    #expect(result.stderr.contains("/etc/monitoring-info/apache2.conf:4:2: type 'tcp' needs 'port'"))
    #expect(result.stderr.contains("left out: gone.conf: package gone is removed but not purged"))
  }

  @Test func statusWithoutServerSaysSoAndNothingElse() throws {
    let root = try TestRoot()
    let text = try root.run(["--status"])
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("No registration server configured"))
    let json = try root.run(["--status", "--json"])
    #expect(json.stdout == #"{"configured":false}"# + "\n")
  }

  /// Joe: no configuration. The trigger prints nothing, exits 0, opens no socket and runs no
  /// program (strace follows every process it could start).
  @Test func joeTriggerTouchesNothing() throws {
    let root = try TestRoot("joe")
    try root.setPackages([PackageRecord(name: "apache2", conffiles: [conffile("apache2")])])
    try root.fragment("apache2", "[apache2]\ntype = http\n")
    let trace = root.path + "/strace.out"
    for arguments in [["--trigger"], ["--retry"], ["--detached"]] {
      let result = try runProgram("strace", ["-f", "-qq", "-o", trace, "-e", "trace=socket,connect,execve,clone,clone3,fork,vfork", Client.binary] + arguments + ["--root", root.path])
      #expect(result.status == 0)
      #expect(result.stdout.isEmpty && result.stderr.isEmpty)
      let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
      #expect(calls.filter { $0.contains("socket(") || $0.contains("connect(") }.isEmpty, "\(arguments): \(calls)")
      #expect(calls.filter { $0.contains("execve(") }.count == 1, "\(arguments): \(calls)")
      #expect(calls.filter { $0.contains("clone") || $0.contains("fork") }.isEmpty, "\(arguments): \(calls)")
    }
    #expect(!FileManager.default.fileExists(atPath: root.path + "/var/lib/auto-monitor-client"))
    // With a configuration that names no server it is the same.
    try root.configure("exclude = apache2\n")
    let again = try root.run(["--trigger"])
    #expect(again.status == 0 && again.stdout.isEmpty && again.stderr.isEmpty)
  }

  /// A server that accepts and never answers: the trigger still returns at once (the sync
  /// runs detached), the detached sync gives up after `timeout`, and the failure is in --status.
  @Test func triggerReturnsAtOnceAndRecordsATimeout() throws {
    let server = SilentServer()
    defer { server.close() }
    let root = try configuredRoot(port: server.port, timeout: 3)
    let start = Date()
    let result = try root.run(["--trigger"])
    let held = Date().timeIntervalSince(start)
    #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
    #expect(held < 1.0, "the trigger held its caller \(held) s")
    // ssh's connect timeout covers the banner; the total timeout whatever comes after.
    #expect(waitUntil(seconds: 15) { root.state?.contains("timed out") == true || root.state?.contains("(timeout)") == true }, "state: \(root.state ?? "none")")
    let status = try root.run(["--status", "--json"])
    let json = try #require(parseJSON(status.stdout))
    #expect((json["last_error"] as? String)?.contains("automon@127.0.0.1:\(server.port)") == true)
    #expect(json["pending_retry"] is String)
    #expect(json["failures"] as? Int == 1)
  }

  /// dpkg runs the trigger while it holds its lock and may still write the states the sync
  /// reads: the detached sync reads nothing until dpkg's lock is free (it never takes it).
  @Test func detachedSyncWaitsForDpkgToFinish() throws {
    let port = allocatePort()  // nothing listens there: the attempt fails fast once it is made
    let root = try configuredRoot(port: port)
    try root.write("var/lib/dpkg/lock", "")
    let descriptor = open(root.path + "/var/lib/dpkg/lock", O_RDWR)
    #expect(descriptor >= 0)
    var hold = flock()
    hold.l_type = Int16(F_WRLCK)
    hold.l_whence = Int16(SEEK_SET)
    #expect(fcntl(descriptor, F_SETLK, &hold) == 0)
    #expect(try root.run(["--trigger"]).status == 0)
    // Wait for the event, not a time: the detached sync has dpkg's lock file open and has
    // asked about the lock several times (each wait between two questions is a context switch).
    let lock = root.path + "/var/lib/dpkg/lock"
    #expect(waitUntil(seconds: 10) { Self.processes(holdingOpen: lock).count == 1 }, "no detached sync waits on \(lock)")
    if let waiter = Self.processes(holdingOpen: lock).first, let before = Self.voluntarySwitches(waiter) {
      #expect(waitUntil(seconds: 10) { (Self.voluntarySwitches(waiter) ?? 0) >= before + 5 })
    }
    #expect(root.state == nil || root.state?.contains("Connection refused") == false, "synced while dpkg held its lock")
    close(descriptor)  // dpkg is done
    #expect(waitUntil(seconds: 10) { root.state?.contains("Connection refused") == true }, "state: \(root.state ?? "none")")
  }

  @Test func serverDownIsRecordedAndTheRetryWaitsForItsBackoff() throws {
    let port = allocatePort()  // nothing listens there
    let root = try configuredRoot(port: port)
    let sync = try root.run([])
    #expect(sync.status == 1)
    #expect(sync.stderr.contains("Connection refused"), "\(sync.stderr)")
    let status = try root.run(["--status"])
    #expect(status.stdout.contains("last error:") && status.stdout.contains("Connection refused"))
    #expect(status.stdout.contains("retry:        pending, attempt 2 after"))
    // The timer's run respects the backoff for the same payload ...
    let retry = try root.run(["--retry"])
    #expect(retry.status == 0 && retry.stdout.isEmpty && retry.stderr.isEmpty)
    #expect(parseJSON(root.state ?? "")?["failures"] as? Int == 1)
    // ... but a changed fragment (the path unit) is tried at once.
    try root.fragment("apache2", "[apache2]\ntype = http\nport = 8080\n")
    let changed = try root.run(["--retry"])
    #expect(changed.status == 1 && changed.stdout.isEmpty && changed.stderr.isEmpty, "\(changed)")  // quiet, but a failed unit
    #expect(parseJSON(root.state ?? "")?["failures"] as? Int == 2, "\(root.state ?? "")")
  }

  @Test func wrongHostKeyIsAHostKeyError() throws {
    // A real sshd with its own host key; server_key pins another one.
    let sshd = try PrivateSSHD(authorizedKeys: nil)
    try sshd.start()
    defer { sshd.stop() }
    let root = try configuredRoot(port: sshd.port)
    let result = try root.run([])
    #expect(result.status == 1)
    #expect(result.stderr.contains("host key verification failed"), "\(result.stderr)")
    #expect(try root.run(["--status"]).stdout.contains("host key verification failed"))
  }

  @Test func aFingerprintPinIsResolvedWithKeyscanAndAMismatchRefused() throws {
    let sshd = try PrivateSSHD(authorizedKeys: nil)
    try sshd.start()
    defer { sshd.stop() }
    let root = try configuredRoot(port: sshd.port)
    let wrong = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
    var text = root.read("etc/auto-monitor/client.conf")!
    text = text.replacingOccurrences(of: #"server_key = ssh-ed25519 \S+"#, with: "server_key = \(wrong)", options: .regularExpression)
    try root.configure(text)
    let mismatch = try root.run([])
    #expect(mismatch.status == 1)
    #expect(mismatch.stderr.contains("host key does not match server_key \(wrong)"), "\(mismatch.stderr)")
    // With the right fingerprint the key is pinned, and the refusal comes from authentication.
    try root.configure(text.replacingOccurrences(of: wrong, with: sshd.hostKeyFingerprint))
    let refused = try root.run([])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("refused this host's key"), "\(refused.stderr)")
    #expect(root.read("var/lib/auto-monitor-client/known_hosts")?.contains(sshd.hostKeyBase64) == true)
  }

  @Test func aFullOrReadOnlyStateDirectoryStillShowsTheErrorInStatus() throws {
    let port = allocatePort()
    for options in ["ro,size=64k", "size=8k"] {
      let root = try configuredRoot(port: port)
      let state = root.path + "/var/lib/auto-monitor-client"
      // The key must exist inside the mount; a full tmpfs gets it before it is filled.
      let script = """
        set -e
        mkdir \(root.path)/keys
        cp \(state)/id_ed25519 \(state)/id_ed25519.pub \(root.path)/keys/
        mount -t tmpfs -o size=64k tmpfs \(state)
        cp \(root.path)/keys/* \(state)/
        chmod 600 \(state)/id_ed25519
        case "\(options)" in ro*) mount -o remount,ro \(state) ;; *) dd if=/dev/zero of=\(state)/fill bs=1k 2>/dev/null || true ;; esac
        \(Client.binary) --trigger --root \(root.path)
        echo trigger=$?
        for i in $(seq 100); do [ -e \(root.path)/run/auto-monitor-client/state.json ] && break; sleep 0.05; done
        \(Client.binary) --status --root \(root.path)
        """
      let result = try runProgram("unshare", ["-m", "sh", "-c", script])
      #expect(result.stdout.contains("trigger=0"), "\(options): \(result.stdout) \(result.stderr)")
      #expect(result.stdout.contains("Connection refused"), "\(options): \(result.stdout)")
      #expect(result.stdout.contains("cannot write"), "\(options): \(result.stdout)")
      // Outside the namespace (the mount gone, the directory writable again) the next run
      // records normally: the fallback note under /run is superseded.
      _ = try root.run([])
      #expect(root.state?.contains("Connection refused") == true)
    }
  }

  /// A server whose forced command answers garbage, or never answers after login: the
  /// answer is refused as not the protocol's, the silence ends at the total timeout.
  @Test(arguments: [("printf 'HTTP/1.0 200 OK'", "no valid reply"), ("sleep 30", "within 3 s (timeout)")])
  func garbageAndSilenceAfterLogin(command: String, expected: String) throws {
    let root = try configuredRoot(port: 1, timeout: 3)
    let publicKey = try String(contentsOfFile: root.path + "/var/lib/auto-monitor-client/id_ed25519.pub", encoding: .utf8)
    let sshd = try PrivateSSHD(authorizedKeys: "restrict,command=\"\(command)\" \(publicKey)")
    try sshd.start()
    defer { sshd.stop() }
    var text = root.read("etc/auto-monitor/client.conf")!
    text = text.replacingOccurrences(of: "port = 1\n", with: "port = \(sshd.port)\nuser = root\n")
      .replacingOccurrences(of: #"server_key = ssh-ed25519 \S+"#, with: "server_key = \(sshd.hostKeyFingerprint)", options: .regularExpression)
    try root.configure(text)
    let start = Date()
    let result = try root.run([])
    #expect(Date().timeIntervalSince(start) < 15)
    #expect(result.status == 1)
    #expect(result.stderr.contains(expected), "\(result.stderr)")
    #expect(try root.run(["--status"]).stdout.contains(expected))
  }
}

/// A server the client cannot reach, and why: a closed port on 127.0.0.1, and in network
/// namespaces the test makes (198.18.0.0/15, gone with the namespace) an address no route leads
/// to, a neighbour that never answers ARP, one that swallows every packet, and a name no
/// resolver can answer. `enroll` with a fingerprint pin (the host key is fetched first) and a
/// sync with the whole key pinned say the same.
struct Unreachable: Sendable, CustomStringConvertible {
  var description: String
  var server: String
  /// Shell commands that make the namespace's network; nil: run on this machine's.
  var network: String?
  var expected: [String]

  static let all = [
    Unreachable(description: "closed port", server: "127.0.0.1", network: nil, expected: ["Connection refused", "nothing listens on port"]),
    Unreachable(
      description: "no route", server: "198.18.0.9", network: "ip link set lo up",
      expected: ["no route to 198.18.0.9", "Network is unreachable"]),
    Unreachable(
      description: "no neighbour", server: "198.18.0.7",
      network: "ip link set lo up; ip link add v0 type veth peer name v1; ip addr add 198.18.0.1/24 dev v0; ip link set v0 up; ip link set v1 up; echo 1 >/proc/sys/net/ipv4/neigh/v0/mcast_solicit",
      expected: ["no route to 198.18.0.7", "No route to host"]),
    Unreachable(
      description: "packets dropped", server: "198.18.0.9",
      network: "ip link set lo up; ip link add v0 type veth peer name v1; ip addr add 198.18.0.1/24 dev v0; ip link set v0 up; ip link set v1 up; ip neigh add 198.18.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent",
      expected: ["timed out after 2 s", "does not answer"]),
    Unreachable(description: "unresolvable name", server: "monitor.invalid", network: "ip link set lo up", expected: ["not resolved"]),
  ]
}

@Suite struct UnreachableServerTests {
  @Test(arguments: Unreachable.all)
  func saysTheServerCouldNotBeReachedAndWhy(_ unreachable: Unreachable) throws {
    let case_ = unreachable
    let port = allocatePort()  // nothing listens there
    let root = try configuredRoot(port: port)
    var text = root.read("etc/auto-monitor/client.conf")!.replacingOccurrences(of: "server = 127.0.0.1", with: "server = \(case_.server)")
    try root.configure(text)
    let wholeKey = text
    text = text.replacingOccurrences(
      of: #"server_key = ssh-ed25519 \S+"#, with: "server_key = SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
      options: .regularExpression)
    let fingerprint = root.path + "/fingerprint.conf"
    try text.write(toFile: fingerprint, atomically: true, encoding: .utf8)
    let configuration = root.path + "/etc/auto-monitor/client.conf"
    // enroll and a sync with the fingerprint pin (ssh-keyscan first), a sync with the key.
    let script = """
      set -u
      \(case_.network ?? ":")
      cp \(fingerprint) \(configuration)
      \(Client.binary) enroll --root \(root.path) >\(root.path)/enroll.out 2>\(root.path)/enroll.err; echo "enroll=$?"
      \(Client.binary) --root \(root.path) >/dev/null 2>\(root.path)/scan.err; echo "scan=$?"
      printf '%s' "$WHOLE_KEY" >\(configuration)
      \(Client.binary) --root \(root.path) >/dev/null 2>\(root.path)/sync.err; echo "sync=$?"
      \(Client.binary) --status --root \(root.path) >\(root.path)/status.out; echo "status=$?"
      """
    var environment = ProcessInfo.processInfo.environment
    environment["WHOLE_KEY"] = wholeKey
    let start = Date()
    let result = try runProgram(case_.network == nil ? "/bin/sh" : "unshare", (case_.network == nil ? [] : ["-n", "/bin/sh"]) + ["-c", script], environment: environment)
    let elapsed = Date().timeIntervalSince(start)
    #expect(result.stdout.contains("enroll=1") && result.stdout.contains("scan=1") && result.stdout.contains("sync=1"), "\(result.stdout)\(result.stderr)")
    let destination = "automon@\(case_.server):\(port)"
    for name in ["enroll.err", "scan.err", "sync.err", "status.out"] {
      let output = root.read(name) ?? ""
      #expect(output.contains("cannot reach the server \(destination)"), "\(case_) \(name): \(output)")
      for expected in case_.expected {
        #expect(output.contains(expected), "\(case_) \(name): \(output)")
      }
      #expect(!output.contains("no host key offered"), "\(case_) \(name): \(output)")
    }
    #expect(elapsed < 40, "\(case_): \(elapsed) s")
  }
}

/// man/monitoring-info-sync.8 and --help describe the same program: the same synopsis lines,
/// the same options, every exit status.
@Suite struct ManualPageTests {
  static let page = Client.packageRoot + "/man/monitoring-info-sync.8"

  /// The roff of one section, its macros rendered to plain text: `.B`/`.I` words joined with
  /// blanks, `.BR`/`.RB`/`.IR`/... arguments joined without (alternating fonts), `\-` as `-`.
  static func section(_ name: String) throws -> [String] {
    let roff = try String(contentsOfFile: page, encoding: .utf8)
    var lines: [String] = []
    var inside = false
    for line in roff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix(".SH ") {
        inside = line.dropFirst(4).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == name
        continue
      }
      guard inside else { continue }
      lines.append(render(line))
    }
    return lines
  }

  static func render(_ line: String) -> String {
    var text = line.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\(em", with: "-")
    var macro = ""
    if text.hasPrefix(".") {
      let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
      macro = parts[0]
      text = parts.count > 1 ? parts[1] : ""
    }
    var arguments: [String] = []
    var current = ""
    var quoted = false
    for character in text {
      if character == "\"" { quoted.toggle(); continue }
      if character == " " && !quoted {
        if !current.isEmpty { arguments.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { arguments.append(current) }
    switch macro {
    case ".BR", ".RB", ".IR", ".RI", ".BI", ".IB": return arguments.joined()
    case ".B", ".I", "": return arguments.joined(separator: " ")
    default: return macro  // .br, .TP, .PP ...
    }
  }

  static func normalized(_ line: String) -> String {
    line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  /// Synopsis lines of the page: the rendered pieces between `.br`.
  static func synopsis() throws -> [String] {
    var result: [String] = []
    var current: [String] = []
    for piece in try section("SYNOPSIS") {
      if piece == ".br" {
        result.append(normalized(current.joined(separator: " ")))
        current = []
      } else if !piece.isEmpty {
        current.append(piece)
      }
    }
    if !current.isEmpty { result.append(normalized(current.joined(separator: " "))) }
    return result
  }

  static func help() throws -> String { try runProgram(Client.binary, ["--help"]).stdout }

  static func usageLines(_ help: String) -> [String] {
    help.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
      normalized($0.replacingOccurrences(of: "Usage:", with: ""))
    }
  }

  static func options(_ text: String) -> Set<String> {
    var found: Set<String> = []
    var word = ""
    for character in text + " " {
      if character.isLetter || character.isNumber || character == "-" {
        word.append(character)
      } else {
        if word.hasPrefix("--"), word.count > 2 { found.insert(word) }
        word = ""
      }
    }
    return found
  }

  @Test func synopsisIsTheUsageOfHelp() throws {
    let help = try Self.help()
    let synopsis = try Self.synopsis()
    #expect(synopsis == Self.usageLines(help), "\(synopsis)\n\(Self.usageLines(help))")
    for usage in ["monitoring-info-sync --status [--json] [--root DIR]", "monitoring-info-sync enroll [--ticket TICKET] [--root DIR]",
      "monitoring-info-sync deregister [--print-command] [--root DIR]"]
    {
      #expect(Self.usageLines(help).contains(usage), "\(usage)")
    }
  }

  @Test func everyOptionIsOnBoth() throws {
    let help = Self.options(try Self.help())
    let page = Self.options(try String(contentsOfFile: Self.page, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-"))

    #expect(help == page, "only in --help: \(help.subtracting(page).sorted()); only in the page: \(page.subtracting(help).sorted())")
  }

  @Test func everyExitStatusIsDocumented() throws {
    let exit = try Self.section("EXIT STATUS").joined(separator: "\n")
    let help = try Self.help()
    for status in ["0", "1", "2", "3", "64"] {
      #expect(exit.contains(".TP\n\(status)\n"), "exit status \(status) missing from the page:\n\(exit)")
      #expect(help.contains(" \(status) "), "exit status \(status) missing from --help")
    }
  }
}

extension CommandTests {
  /// Processes other than this one with `path` open.
  static func processes(holdingOpen path: String) -> [Int32] {
    let own = getpid()
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
      pid != own && ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).contains { fd in
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == path
      }
    }
  }

  static func voluntarySwitches(_ pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    return status.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") }
      .flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
  }
}

extension CommandTests {
  /// The purge deregisters with the program's own ssh options: `--print-command` prints them.
  @Test func deregisterPrintsTheSSHCommandItWouldRun() throws {
    let root = try configuredRoot(port: 2222)
    let printed = try root.run(["deregister", "--print-command"])
    #expect(printed.status == 0 && printed.stderr.isEmpty, "\(printed.stderr)")
    let arguments = printed.stdout.split(separator: "\n").map(String.init)
    #expect(arguments.suffix(2) == ["127.0.0.1", "deregister"], "\(arguments)")
    for option in ["BatchMode=yes", "StrictHostKeyChecking=yes", "HostKeyAlias=auto-monitor-server", "IdentitiesOnly=yes"] {
      #expect(arguments.contains(option), "\(option) missing: \(arguments)")
    }
    #expect(arguments.contains(root.path + "/var/lib/auto-monitor-client/id_ed25519"))
    #expect(try root.run(["--print-command"]).status == 64)
  }
}
