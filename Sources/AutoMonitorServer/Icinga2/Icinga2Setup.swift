import Glibc
import MonitoringInfo

/// The Icinga 2 side of `auto-monitor-server setup` (root): the API user the backend queries
/// and forces checks with (its password in `icinga2_api_password_file`, readable by group
/// nagios only), in the directory of the master's zone, and the links through which Icinga reads
/// the generated objects (`Icinga2Zone`). Icinga's own files are not edited.
enum Icinga2Setup {
  static let permissions = ["objects/query/Host", "objects/query/Service", "actions/reschedule-check", "status/query"]

  static func run(_ settings: ServerSettings) throws(ServerError) {
    let master = try Icinga2Zone.master(settings)
    let zone = settings.icinga2.zonesDirectory + "/" + master
    guard let nagios = getpwnam(settings.nagiosUser) else { throw ServerError("no user '\(settings.nagiosUser)'") }
    let (uid, gid) = (nagios.pointee.pw_uid, nagios.pointee.pw_gid)
    if mkdir(zone, 0o750) == 0 { chown(zone, uid, gid) } else if errno != EEXIST {
      throw ServerError("cannot create \(zone): \(errnoText())")
    }
    let password = try ensurePassword(settings, group: gid)
    let text = Icinga2Renderer.header + apiUser(settings.icinga2.apiUser, password: password)
    let userFile = zone + "/" + Icinga2Zone.apiUserFile
    if (try? FileReader.read(userFile, limit: 65536)) != Array(text.utf8) {
      try serverError { try AtomicFile.write(Array(text.utf8), to: userFile, mode: 0o640) }
    }
    chown(userFile, uid, gid)
    // The links to the live generation: the master's zone, the global zone, each satellite's.
    try Icinga2Zone.link(settings, master: master, satellites: try Icinga2Zone.satellites(settings))
  }

  static func apiUser(_ name: String, password: String, extra: [String] = []) -> String {
    var text = "object ApiUser " + Icinga2Literal.string(name) + " {\n"
    text += "  password = " + Icinga2Literal.string(password) + "\n"
    text += "  permissions = [ " + (permissions + extra).map { Icinga2Literal.string($0) }.joined(separator: ", ") + " ]\n"
    return text + "}\n"
  }

  /// The password `setup` made (the apply reads it as user nagios).
  static func existingPassword(_ settings: ServerSettings) throws(ServerError) -> String {
    guard let bytes = try? FileReader.read(settings.icinga2.apiPasswordFile, limit: 4096) else {
      throw ServerError("cannot read \(settings.icinga2.apiPasswordFile): run 'auto-monitor-server setup' as root")
    }
    return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
  }

  /// 32 random hex digits, made once; root:nagios 0640.
  static func ensurePassword(_ settings: ServerSettings, group: gid_t) throws(ServerError) -> String {
    let path = settings.icinga2.apiPasswordFile
    if let bytes = try? FileReader.read(path, limit: 4096) {
      let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
      if line.utf8.count >= 16 { return line }
    }
    var random = [UInt8](repeating: 0, count: 16)
    guard random.withUnsafeMutableBytes({ getentropy($0.baseAddress, $0.count) }) == 0 else {
      throw ServerError("cannot get random bytes for the API password: \(errnoText())")
    }
    let digits = Array("0123456789abcdef".utf8)
    let password = String(decoding: random.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    try serverError { try AtomicFile.write(Array((password + "\n").utf8), to: path, mode: 0o640) }
    chown(path, 0, group)
    return password
  }
}
