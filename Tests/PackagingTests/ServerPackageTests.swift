import Foundation
import Testing
import TestKit

/// auto-monitor-server-common and -nagios installed for real on a throw-away host
/// (tools/testhost: an overlay of this machine's root, so its nagios4, sshd and users are this
/// machine's, changed only inside): the account, the state, the Nagios link, sshd's drop-in and
/// the Avahi announcement after configure; after purge all of it gone and Nagios still verifying.
@Suite struct ServerPackageTests {
  @Test func installConfigurePurgeOnAThrowAwayHost() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let host = try hosts.create(address: "198.18.1.1/24")

    #expect(try host.run("nagios4 -v /etc/nagios4/nagios.cfg >/dev/null && echo verifies") == "verifies\n")
    try host.install([built.deb("auto-monitor-plugins"), built.deb("auto-monitor-server-common"), built.deb("auto-monitor-server-nagios")])
    #expect(try host.run("dpkg-query -W -f='${Status}' auto-monitor-server-nagios") == "install ok installed")

    let account = try host.run("getent passwd automon").split(separator: ":").map(String.init)
    #expect(account.count == 7 && account[5] == "/var/lib/auto-monitor-server" && account[6] == "/bin/sh\n", "\(account)")
    #expect(try host.run("getent shadow automon | cut -d: -f2") == "*\n")
    #expect(try host.run("stat -c %U /var/lib/auto-monitor-server/registrations") == "automon\n")
    #expect(try host.run("stat -c %U /var/lib/auto-monitor-server-nagios/live") == "nagios\n")
    #expect(try host.run("test -e /etc/nagios4/conf.d/auto-monitor && readlink /etc/nagios4/conf.d/auto-monitor")
      == "/var/lib/auto-monitor-server-nagios/live\n")
    #expect(try host.run("nagios4 -v /etc/nagios4/nagios.cfg >/dev/null && echo verifies") == "verifies\n")
    #expect(try host.run("mkdir -p /run/sshd && sshd -t && echo ok") == "ok\n")
    let fingerprint = try host.run("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try host.run("cat /etc/avahi/services/auto-monitor.service").contains(fingerprint))

    try host.run("dpkg -P auto-monitor-server-nagios auto-monitor-server-common >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    #expect(try host.run("getent passwd automon || echo gone") == "gone\n")
    for path in [
      "/var/lib/auto-monitor-server-nagios", "/var/lib/auto-monitor-server", "/etc/nagios4/conf.d/auto-monitor", "/etc/avahi/services/auto-monitor.service",
      "/etc/ssh/sshd_config.d/auto-monitor-server.conf", "/etc/auto-monitor-server", "/usr/sbin/auto-monitor-server",
    ] {
      #expect(try host.run("test -e \(path) || test -L \(path) && echo present || echo absent") == "absent\n", "\(path)")
    }
    #expect(try host.run("nagios4 -v /etc/nagios4/nagios.cfg >/dev/null && echo verifies") == "verifies\n")
    #expect(try host.run("sshd -t && echo ok") == "ok\n")
  }
}

