import Glibc
import MonitoringInfo

/// `/etc/auto-monitor-server/overrides.conf`: the administrator's changes to generated objects,
/// applied when the configuration is built, so generated files are never edited by hand.
///
///     # HOST SERVICE SETTING [VALUE]    HOST and SERVICE may be '*'; SERVICE '-' is the host object
///     b.example.org apache2 disable
///     *             *       check_interval 10
///     b.example.org -       contacts oncall,admins
///
/// Values are checked as strictly as client values: numbers, or object names.
public struct Overrides: Sendable {
  struct Rule: Sendable {
    var host: String
    var service: String
    var setting: String
    var value: String
  }

  static let numeric: Set<String> = [
    "check_interval", "retry_interval", "max_check_attempts", "notification_interval", "first_notification_delay",
  ]
  static let names: Set<String> = ["contacts", "contact_groups", "check_period", "notification_period", "hostgroups", "servicegroups"]
  static let flags: Set<String> = ["notifications_enabled", "active_checks_enabled"]

  var rules: [Rule] = []
  public init() {}

  public var isEmpty: Bool { rules.isEmpty }

  public static func load(_ path: String) throws(ServerError) -> Overrides {
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path, limit: 1 << 20) } catch {
      if !FileReader.isDirectory(path), access(path, 0) != 0 { return Overrides() }
      throw ServerError("\(path): cannot read: \(error)")
    }
    return try parse(bytes, path: path)
  }

  public static func parse(_ bytes: [UInt8], path: String) throws(ServerError) -> Overrides {
    var overrides = Overrides()
    var number = 0
    for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      let text = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
      if fields.isEmpty { continue }
      func fail(_ message: String) -> ServerError { ServerError("\(path):\(number): \(message)") }
      guard fields.count == 3 || fields.count == 4 else {
        throw fail("expected 'HOST SERVICE SETTING [VALUE]', got \(fields.count) fields")
      }
      let (host, service, setting) = (fields[0], fields[1], fields[2])
      let value = fields.count == 4 ? fields[3] : ""
      guard host == "*" || HostName.isValid(host) else { throw fail("'\(host)' is not a host name or '*'") }
      guard service == "*" || service == "-" || ServiceName.isValid(service) else {
        throw fail("'\(service)' is not a service name, '*' or '-'")
      }
      if setting == "disable" {
        guard value.isEmpty, service != "-" else { throw fail("'disable' takes no value and applies to services only") }
      } else if numeric.contains(setting) {
        guard let n = Int(value), n >= 0, n <= 1_000_000 else { throw fail("'\(setting)' needs a whole number") }
      } else if names.contains(setting) {
        let ok = !value.isEmpty && value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy(ServiceName.isValid)
        guard ok else { throw fail("'\(setting)' needs names separated by commas ([A-Za-z0-9._-])") }
      } else if flags.contains(setting) {
        guard value == "0" || value == "1" else { throw fail("'\(setting)' needs 0 or 1") }
      } else {
        let known = (["disable"] + numeric.sorted() + names.sorted() + flags.sorted()).joined(separator: ", ")
        throw fail("unknown setting '\(setting)' (known: \(known))")
      }
      overrides.rules.append(Rule(host: host, service: service, setting: setting, value: value))
    }
    return overrides
  }

  /// Settings for the host object (`service` nil) or one service; later lines win.
  func settings(host: String, service: String?) -> [(String, String)] {
    var result: [(String, String)] = []
    for rule in rules where rule.setting != "disable" && matches(rule, host: host, service: service) {
      result.removeAll { $0.0 == rule.setting }
      result.append((rule.setting, rule.value))
    }
    return result
  }

  func isDisabled(host: String, service: String) -> Bool {
    rules.contains { $0.setting == "disable" && matches($0, host: host, service: service) }
  }

  /// Whether any rule names this host (such hosts are rendered again at each apply).
  public func mentions(_ host: String) -> Bool { rules.contains { $0.host == "*" || $0.host == host } }

  private func matches(_ rule: Rule, host: String, service: String?) -> Bool {
    guard rule.host == "*" || rule.host == host else { return false }
    guard let service else { return rule.service == "-" }
    return rule.service == "*" || rule.service == service
  }
}
