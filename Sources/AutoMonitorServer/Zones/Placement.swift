import MonitoringInfo

/// Where one host's objects live and where its checks run (Icinga 2 zones).
///
/// A host of a satellite zone lives in that zone: Icinga syncs its objects to the satellite,
/// which checks it. A mail flow (smtp sends a token, imap or pop3 collects it) works only when
/// its services run on one node, which keeps the tokens. When one `mailflowid` spans hosts of
/// different zones, the flow runs on the master: the master is the parent of every zone, and
/// Icinga lets a parent hand a check to a child endpoint (`command_endpoint`) but never a
/// child to its parent. So a satellite host with such a service lives in the master zone; its
/// host check and its other services still run on its satellite (`command_endpoint`), and the
/// flow's services on the master.
public struct HostPlacement: Sendable, Equatable {
  /// The zone whose configuration holds the objects; nil: the master zone.
  public var objectZone: String?
  /// The zone that checks the host (nil: the master).
  public var checkingZone: String?
  /// The endpoint the host check and the services outside `masterServices` run on, when the
  /// objects live in the master zone but the host is checked by a satellite.
  public var commandEndpoint: String?
  /// Services that run on the master: they share a mail flow with another zone's host.
  public var masterServices: Set<String> = []
  /// Why, in a few words (`auto-monitor-server show`).
  public var reason: String

  public init(
    objectZone: String?, checkingZone: String?, commandEndpoint: String? = nil, masterServices: Set<String> = [], reason: String
  ) {
    self.objectZone = objectZone
    self.checkingZone = checkingZone
    self.commandEndpoint = commandEndpoint
    self.masterServices = masterServices
    self.reason = reason
  }

  public static let master = HostPlacement(objectZone: nil, checkingZone: nil, reason: "no satellite zone matches")

  /// What changes the rendered file: part of the generation's manifest (no white space).
  public var signature: String {
    guard checkingZone != nil || !masterServices.isEmpty else { return "" }
    var text = "|zone=" + (objectZone ?? "-") + ";ep=" + (commandEndpoint ?? "-")
    if !masterServices.isEmpty { text += ";master=" + masterServices.sorted().joined(separator: ",") }
    return text
  }

  /// The endpoint a service runs on (nil: where its objects live).
  public func endpoint(service: String) -> String? {
    masterServices.contains(service) ? nil : commandEndpoint
  }

  /// Where `service` runs, for people.
  public func runsOn(service: String) -> String {
    if masterServices.contains(service) { return "the master (mail flow across zones)" }
    guard let checkingZone else { return "the master" }
    return "satellite zone \(checkingZone)"
  }
}

public enum Placements {
  /// The placements of every stored registration under the administrator's zone files (Icinga
  /// 2): reads every registration when satellite zones are configured, nothing without.
  public static func load(_ settings: ServerSettings) throws(ServerError) -> [String: HostPlacement] {
    let map = try Icinga2Zone.satellites(settings)
    guard !map.isEmpty else { return [:] }
    let store = RegistrationStore(settings: settings)
    return compute(map, registrations: store.hosts().compactMap { host in store.payload(host).map { (host: host, payload: $0) } })
  }

  /// Every registered host's placement; empty when no satellite zone is configured (every host
  /// is the master's).
  public static func compute(_ map: ZoneMap, registrations: [(host: String, payload: RegistrationPayload)]) -> [String: HostPlacement] {
    guard !map.isEmpty else { return [:] }
    var placements: [String: HostPlacement] = [:]
    var flows: [String: Set<String>] = [:]
    for (host, payload) in registrations {
      var placement = HostPlacement.master
      if let match = map.match(host: host, address: payload.sourceAddress) {
        placement = HostPlacement(objectZone: match.zone.name, checkingZone: match.zone.name, reason: match.reason)
      }
      placements[host] = placement
      for service in payload.services {
        if let id = service.params["mailflowid"] { flows[id, default: []].insert(placement.checkingZone ?? "") }
      }
    }
    let crossing = Set(flows.filter { $0.value.count > 1 }.keys)
    guard !crossing.isEmpty else { return placements }
    for (host, payload) in registrations {
      let shared = payload.services.filter { $0.params["mailflowid"].map(crossing.contains) == true }
      guard !shared.isEmpty, var placement = placements[host] else { continue }
      placement.masterServices = Set(shared.map(\.name))
      let ids = Set(shared.compactMap { $0.params["mailflowid"] }).sorted().joined(separator: ", ")
      if let zone = placement.checkingZone {
        placement.objectZone = nil
        placement.commandEndpoint = map.zone(named: zone)?.endpoints.first?.name
        placement.reason += "; objects in the master zone because mail flow \(ids) spans zones"
      } else {
        placement.reason += "; mail flow \(ids) spans zones and runs on the master"
      }
      placements[host] = placement
    }
    return placements
  }
}
