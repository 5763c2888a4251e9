/// How the server reaches Icinga 2 (`icinga2_*` lines of server.conf). The defaults are those
/// of Debian's icinga2 package after `icinga2 api setup`.
public struct Icinga2Settings: Sendable {
  public var binary = "/usr/sbin/icinga2"
  public var config = "/etc/icinga2/icinga2.conf"
  /// Extra `--define NAME=VALUE` for `icinga2 daemon -C` (a private instance's paths).
  public var defines: [String] = []
  public var pidFile = "/run/icinga2/icinga2.pid"
  /// Icinga reads `ZONESDIR/ZONE/auto-monitor`, a link to the backend's live generation.
  public var zonesDirectory = "/etc/icinga2/zones.d"
  /// The zone whose endpoint checks the hosts; nil means Icinga's own `ZoneName`.
  public var zone: String?
  /// The global zone every node has (Debian's zones.conf defines it): the templates and the
  /// CheckCommand go there, so satellites have them too.
  public var globalZone = "global-templates"
  public var templates = "/etc/auto-monitor-server/icinga2-templates.conf"
  public var api = "https://127.0.0.1:5665"
  /// The name in the API's certificate (Icinga's NodeName) when it is not the URL's host.
  public var apiServerName: String?
  public var apiUser = "auto-monitor"
  /// The API user's password (first line); the backend package makes it, readable by nagios.
  public var apiPasswordFile = "/etc/auto-monitor-server/icinga2-api-password"
  /// The CA that signed the API's certificate (Icinga's own CA).
  public var caFile = "/var/lib/icinga2/certs/ca.crt"

  public init() {}
}
