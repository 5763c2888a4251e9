import Glibc
import MonitoringInfo

/// First checks of new hosts in a satellite zone, asked of the satellite's own API. After the
/// master's reload the satellite receives the zone's objects, validates them and restarts
/// (seconds); it then ignores next-check times from the master for a minute and would run a
/// new service's first check at a random time within it. So this asks the satellite directly,
/// every quarter second, until each host has results or `limit` seconds passed. The satellite
/// knows the API user `auto-monitor-ZONE` because the zone's generated objects define it.
///
/// A satellite that receives two config updates within a few seconds restarts for the first
/// and may miss the second: it keeps running the older objects although the newer ones are
/// stored (Icinga 2.13, seen on throw-away hosts). When the hosts are still unknown to it after
/// `restartAfter` seconds, it is asked once to restart (`restart-process`), which loads them.
struct SatelliteFirstChecks {
  let settings: ServerSettings
  let zone: String
  let endpoint: ZoneMap.Endpoint
  var limit: Double = 20
  var restartAfter: Double = 8
  /// A satellite whose API has not answered for this long is down or unreachable: its hosts
  /// get their first checks when it is back, and the apply does not wait for it.
  var silenceLimit: Double = 6

  var api: Icinga2API {
    var icinga = settings.icinga2
    icinga.api = "https://\(endpoint.host ?? endpoint.name):\(endpoint.port ?? 5665)"
    icinga.apiServerName = endpoint.name
    icinga.apiUser = Icinga2Zone.satelliteAPIUser(settings, zone: zone)
    return Icinga2API(settings: icinga)
  }

  func run(_ hosts: [String]) {
    let api = self.api
    let start = SystemClock.monotonic()
    // Only hosts with services have first checks to wait for: the master knows which.
    let master = Icinga2API(settings: settings.icinga2)
    let known = try? master.query("/v1/objects/services", .object([
      "filter": .string("host.name in hosts"), "filter_vars": .object(["hosts": .array(hosts.map { .string($0) })]),
      "attrs": .array([.string("host_name")]),
    ]))
    let withServices = Set((known?["results"]?.arrayValue ?? []).compactMap { $0["attrs"]?["host_name"]?.stringValue })
    var waiting = known == nil ? Set(hosts) : withServices.intersection(hosts)
    var restarted = false
    var lastAnswer = start
    while !waiting.isEmpty && SystemClock.monotonic() < start + limit && SystemClock.monotonic() < lastAnswer + silenceLimit {
      let batch = waiting.sorted()
      _ = try? api.request("/v1/actions/reschedule-check", body: Icinga2Backend.reschedule(batch), override: nil, timeout: 3)
      usleep(250_000)
      let reply = try? api.request("/v1/objects/services", body: .object([
        "filter": .string("host.name in hosts"), "filter_vars": .object(["hosts": .array(batch.map { .string($0) })]),
        "attrs": .array([.string("host_name"), .string("last_check_result")]),
      ]), override: "GET", timeout: 3)
      if reply != nil { lastAnswer = SystemClock.monotonic() }
      var unchecked: Set<String> = []
      var seen: Set<String> = []
      for item in reply?["results"]?.arrayValue ?? [] {
        guard let host = item["attrs"]?["host_name"]?.stringValue else { continue }
        seen.insert(host)
        if item["attrs"]?["last_check_result"] == nil || item["attrs"]?["last_check_result"] == .null { unchecked.insert(host) }
      }
      waiting = waiting.filter { !seen.contains($0) || unchecked.contains($0) }
      if !restarted, reply != nil, !waiting.subtracting(seen).isEmpty, SystemClock.monotonic() > start + restartAfter {
        restarted = true
        _ = try? api.request("/v1/actions/restart-process", body: .object([:]), override: nil, timeout: 3)
      }
    }
  }
}
