import Foundation
import Testing
import TestKit

/// What administrators do around the happy path, with the real packages on two throw-away
/// hosts: the server installs with only nagios4-core; purging it on a running Nagios takes the
/// generated objects out of the daemon; re-installing it forgets every client, which notices and
/// asks to enroll again; purging a client leaves nothing of it on the server.
@Suite struct PurgeAndReinstallTests {
  @Test func serverPurgeReinstallAndClientPurge() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let a = try hosts.create("a", address: "198.18.6.1/24")
    let b = try hosts.create("b", address: "198.18.6.2/24")
    try hosts.link(a, b)
    let server = [built.deb("auto-monitor-plugins").path, built.deb("auto-monitor-server-common").path,
      built.deb("auto-monitor-server-nagios").path]
      .map { "'\($0)'" }.joined(separator: " ")

    // The server needs the Nagios daemon, not its web front end: plain dpkg -i, no --force-depends.
    #expect(try a.run("dpkg-query -W -f='${Status}' nagios4 2>/dev/null | grep -q '^install ok' && echo present || echo absent") == "absent\n")
    try a.run("dpkg -i \(server) >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    try a.run("mkdir -p /run/sshd && /usr/sbin/sshd && /etc/init.d/nagios4 start >/dev/null && /etc/init.d/auto-monitor-server-watch start >/dev/null")
    let hostKey = try a.run("cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trimmingCharacters(in: .whitespacesAndNewlines)
    let ticket = try a.run("auto-monitor-server ticket \(b.name)").trimmingCharacters(in: .whitespacesAndNewlines)
    try b.run(
      """
      printf '%s\\n' 'auto-monitor-client auto-monitor-client/server string \(a.name)' \
        'auto-monitor-client auto-monitor-client/server_key string \(hostKey)' | debconf-set-selections
      dpkg -i '\(built.deb("auto-monitor-client").path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      monitoring-info-sync enroll --ticket \(ticket) >/tmp/enroll.log 2>&1 || { cat /tmp/enroll.log; exit 1; }
      """)
    // openssh-server is installed, so its day-one default registers the ssh service.
    #expect(try a.nagiosHasHost(b.name, present: true), "\(a.diagnostics(client: b))")

    // 1. Purging the server on a running Nagios: the daemon stops checking the host at once.
    try a.run("dpkg -P auto-monitor-server-nagios auto-monitor-server-common >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    #expect(try a.nagiosHasHost(b.name, present: false), "Nagios still has the purged objects")
    #expect(try a.run("nagios4 -v /etc/nagios4/nagios.cfg >/dev/null && echo verifies") == "verifies\n")

    // 2. Re-installed, the server knows no client. The client's next by-hand sync notices, says
    // so, and files its enrollment request again; once accepted, it registers.
    try a.run("dpkg -i \(server) >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    try a.run("/etc/init.d/auto-monitor-server-watch start >/dev/null; auto-monitor-server list")
    let noticed = try b.run("monitoring-info-sync 2>&1; echo \"exit $?\"")
    #expect(!noticed.hasSuffix("exit 0\n") && noticed.contains("accept \(b.name)"), "\(noticed)")
    let status = try b.run("monitoring-info-sync --status 2>&1")
    #expect(status.contains("accept \(b.name)"), "\(status)")
    let pending = try a.run("auto-monitor-server list")
    #expect(pending.contains("pending enrollment requests") && pending.contains(b.name), "\(pending)")
    let accepted = try a.run("auto-monitor-server accept \(b.name)")
    #expect(accepted.contains("monitoring-info-sync"), "\(accepted)")
    let registered = try b.run("monitoring-info-sync 2>&1; echo \"exit $?\"")
    #expect(registered.hasSuffix("exit 0\n"), "\(registered)")
    #expect(try a.nagiosHasHost(b.name, present: true), "\(a.diagnostics(client: b))")

    // 3. Purging the client: the server forgets the host with its key.
    try b.run("dpkg -P auto-monitor-client >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    let list = try a.run("auto-monitor-server list")
    #expect(!list.contains(b.name), "\(list)")
    #expect(try a.run("ls /var/lib/auto-monitor-server/keys | wc -l") == "0\n")
    #expect(try a.run("auto-monitor-server show \(b.name) >/dev/null 2>&1; echo $?") == "3\n")
    #expect(try a.nagiosHasHost(b.name, present: false))
  }
}
