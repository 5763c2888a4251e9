import Foundation
import Testing
import TestKit

/// A master and a satellite with the real packages on throw-away hosts, set up the way the
/// README says: Icinga 2 master (`node setup --master`), the Icinga 2 backend,
/// `auto-monitor-server satellite add`, and on the satellite only auto-monitor-plugins and the
/// commands that printed. A client registering from the satellite's range is checked by the
/// satellite (Icinga's `check_source`) with its result on the master; a client in the master's
/// network is checked by the master; a removed package's service leaves both nodes.
///
/// Topology (one address per host; a link per pair that talks):
///
///     master 198.18.8.1 ── satellite 198.18.9.1 ── client 198.18.9.2 (satellite's range)
///        │  └──────────────── ssh (registration) ───────┘
///        └── client 198.18.8.2 (master's network)
@Suite struct SatellitePackagesTests {
  @Test func aClientInTheSatellitesRangeIsCheckedThereAndReportedOnTheMaster() throws {
    let built = try PackageBuild.shared()
    let hosts = try TestHosts()
    defer { hosts.destroyAll() }
    let master = try hosts.create("ma", address: "198.18.8.1/24")
    let satellite = try hosts.create("sa", address: "198.18.9.1/24")
    let far = try hosts.create("cf", address: "198.18.9.2/24")
    let near = try hosts.create("cn", address: "198.18.8.2/24")
    try hosts.link(master, satellite)
    try hosts.link(satellite, far)
    try hosts.link(master, far)
    try hosts.link(master, near)
    func deb(_ package: String) -> String { "'\(built.deb(package).path)'" }
    // On a host's overlay root Icinga cannot copy a file still in the lower layer (EXDEV in
    // boost copy_file): copy its files up first. A real system has no such layer.
    let copyUp = "find /etc/icinga2 -type f -exec sh -c 'cp -p \"$1\" \"$1.up\" && mv \"$1.up\" \"$1\"' copy {} \\;"

    try master.run("""
      \(copyUp)
      icinga2 node setup --master --cn \(master.name) --zone master --disable-confd >/tmp/node.log 2>&1 || { cat /tmp/node.log; exit 1; }
      /etc/init.d/icinga2 start >/tmp/icinga-start.log 2>&1 || { cat /tmp/icinga-start.log; exit 1; }
      dpkg -i \(deb("auto-monitor-plugins")) \(deb("auto-monitor-server-common")) \(deb("auto-monitor-server-icinga2")) \
        >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      mkdir -p /run/sshd && /usr/sbin/sshd
      /etc/init.d/auto-monitor-server-watch start >/dev/null
      """)
    // The README's command; its output is the satellite's part.
    let printed = try master.run("""
      auto-monitor-server satellite add dmz --endpoint \(satellite.name) --address 198.18.9.1 --range 198.18.9.0/24 \
        --master-address 198.18.8.1
      """)
    #expect(printed.contains("icinga2 node setup --ticket "), "\(printed)")
    #expect(try master.run("cat /etc/auto-monitor-server/zones/dmz.conf").contains("address = 198.18.9.0/24"))
    // The printed commands, as they are, but the packages come from the build, not an archive.
    let commands = printed.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("apt-get ") }
      .joined(separator: "\n").replacingOccurrences(of: "\\\n", with: " ")
    try satellite.run("""
      \(copyUp)
      dpkg -i \(deb("auto-monitor-plugins")) >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; exit 1; }
      set -e
      \(commands.split(separator: "\n").filter { !$0.hasPrefix("# On this master") }.joined(separator: "\n"))
      """)

    for client in [far, near] { try client.enrollClient(of: master, clientPackage: built.deb("auto-monitor-client")) }

    let farShown = try master.run(checkedOK(far.name))
    let icingaLogs = {
      let tail = "tail -n 40 /var/log/icinga2/icinga2.log 2>&1; ls -lR /var/lib/icinga2/api/zones 2>&1 | head -40"
      return "satellite:\n" + ((try? satellite.run(tail)) ?? "") + "\nmaster:\n" + ((try? master.run(tail)) ?? "")
    }
    #expect(farShown.hasPrefix("yes"), "\(farShown)\n\(master.diagnostics(client: far))\n\(icingaLogs())")
    #expect(farShown.contains("\"checked_by\":\"\(satellite.name)\""), "\(farShown)")
    #expect(try master.run("auto-monitor-server show \(far.name)").contains("zone: dmz (registered from 198.18.9.2, in 198.18.9.0/24)"))
    let nearShown = try master.run(checkedOK(near.name))
    #expect(nearShown.hasPrefix("yes"), "\(nearShown)\n\(master.diagnostics(client: near))")
    #expect(nearShown.contains("\"checked_by\":\"\(master.name)\""), "\(nearShown)")
    #expect(try master.run("auto-monitor-server list").contains("zone: master"))
    // The satellite loaded the far client's objects (synced), not the near one's.
    #expect(try satellite.run("icinga2 object list --type Service --name '\(far.name)!ssh' | grep -c '^Object'") == "1\n")
    #expect(try satellite.run("icinga2 object list --type Service --name '\(near.name)!ssh' | grep -c '^Object' || true") == "0\n")

    // The package goes; so does its service, on the master and on the satellite.
    try far.run("DEBIAN_FRONTEND=noninteractive dpkg -r openssh-server >/tmp/remove.log 2>&1 || { cat /tmp/remove.log; exit 1; }")
    let gone = try satellite.run("""
      for i in $(seq 1 240); do
        n=$(icinga2 object list --type Service --name '\(far.name)!ssh' 2>/dev/null | grep -c '^Object' || true)
        [ "$n" = 0 ] && { echo gone; exit 0; }
        sleep 0.5
      done
      echo present
      """)
    #expect(gone == "gone\n", "the satellite still has the service")
    #expect(try master.run("auto-monitor-server --json show \(far.name)").contains("\"services\":[]"))

    // The zone goes: Icinga's objects, the zone file and the link; Icinga still validates.
    let removed = try master.run("auto-monitor-server satellite remove dmz")
    #expect(removed.contains("removed satellite zone dmz"), "\(removed)")
    let left = try master.run(
      """
      grep -c 'auto-monitor-server satellite dmz' /etc/icinga2/zones.conf || true
      find /etc/auto-monitor-server/zones/ /etc/icinga2/zones.d/dmz/ -mindepth 1 2>/dev/null | wc -l
      icinga2 daemon -C >/dev/null 2>&1 && echo verifies
      """)
    #expect(left == "0\n0\nverifies\n", "\(left)")
    #expect(try master.run("auto-monitor-server show \(far.name)").contains("zone: master"))
  }

  /// "yes" and the JSON of `show HOST` once every service is OK, "no" and the JSON after 120 s.
  func checkedOK(_ host: String) -> String {
    """
    for i in $(seq 1 240); do
      shown=$(auto-monitor-server --json show \(host) 2>/dev/null)
      states=$(printf '%s' "$shown" | grep -o '"state":"[A-Z]*"' | sort -u)
      if [ "$states" = '"state":"OK"' ]; then echo "yes $shown"; exit 0; fi
      sleep 0.5
    done
    echo "no $shown"
    """
  }
}
