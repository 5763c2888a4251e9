import Foundation
import MonitoringClient
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemdUnitTests {
  static let units = ["monitoring-info-sync.service", "monitoring-info-sync.timer", "monitoring-info-sync.path"]

  /// `systemd-analyze verify` in a root holding the units, the binary where ExecStart says and
  /// the stock targets: it checks syntax, references and the executable (systemd need not run).
  @Test func unitsVerify() throws {
    let root = try TestRoot("units")
    let system = root.path + "/etc/systemd/system"
    try FileManager.default.createDirectory(atPath: system, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root.path + "/lib/systemd/system", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root.path + "/usr/sbin", withIntermediateDirectories: true)
    for target in try FileManager.default.contentsOfDirectory(atPath: "/lib/systemd/system") where target.hasSuffix(".target") {
      try? FileManager.default.copyItem(atPath: "/lib/systemd/system/" + target, toPath: root.path + "/lib/systemd/system/" + target)
    }
    for unit in Self.units {
      try FileManager.default.copyItem(atPath: Client.packageRoot + "/templates/client/" + unit, toPath: system + "/" + unit)
    }
    let verify = { try runProgram("systemd-analyze", ["verify", "--man=no", "--root=\(root.path)"] + Self.units.map { system + "/" + $0 }) }
    let missingBinary = try verify()
    #expect(missingBinary.status != 0, "verify must notice the missing ExecStart binary")
    try FileManager.default.copyItem(atPath: Client.binary, toPath: root.path + "/usr/sbin/monitoring-info-sync")
    let result = try verify()
    #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.isEmpty, "\(result.stdout)\(result.stderr)")
  }

  @Test func unitsRunTheRetryModeAndWatchTheFragments() throws {
    let service = try String(contentsOfFile: Client.packageRoot + "/templates/client/monitoring-info-sync.service", encoding: .utf8)
    #expect(service.contains("ExecStart=/usr/sbin/monitoring-info-sync --retry\n"))
    let path = try String(contentsOfFile: Client.packageRoot + "/templates/client/monitoring-info-sync.path", encoding: .utf8)
    #expect(path.contains("PathChanged=/etc/monitoring-info\n"))
  }
}

@Suite struct DiscoveryTests {
  static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

  /// What auto-monitor-server-nagios announces: the fingerprint as `hostkey`, not the key.
  @Test func takesAnAnnouncedFingerprint() {
    let fingerprint = SSHPublicKey(line: Self.key)!.fingerprint
    let found = Discovery.parse(
      "=;lo;IPv4;auto-monitor\\032on\\032nagios;_auto-monitor._tcp;local;nagios.local;198.18.0.1;22;\"hostkey=\(fingerprint)\" \"user=automon\"\n")
    #expect(found.count == 1)
    #expect(found.first?.hostKey == nil)
    #expect(found.first?.fingerprint == fingerprint)
    #expect(found.first?.configurationLines.hasSuffix("server_key = \(fingerprint)\n") == true)
  }

  @Test func parsesResolvedLinesOfAvahiBrowse() {
    let output = """
      +;lo;IPv4;auto-monitor\\032on\\032nagios;_auto-monitor._tcp;local
      =;lo;IPv4;auto-monitor\\032on\\032nagios;_auto-monitor._tcp;local;nagios.local;198.18.0.1;22;"hostkey=\(Self.key)" "user=automon"
      =;lo;IPv6;auto-monitor\\032on\\032nagios;_auto-monitor._tcp;local;nagios.local;fe80::1;22;"hostkey=\(Self.key)" "user=automon"
      =;lo;IPv4;other;_http._tcp;local;web.local;198.18.0.2;80;
      =;lo;IPv4;broken;_auto-monitor._tcp;local;x.local;198.18.0.3;notaport;
      """
    let found = Discovery.parse(output)
    #expect(found.count == 2)
    #expect(found[0].name == "auto-monitor on nagios")
    #expect(found[0].hostName == "nagios.local" && found[0].address == "198.18.0.1" && found[0].port == 22 && found[0].user == "automon")
    #expect(found[0].fingerprint == SSHPublicKey(line: Self.key)!.fingerprint)
    #expect(found[0].configurationLines == "server = nagios.local\nport = 22\nuser = automon\nserver_key = \(Self.key)\n")
  }

