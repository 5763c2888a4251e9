import Foundation
import Testing
import TestKit

/// auto-monitor-client's configuration step through real debconf frontends in a dpkg root:
/// Joe (nothing asked, nothing configured), an administrator answering on a terminal
/// (readline frontend on a pseudo-terminal), preseeding with debconf-set-selections, and an
/// administrator's own edits of client.conf surviving a reconfiguration; purge removes it all.
@Suite struct DebconfTests {
  let configuration = "etc/auto-monitor/client.conf"

  func activeLines(_ text: String) -> [String] {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  @Test func joeIsAskedNothing() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    // At a terminal with the default priority (high): the low-priority questions are not
    // shown (a question asked would wait for input and time out).
    let output = try onTerminal(
      ["dpkg", "--root=\(root.path.path)", "--force-script-chrootless", "--force-depends", "-i", built.deb("auto-monitor-client").path],
      environment: root.environment(frontend: "readline"), input: "")
    #expect(try root.status("auto-monitor-client") == "install ok installed \(built.version)")
    let written = try root.read(configuration)
    #expect(activeLines(written).isEmpty, "\(written)")
    #expect(!output.contains("Monitoring server"), "\(output)")
    #expect(!output.lowercased().contains("error"), "\(output)")
  }

  @Test func readlineFrontendOnATerminal() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    let deb = built.deb("auto-monitor-client").path
    // Server, account, fingerprint, typed ahead.
    let answers = "monitor.example.org\nautomon\nSHA256:uJ0pRfbDZ2bw9sXFE2RcBnQj1+fvsoKwqnFBxl8XNfs\n"
    let transcript = try onTerminal(
      ["dpkg", "--root=\(root.path.path)", "--force-script-chrootless", "--force-depends", "-i", deb],
      environment: root.environment(frontend: "readline").merging(["DEBIAN_PRIORITY": "low"]) { $1 }, input: answers)
    #expect(transcript.contains("Monitoring server for this host"), "\(transcript)")
    let lines = activeLines(try root.read(configuration))
    #expect(lines.contains("server = monitor.example.org"), "\(lines)\n\(transcript)")
    #expect(lines.contains("user = automon"), "\(lines)")
    #expect(lines.contains("server_key = SHA256:uJ0pRfbDZ2bw9sXFE2RcBnQj1+fvsoKwqnFBxl8XNfs"), "\(lines)")
  }

  @Test func preseedingAndTheAdministratorsEdits() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    let selections = """
      auto-monitor-client auto-monitor-client/server string monitor.example.org
      auto-monitor-client auto-monitor-client/server_key string ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBXwUFp1u9dR5pXq1W3c6Yl6SWh0Lh6kD4v7p1n0a2b3

      """
    try shell("debconf-set-selections", root.environment(), stdin: selections)
    try root.dpkg(["-i", built.deb("auto-monitor-client").path])
    var lines = activeLines(try root.read(configuration))
    #expect(lines.contains("server = monitor.example.org"), "\(lines)")
    #expect(lines.contains { $0.hasPrefix("server_key = ssh-ed25519 AAAA") }, "\(lines)")

    // The administrator moves the server by hand and opts apache2 out; a reinstallation
    // (configure runs again) keeps both.
    let edited = try root.read(configuration).replacingOccurrences(of: "server = monitor.example.org", with: "server = nagios.example.org")
      + "exclude = apache2\n"
    try edited.write(to: root.path.appendingPathComponent(configuration), atomically: true, encoding: .utf8)
    try root.dpkg(["-i", built.deb("auto-monitor-client").path])
    lines = activeLines(try root.read(configuration))
    #expect(lines.contains("server = nagios.example.org"), "\(lines)")
    #expect(!lines.contains("server = monitor.example.org"), "\(lines)")
    #expect(lines.contains("exclude = apache2"), "\(lines)")

    // A value debconf must not write (a line break or a shell character) is refused.
    try shell("debconf-set-selections", root.environment(), stdin: "auto-monitor-client auto-monitor-client/user string bad;user\n")
    try root.dpkg(["-i", built.deb("auto-monitor-client").path])
    #expect(!(try root.read(configuration)).contains("bad;user"))

    try root.dpkg(["-P", "auto-monitor-client"])
    #expect(!root.exists(configuration))
    #expect(!root.exists("var/lib/auto-monitor-client"))
    let left = try shell("debconf-show auto-monitor-client 2>/dev/null || true", root.environment())
    #expect(left.isEmpty, "\(left)")
  }

  /// The question says an empty server means no monitoring: `dpkg-reconfigure -plow` with the
  /// server answered empty turns the client off (no active `server` line left), and every
  /// other line the administrator wrote stays as it was.
  @Test func anEmptyServerAnswerTurnsTheClientOff() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    let selections = """
      auto-monitor-client auto-monitor-client/server string monitor.example.org
      auto-monitor-client auto-monitor-client/server_key string SHA256:uJ0pRfbDZ2bw9sXFE2RcBnQj1+fvsoKwqnFBxl8XNfs

      """
    try shell("debconf-set-selections", root.environment(), stdin: selections)
    try root.dpkg(["-i", built.deb("auto-monitor-client").path])
    #expect(activeLines(try root.read(configuration)).contains("server = monitor.example.org"))
    let administrators = "# mine\nexclude = apache2\nport = 2222\ntimeout = 10\nhost = b.example.org\n"
    try (try root.read(configuration) + administrators)
      .write(to: root.path.appendingPathComponent(configuration), atomically: true, encoding: .utf8)
    let before = activeLines(try root.read(configuration))
    // debconf (1.5.82) puts DPKG_ROOT in front of its configuration file's path in place, so
    // dpkg-reconfigure's second load (after running the prerm) looks for it under the root
    // twice: a copy there lets it find the same databases.
    let doubled = root.path.appendingPathComponent(root.path.path + "/etc")
    try FileManager.default.createDirectory(at: doubled, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: root.debconfConfiguration, to: doubled.appendingPathComponent("debconf.conf"))

    // The administrator empties the server (the only question then asked) on a terminal.
    let transcript = try onTerminal(
      ["dpkg-reconfigure", "-freadline", "-plow", "auto-monitor-client"],
      environment: root.environment(frontend: "readline"), input: "\n")
    #expect(transcript.contains("Monitoring server for this host"), "\(transcript)")
    let after = activeLines(try root.read(configuration))
    #expect(!after.contains { $0.hasPrefix("server ") || $0.hasPrefix("server=") }, "\(after)\n\(transcript)")
    #expect(after == before.filter { !$0.hasPrefix("server ") }, "\(after)")
    #expect(try root.read(configuration).contains("# mine\n"))
    let status = try runProgram(
      root.path.appendingPathComponent("usr/sbin/monitoring-info-sync").path, ["--status", "--root", root.path.path])
    #expect(status.stdout.hasPrefix("No registration server configured"), "\(status.stdout)\(status.stderr)")

    // Asked again, the question offers no server, and answering one turns it on again with
    // the administrator's lines still there.
    _ = try onTerminal(
      ["dpkg-reconfigure", "-freadline", "-plow", "auto-monitor-client"],
      environment: root.environment(frontend: "readline"),
      input: "nagios.example.org\nautomon\nSHA256:uJ0pRfbDZ2bw9sXFE2RcBnQj1+fvsoKwqnFBxl8XNfs\n")
    let again = activeLines(try root.read(configuration))
    #expect(again.contains("server = nagios.example.org"), "\(again)")
    #expect(again.filter { $0.hasPrefix("server ") }.count == 1, "\(again)")
    for line in ["exclude = apache2", "port = 2222", "timeout = 10", "host = b.example.org"] {
      #expect(again.contains(line), "\(line) lost: \(again)")
    }
  }
}

/// Runs a program on a new pseudo-terminal (the readline frontend insists on one), types
/// `input` into it and returns everything it printed; throws when it fails.
func onTerminal(_ command: [String], environment: [String: String], input: String) throws -> String {
  let driver = """
    import os, pty, sys
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    os.write(fd, sys.stdin.buffer.read())
    out = b""
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(out)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
  var merged = ProcessInfo.processInfo.environment
  merged.merge(environment) { $1 }
  // A question nobody answers must fail the test, not hang it.
  let result = try runProgram("python3", ["-c", driver, "timeout", "300"] + command, environment: merged, stdin: Data(input.utf8))
  guard result.succeeded else { throw TestFailure("\(command.joined(separator: " ")) on a terminal exited \(result.status):\n\(result.stdout)\(result.stderr)") }
  return result.stdout
}
