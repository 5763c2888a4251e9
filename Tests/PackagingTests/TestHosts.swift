import Foundation
import TestKit

/// Hosts made with tools/testhost, sharing one state directory so they can be linked;
/// `destroyAll()` removes every one of them. Each host sees `.build/packaging/` (the built
/// packages, the source tree, the archive downloads) at its own path, read-only: a host's /tmp
/// is its own, and the checkout may be under /tmp.
final class TestHosts: @unchecked Sendable {
  static let tool = BuildPaths.packageRoot.appendingPathComponent("tools/testhost").path
  static let shared = BuildPaths.packageRoot.appendingPathComponent(".build/packaging").path
  let directory: String
  private(set) var names: [String] = []

  init() throws {
    directory = try temporaryDirectory("mi-testhost").path
  }

  @discardableResult
  func tool(_ arguments: [String], stdin: String? = nil) throws -> String {
    var environment = ProcessInfo.processInfo.environment
    environment["TESTHOST_DIR"] = directory
    environment["TESTHOST_SHARE"] = Self.shared
    let result = try runProgram(Self.tool, arguments, environment: environment, stdin: stdin.map { Data($0.utf8) })
    guard result.succeeded else {
      throw TestFailure("testhost \(arguments.joined(separator: " ")) exited \(result.status):\n\(result.stdout)\(result.stderr)")
    }
    return result.stdout
  }

  /// A new host with a unique name; `prefix` makes it recognisable in Nagios and in logs.
  func create(_ prefix: String = "h", address: String) throws -> TestHost {
    let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let name = prefix + String(token.prefix(10 - prefix.count))
    try tool(["create", name, address])
    names.append(name)
    return TestHost(name: name, hosts: self)
  }

  func link(_ a: TestHost, _ b: TestHost) throws { try tool(["link", a.name, b.name]) }

  func destroyAll() {
    for name in names { _ = try? tool(["destroy", name]) }
    try? FileManager.default.removeItem(atPath: directory)
  }
}

struct TestHost {
  let name: String
  let hosts: TestHosts

  /// Runs a shell script as root inside the host; throws with its output when it fails.
  @discardableResult
  func run(_ script: String, stdin: String? = nil) throws -> String {
    try hosts.tool(["run", name, "sh", "-c", script], stdin: stdin)
  }

  func startAvahi() throws { try hosts.tool(["start-avahi", name]) }

  /// What the server host (this one) and a client host say about themselves, for a failure message.
  func diagnostics(client: TestHost) -> String {
    let server = (try? run("auto-monitor-server status 2>&1; auto-monitor-server list 2>&1")) ?? ""
    let said = (try? client.run("monitoring-info-sync --status 2>&1")) ?? ""
    return "server:\n\(server)\nclient:\n\(said)"
  }

  /// Whether Nagios' objects.cache on this host has (or no longer has) `host`, waited for up to 30 s.
  func nagiosHasHost(_ host: String, present: Bool) throws -> Bool {
    let test = "grep -q 'host_name[[:space:]]*\(host)$' /var/lib/nagios4/objects.cache"
    return try run("""
      for i in $(seq 1 60); do
        if \(present ? "" : "! ")\(test); then echo yes; exit 0; fi
        sleep 0.5
      done
      echo no
      """) == "yes\n"
  }

  /// This host as a client of `server`: its sshd runs (what the openssh-server default checks),
  /// auto-monitor-client is installed with the server's confirmed host key, every day-one
  /// default but openssh-server's is excluded (those daemons do not run inside), and it enrolls
  /// with a ticket from the server.
  func enrollClient(of server: TestHost, clientPackage: URL) throws {
    let hostKey = try server.run("cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trimmingCharacters(in: .whitespacesAndNewlines)
    let ticket = try server.run("auto-monitor-server ticket \(name)").trimmingCharacters(in: .whitespacesAndNewlines)
    try run(
      """
      mkdir -p /run/sshd && /usr/sbin/sshd
      printf '%s\\n' 'auto-monitor-client auto-monitor-client/server string \(server.name)' \
        'auto-monitor-client auto-monitor-client/server_key string \(hostKey)' | debconf-set-selections
      dpkg -i '\(clientPackage.path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      others=$(ls /usr/share/monitoring-info/defaults | sed 's/[.]conf$//' | grep -vx openssh-server | tr '\\n' ' ')
      echo "exclude = $others" >> /etc/auto-monitor/client.conf
      monitoring-info-sync enroll --ticket \(ticket) >/tmp/enroll.log 2>&1 || { cat /tmp/enroll.log; exit 1; }
      """)
  }

  /// Installs these packages with dpkg inside the host, showing dpkg's log when it fails.
  func install(_ debs: [URL]) throws {
    let paths = debs.map { "'\($0.path)'" }.joined(separator: " ")
    try run("dpkg -i \(paths) >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
  }
}