  /// A private avahi-daemon on a private system bus publishes the server's static service
  /// (made by the server's own `auto-monitor-server avahi-service`) on loopback; `discover` finds it.
  @Test func discoversAPublishedServerThroughAPrivateAvahi() throws {
    let directory = try TestRoot("avahi").path
    let bus = directory + "/bus"
    let busConfig = directory + "/dbus.conf"
    try """
      <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
      <busconfig>
        <type>system</type>
        <listen>unix:path=\(bus)</listen>
        <auth>EXTERNAL</auth>
        <policy context="default">
          <allow user="*"/><allow own="*"/><allow send_type="method_call"/><allow send_type="signal"/>
          <allow send_requested_reply="true" send_type="method_return"/><allow send_requested_reply="true" send_type="error"/>
          <allow receive_type="method_call"/><allow receive_type="method_return"/><allow receive_type="error"/><allow receive_type="signal"/>
        </policy>
      </busconfig>
      """.write(toFile: busConfig, atomically: true, encoding: .utf8)
    let services = directory + "/services"
    try FileManager.default.createDirectory(atPath: services, withIntermediateDirectories: true)
    try """
      <?xml version="1.0" standalone='no'?>
      <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
      <service-group>
        <name>auto-monitor test \(getpid())</name>
        <service>
          <type>_auto-monitor._tcp</type>
          <port>2222</port>
          <txt-record>user=automon</txt-record>
          <txt-record>hostkey=\(Self.key)</txt-record>
        </service>
      </service-group>
      """.write(toFile: services + "/auto-monitor.service", atomically: true, encoding: .utf8)
    let avahiConfig = directory + "/avahi-daemon.conf"
    try """
      [server]
      use-ipv4=yes
      use-ipv6=no
      allow-interfaces=lo
      enable-dbus=yes
      [publish]
      publish-addresses=yes

      """.write(toFile: avahiConfig, atomically: true, encoding: .utf8)
    // In a private mount namespace, tmpfs over avahi's fixed paths (its PID file and the
    // static services directory): nothing of the real /etc or /run is touched.
    let script = """
      set -e
      export DBUS_SYSTEM_BUS_ADDRESS=unix:path=\(bus)
      mount -t tmpfs tmpfs /run/avahi-daemon 2>/dev/null || { mkdir -p /run/avahi-daemon; mount -t tmpfs tmpfs /run/avahi-daemon; }
      mount -t tmpfs tmpfs /etc/avahi/services
      cp \(services)/auto-monitor.service /etc/avahi/services/
      dbus-daemon --config-file=\(busConfig) --nofork --nopidfile >\(directory)/dbus.log 2>&1 &
      dbus=$!
      for i in $(seq 100); do [ -S \(bus) ] && break; sleep 0.05; done
      avahi-daemon -f \(avahiConfig) --no-drop-root --no-chroot --no-rlimits --no-proc-title >\(directory)/avahi.log 2>&1 &
      avahi=$!
      trap 'kill $avahi $dbus 2>/dev/null; wait $avahi $dbus 2>/dev/null || true' EXIT
      for i in $(seq 30); do
        \(Client.binary) discover --json --timeout 3 > \(directory)/found.json 2>\(directory)/discover.err || true
        grep -q 'auto-monitor test' \(directory)/found.json && break
        sleep 0.1
      done
      cat \(directory)/found.json
      """
    let result = try runProgram("unshare", ["-m", "sh", "-c", script])
    let found = ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]]) ?? []
    let log = (try? String(contentsOfFile: directory + "/avahi.log", encoding: .utf8)) ?? ""
    let server = try #require(found.first { ($0["name"] as? String)?.hasPrefix("auto-monitor test") == true }, "\(result.stdout)\(result.stderr)\(log)")
    #expect(server["port"] as? Int == 2222)
    #expect(server["user"] as? String == "automon")
    #expect(server["fingerprint"] as? String == SSHPublicKey(line: Self.key)!.fingerprint)
  }
}
