import Foundation
import Testing
import TestKit

/// The switch between monitoring systems with the real packages on throw-away hosts: a server
/// with Nagios and two enrolled clients whose services are OK; `apt-get install
/// auto-monitor-server-icinga2` (which removes the Nagios backend); then back with `apt-get
/// install auto-monitor-server-nagios`. After each step every service is checked and OK in the
/// new system, the old one no longer has the objects and still verifies, and no client ran
/// anything (their state files and the server's registrations are untouched).
@Suite struct BackendSwitchTests {
  @Test func nagiosToIcinga2AndBackWithoutAnyClient() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let a = try hosts.create("sw", address: "198.18.7.1/24")
    let clients = [try hosts.create("b", address: "198.18.7.2/24"), try hosts.create("c", address: "198.18.7.3/24")]
    for client in clients { try hosts.link(a, client) }
    func deb(_ package: String) -> String { "'\(built.deb(package).path)'" }

    try a.run("""
      dpkg -i \(deb("auto-monitor-plugins")) \(deb("auto-monitor-server-common")) \(deb("auto-monitor-server-nagios")) \
        >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      mkdir -p /run/sshd && /usr/sbin/sshd && /etc/init.d/nagios4 start >/dev/null
      /etc/init.d/auto-monitor-server-watch start >/dev/null
      """)
    for client in clients { try client.enrollClient(of: a, clientPackage: built.deb("auto-monitor-client")) }

    for client in clients {
      #expect(try a.run(everyServiceOK(client.name)) == "yes\n", "Nagios: \(a.diagnostics(client: client))")
    }
    #expect(try a.nagiosHasHost(clients[0].name, present: true))
    let untouched = try fingerprint(a, clients)

    // Nagios -> Icinga 2. Icinga runs (as after its own package's install); our package enables
    // its API, links the objects in, applies every registration and forces first checks.
    // On the host's overlay root, `icinga2 api setup` cannot copy a file still in the lower
    // layer (boost copy_file: "Invalid cross-device link"): copy Icinga's files up first. A
    // real system has no such layer.
    try a.run("""
      cd /etc/icinga2 && for f in *.conf; do cp -p "$f" "$f.up" && mv "$f.up" "$f"; done
      /etc/init.d/icinga2 start >/tmp/icinga-start.log 2>&1 || { cat /tmp/icinga-start.log; exit 1; }
      """)
    let toIcinga = try a.run(install("auto-monitor-server-icinga2", deb: deb("auto-monitor-server-icinga2")))
    #expect(try a.run("dpkg-query -W -f='${Status}' auto-monitor-server-nagios 2>/dev/null || true") != "install ok installed",
      "the Nagios backend is removed: \(toIcinga)")
    for client in clients {
      #expect(try a.run(everyServiceOK(client.name)) == "yes\n", "Icinga 2: \(a.diagnostics(client: client))")
    }
    #expect(try a.nagiosHasHost(clients[0].name, present: false), "Nagios still checks the switched hosts")
    #expect(try a.run("nagios4 -v /etc/nagios4/nagios.cfg >/dev/null && echo verifies") == "verifies\n")
    #expect(try fingerprint(a, clients) == untouched, "a client or the registrations changed")

    // Icinga 2 -> Nagios.
    let toNagios = try a.run(install("auto-monitor-server-nagios", deb: deb("auto-monitor-server-nagios")))
    #expect(try a.run("dpkg-query -W -f='${Status}' auto-monitor-server-icinga2 2>/dev/null || true") != "install ok installed",
      "the Icinga 2 backend is removed: \(toNagios)")
    for client in clients {
      #expect(try a.run(everyServiceOK(client.name)) == "yes\n", "Nagios again: \(a.diagnostics(client: client))")
    }
    #expect(try a.run("ls /etc/icinga2/zones.d/*/auto-monitor* 2>/dev/null | wc -l") == "0\n", "Icinga still reads our files")
    #expect(try a.run("icinga2 daemon -C >/dev/null 2>&1 && echo verifies") == "verifies\n")
    #expect(try a.run(icingaServices(clients[0].name)) == "0\n", "Icinga 2 still checks the switched hosts")
    #expect(try fingerprint(a, clients) == untouched, "a client or the registrations changed")
  }

  /// apt-get resolves the conflict: the other backend goes, this one comes (nothing to fetch).
  func install(_ package: String, deb: String) -> String {
    """
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \(deb) >/tmp/apt.log 2>&1 \
      || { cat /tmp/apt.log; exit 1; }
    cat /tmp/apt.log
    """
  }

  /// What must not change during a switch: each client's state files (content and times) and
  /// the server's registrations and key bindings.
  func fingerprint(_ server: TestHost, _ clients: [TestHost]) throws -> [String] {
    var result = [try server.run(
      "cd /var/lib/auto-monitor-server && find registrations keys -type f -printf '%p %s %T@\\n' | sort && cat secret | md5sum")]
    for client in clients {
      result.append(try client.run("cd /var/lib/auto-monitor-client && find . -type f -printf '%p %s %T@\\n' | sort"))
    }
    return result
  }

  /// "yes" once `auto-monitor-server show HOST` reports at least one service and every one OK
  /// (read from whichever system runs), "no" after 90 s.
  func everyServiceOK(_ host: String) -> String {
    """
    for i in $(seq 1 180); do
      states=$(auto-monitor-server --json show \(host) 2>/dev/null | grep -o '"state":"[A-Z]*"' | sort -u)
      if [ "$states" = '"state":"OK"' ]; then echo yes; exit 0; fi
      sleep 0.5
    done
    auto-monitor-server show \(host) >&2
    echo no
    """
  }

  /// How many services of the host Icinga 2 has, asked as its own API user `root`
  /// (from `icinga2 api setup`), after waiting up to 30 s for them to go.
  func icingaServices(_ host: String) -> String {
    """
    password=$(sed -n 's/^[[:space:]]*password = "\\(.*\\)"$/\\1/p' /etc/icinga2/conf.d/api-users.conf | head -n 1)
    n=unreachable
    for i in $(seq 1 60); do
      code=$(curl -sk -u "root:$password" -H 'Accept: application/json' -o /tmp/services.json -w '%{http_code}' \
        "https://127.0.0.1:5665/v1/objects/services?filter=host.name==%22\(host)%22&attrs=name")
      if [ "$code" = 200 ]; then
        n=$(grep -o '"name"' /tmp/services.json | wc -l)
        [ "$n" = 0 ] && break
      fi
      sleep 0.5
    done
    echo "$n"
    """
  }
}
