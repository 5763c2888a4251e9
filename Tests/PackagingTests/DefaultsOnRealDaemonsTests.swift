import Foundation
import Testing
import TestKit

/// Every default auto-monitor-client ships, against the daemon it is for: the daemon's package
/// installed from the Debian archive on a throw-away host B with its stock configuration and
/// started by its init script; the client's `--dry-run` there picks the defaults up from the
/// real dpkg database; check_monitoring_info on a second host A checks each service over the
/// link, as the server's Nagios would. A default whose daemon serves the network must be OK;
/// one whose comment says the stock configuration listens on loopback only (or serves nothing
/// until configured) must be refused, so that the comment is true.
@Suite struct DefaultsOnRealDaemonsTests {
  enum Expected: Equatable { case ok, refused }

  struct Group {
    var name: String
    var address: Int
    /// Installed from the archive (daemons of one port each per host: several web servers,
    /// DNS servers and MTAs cannot share one).
    var packages: [String]
    /// Init scripts to start: nothing starts by itself in a namespace without an init system.
    var services: [String]
    /// The payload's services and what Nagios would see.
    var expected: [String: Expected]
  }

  static let groups = [
    Group(
      name: "d", address: 13,
      packages: [
        "apache2", "cups", "mariadb-server", "memcached", "ntpsec", "postgresql", "redis-server", "samba", "snmpd",
        "squid", "tomcat10", "varnish", "bind9", "vsftpd", "nfs-kernel-server",
      ],
      services: [
        "apache2", "cups", "dovecot", "exim4", "mariadb", "memcached", "named", "ntpsec", "postgresql", "redis-server",
        "slapd", "smbd", "snmpd", "squid", "ssh", "varnish", "vsftpd", "nfs-kernel-server",
      ],
      expected: [
        "apache2": .ok, "bind9": .ok, "bind9-tcp": .ok, "dovecot-imap": .ok, "dovecot-pop3": .ok, "ntp": .ok,
        "samba": .ok, "slapd": .ok, "squid": .ok, "ssh": .ok, "tomcat10": .ok, "varnish": .ok, "vsftpd": .ok,
        // Loopback only in the stock configuration, as their defaults say.
        "cups": .refused, "exim4": .refused, "mariadb": .refused, "memcached": .refused, "postgresql": .refused,
        "redis": .refused, "snmpd": .refused,
        // No export in the stock /etc/exports: nfsd does not start.
        "nfs": .refused,
      ]),
    Group(
      name: "e", address: 14,
      packages: ["nginx", "nginx-core", "nginx-light", "nginx-full", "nginx-extras", "unbound", "postfix", "proftpd-core"],
      services: ["nginx", "unbound", "postfix", "proftpd"],
      expected: ["nginx": .ok, "postfix": .ok, "proftpd": .ok, "unbound": .refused]),
    Group(
      name: "f", address: 15,
      packages: ["lighttpd", "dnsmasq", "exim4-daemon-heavy"],
      services: ["lighttpd", "dnsmasq", "exim4"],
      expected: ["lighttpd": .ok, "dnsmasq": .ok, "exim4": .refused]),
  ]

  @Test(arguments: groups.map(\.name))
  func defaultsAgainstStockDaemons(_ name: String) throws {
    let group = Self.groups.first { $0.name == name }!
    let built = try PackageBuild.shared()
    let cache = built.workDirectory.deletingLastPathComponent().appendingPathComponent("apt-archives")
    let debs = try ArchivePackages.fetch(group.packages, cache: cache)
      + [built.deb("auto-monitor-client"), built.deb("auto-monitor-plugins")]

    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let b = try hosts.create(group.name, address: "198.18.\(group.address).2/24")
    let a = try hosts.create("a", address: "198.18.\(group.address).1/24")
    try hosts.link(a, b)
    let files = debs.map { "'\($0.path)'" }.joined(separator: " ")
    try b.run(
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(files) >/tmp/apt.log 2>&1 || { tail -30 /tmp/apt.log; exit 1; }")
    try a.run("dpkg -i '\(built.deb("auto-monitor-plugins").path)' >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }")

    // What a Debian system has from its installation and this namespace lacks: the snakeoil
    // certificate that dovecot-core's postinst links (its stock ssl = yes needs it).
    try b.run(
      """
      if [ -d /etc/dovecot/private ] && [ ! -e /etc/dovecot/private/dovecot.pem ]; then
        [ -e /etc/ssl/certs/ssl-cert-snakeoil.pem ] || make-ssl-cert generate-default-snakeoil
        ln -sf /etc/ssl/certs/ssl-cert-snakeoil.pem /etc/dovecot/private/dovecot.pem
        ln -sf /etc/ssl/private/ssl-cert-snakeoil.key /etc/dovecot/private/dovecot.key
      fi
      mkdir -p /run/sshd
      """)
    var notStarted: [String] = []
    for service in group.services {
      let output = try b.run("timeout 90 service \(service) start >/tmp/start.log 2>&1 && echo started || tail -3 /tmp/start.log")
      if output != "started\n" { notStarted.append("\(service): \(output)") }
    }
    if group.packages.contains("tomcat10") {
      // tomcat10 has a systemd unit only; its start script, as the unit runs it.
      try b.run(
        """
        cd /var/lib/tomcat10 && setsid su -s /bin/sh tomcat -c 'CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=/var/lib/tomcat10 \
          CATALINA_TMPDIR=/tmp /usr/libexec/tomcat10/tomcat-start.sh' </dev/null >/tmp/tomcat.log 2>&1 &
        for i in $(seq 1 120); do ss -ltn | grep -q ':8080 ' && exit 0; sleep 0.5; done; tail -5 /tmp/tomcat.log; exit 1
        """)
    }

    let payload = try b.run("monitoring-info-sync --dry-run 2>/dev/null")
    try a.run("cat > /tmp/registration.json", stdin: payload)
    let registered = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
    let services = (registered?["services"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(Set(group.expected.keys).isSubset(of: Set(services)), "payload: \(services)")

    var outcomes: [String] = []
    for (service, expected) in group.expected.sorted(by: { $0.key < $1.key }) where services.contains(service) {
      let result = try a.run(
        "/usr/lib/nagios/plugins/check_monitoring_info --registration /tmp/registration.json --service \(service) -H \(b.name); echo \"exit $?\"")
      let lines = result.split(separator: "\n")
      let status = lines.last ?? ""
      let seen: Expected? = status == "exit 0" ? .ok
        : status == "exit 2" && result.lowercased().contains("refused") ? .refused : nil
      outcomes.append("\(service): \(lines.first ?? "") (\(status))")
      #expect(seen == expected, "\(service) should be \(expected): \(result)")
    }
    print("defaults on \(b.name):\n  " + outcomes.joined(separator: "\n  "))
    #expect(notStarted.isEmpty, "init scripts that did not start: \(notStarted)")
  }
}
