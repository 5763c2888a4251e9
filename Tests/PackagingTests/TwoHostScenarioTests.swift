import Foundation
import Testing
import TestKit

/// The specification's story on two throw-away hosts (tools/testhost), with the packages of
/// this build installed for real: A runs sshd, Nagios and auto-monitor-server-nagios; B runs
/// the client. Allan's service reaches OK in Nagios on A seconds after its package is installed
/// on B; Brian's excluded service never appears, also not after an upgrade of its package.
@Suite struct TwoHostScenarioTests {
  @Test func allanAndBrian() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let a = try hosts.create("a", address: "198.18.4.1/24")
    let b = try hosts.create("b", address: "198.18.4.2/24")
    try hosts.link(a, b)

    // A: the server, sshd, Nagios, the apply watcher.
    try a.install([built.deb("auto-monitor-plugins"), built.deb("auto-monitor-server-nagios")])
    try a.run("mkdir -p /run/sshd && /usr/sbin/sshd && /etc/init.d/nagios4 start >/dev/null && /etc/init.d/auto-monitor-server-watch start >/dev/null")
    let ticket = try a.run("auto-monitor-server ticket \(b.name)").trimmingCharacters(in: .whitespacesAndNewlines)
    let hostKey = try a.run("cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trimmingCharacters(in: .whitespacesAndNewlines)

    // B: the client, configured by preseeding, enrolled with the ticket; the tools to build
    // service packages.
    try b.run(
      """
      printf '%s\\n' 'auto-monitor-client auto-monitor-client/server string \(a.name)' \
        'auto-monitor-client auto-monitor-client/server_key string \(hostKey)' | debconf-set-selections
      dpkg -i '\(built.deb("auto-monitor-client").path)' '\(built.deb("dh-monitoringinfo").path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      """)
    try b.run("monitoring-info-sync enroll --ticket \(ticket) >/tmp/enroll.log 2>&1 || { cat /tmp/enroll.log; exit 1; }")

    // Allan: a web service on B whose package says how it is monitored.
    try b.run("mkdir -p /srv/allan && echo ok > /srv/allan/status && cd /srv/allan && (python3 -m http.server 8080 >/dev/null 2>&1 &)")
    try b.run(servicePackage("allan-web", version: "1.0", port: 8080))
    let started = Date()
    try b.run("dpkg -i /tmp/build/allan-web_1.0_all.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    let state = try a.run(waitForService(host: b.name, service: "allan-web", seconds: 60))
    let seconds = Date().timeIntervalSince(started)
    let details = state == "OK\n" ? "" : a.diagnostics(client: b)
    #expect(state == "OK\n", "allan-web on \(b.name): state \(state); \(details)")
    print("allan-web OK in Nagios on A \(String(format: "%.1f", seconds)) s after dpkg -i on B")

    // Brian: brian-web is excluded on B; it never reaches the server, not even after an upgrade.
    try b.run("echo 'exclude = brian-web' >> /etc/auto-monitor/client.conf")
    try b.run(servicePackage("brian-web", version: "1.0", port: 8081))
    try b.run(servicePackage("brian-web", version: "1.1", port: 8081))
    try b.run("dpkg -i /tmp/build/brian-web_1.0_all.deb >/dev/null 2>&1 && dpkg -i /tmp/build/brian-web_1.1_all.deb >/dev/null 2>&1")
    try b.run("monitoring-info-sync >/dev/null 2>&1 || true")
    let registration = try a.run("cat /var/lib/auto-monitor-server-nagios/registrations/\(b.name).json")
    #expect(registration.contains("\"allan-web\""), "\(registration)")
    #expect(!registration.contains("brian-web"), "\(registration)")
    let objects = try a.run("cat /var/lib/nagios4/objects.cache")
    #expect(!objects.contains("brian-web"))

    // B leaves: purging the client deregisters the host, and its services leave Nagios.
    try b.run("dpkg -P auto-monitor-client >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    #expect(try a.run("test -e /var/lib/auto-monitor-server-nagios/registrations/\(b.name).json && echo present || echo absent") == "absent\n")
    let gone = try a.run(
      "for i in $(seq 1 60); do grep -q 'allan-web' /var/lib/nagios4/objects.cache || { echo gone; exit 0; }; sleep 0.5; done; echo still-there")
    #expect(gone == "gone\n")
  }

  /// Discovery: A announces itself with Avahi; the client's configuration step on B offers it
  /// as the server (a noninteractive install takes the offer) but does not trust its host key.
  @Test func discoveryOffersTheServer() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let a = try hosts.create("a", address: "198.18.7.1/24")
    let b = try hosts.create("b", address: "198.18.7.2/24")
    try hosts.link(a, b)
    try a.install([built.deb("auto-monitor-plugins"), built.deb("auto-monitor-server-nagios")])
    #expect(try a.run("grep -c '_auto-monitor._tcp' /etc/avahi/services/auto-monitor.service") == "1\n")
    try a.startAvahi()
    try b.startAvahi()
    // B sees the announcement before it installs anything (avahi-browse answers in about 1 s).
    let browsed = try b.run("for i in 1 2 3 4 5; do avahi-browse -rpt _auto-monitor._tcp | grep -q '^=.*IPv4' && exit 0; sleep 1; done; echo none")
    #expect(browsed.isEmpty, "no announcement from A")
    try b.run(
      "DEBIAN_FRONTEND=noninteractive dpkg -i '\(built.deb("auto-monitor-client").path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    let lines = try b.run("grep -v '^#' /etc/auto-monitor/client.conf")
    #expect(lines.contains("server = \(a.name).local\n"), "\(lines)")
    #expect(!lines.contains("server_key"), "\(lines)")
  }

  /// Joe: one host, the client installed with nobody answering anything (no server known,
  /// none announced), then a service package. Nothing is configured, no key is made, the
  /// trigger does nothing and nothing is recorded as an error.
  @Test func joeStaysSilent() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let c = try hosts.create("c", address: "198.18.5.1/24")
    try c.run(
      "DEBIAN_FRONTEND=noninteractive dpkg -i '\(built.deb("auto-monitor-client").path)' '\(built.deb("dh-monitoringinfo").path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")
    try c.run(servicePackage("joe-lamp", version: "1.0", port: 80))
    let install = try c.run("DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/build/joe-lamp_1.0_all.deb 2>&1")
    #expect(!install.lowercased().contains("error"), "\(install)")
    #expect(try c.run("grep -v '^#' /etc/auto-monitor/client.conf | grep -c . || true") == "0\n")
    #expect(try c.run("test -e /var/lib/auto-monitor-client/id_ed25519 && echo key || echo no-key") == "no-key\n")
    let status = try c.run("monitoring-info-sync --status 2>&1")
    #expect(status.hasPrefix("No registration server configured"), "\(status)")
    #expect(try c.run("test -e /var/lib/auto-monitor-client/state.json && cat /var/lib/auto-monitor-client/state.json || echo no-state") == "no-state\n")
  }

  /// A script that builds a service package with the installed dh-monitoringinfo into /tmp/build.
  func servicePackage(_ name: String, version: String, port: Int) -> String {
    """
    set -e
    rm -rf /tmp/src-\(name) && mkdir -p /tmp/src-\(name)/debian/source /tmp/build && cd /tmp/src-\(name)
    echo '3.0 (native)' > debian/source/format
    printf '#!/usr/bin/make -f\\n%%:\\n\\tdh $@\\n' > debian/rules && chmod +x debian/rules
    cat > debian/control <<'EOF'
    Source: \(name)
    Section: web
    Priority: optional
    Maintainer: Example <admin@example.org>
    Build-Depends: debhelper-compat (= 13), dh-sequence-monitoringinfo
    Standards-Version: 4.6.2
    Rules-Requires-Root: no

    Package: \(name)
    Architecture: all
    Depends: ${misc:Depends}
    Description: example web service
     Serves /status.
    EOF
    cat > debian/changelog <<'EOF'
    \(name) (\(version)) unstable; urgency=medium

      * Release \(version).

     -- Example <admin@example.org>  Sun, 29 Nov 2026 03:00:00 +0000
    EOF
    printf '[\(name)]\\ntype = http\\nport = \(port)\\nuri = /status\\n' > debian/\(name).monitoring-info
    dpkg-buildpackage -us -uc -b >/tmp/build-\(name).log 2>&1 || { cat /tmp/build-\(name).log; exit 1; }
    mv ../\(name)_\(version)_all.deb /tmp/build/
    """
  }

  /// Prints the service's state once Nagios has checked it, as `auto-monitor-server show`
  /// reports it from status.dat (OK, WARNING, CRITICAL, UNKNOWN), or "timeout".
  func waitForService(host: String, service: String, seconds: Int) -> String {
    """
    i=0
    while [ $i -lt \(seconds * 2) ]; do
      state=$(auto-monitor-server show \(host) 2>/dev/null |
        sed -n 's/^service \(service): type [a-z0-9]*, from [^;]*; \\([A-Z]*\\) (checked .*/\\1/p')
      [ -z "$state" ] || { echo "$state"; exit 0; }
      sleep 0.5; i=$((i + 1))
    done
    echo timeout
    """
  }

}
