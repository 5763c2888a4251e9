import Glibc
import SystemLayer

/// The state directories and who owns what (`auto-monitor-server setup`, run as root by the
/// packages' postinst and by tests). The core's directory (`automon` writes registrations,
/// keys and the apply mark) survives a change of backend; each backend's directory (written by
/// the apply step as `nagios`: generations, status, quarantine) belongs to its package. Setgid
/// directories give automon's files group nagios without automon being in that group.
public enum ServerLayout {
  public struct Entry: Sendable {
    public var path: String
    public var owner: String
    public var group: String
    public var mode: mode_t
  }

  public static func entries(_ settings: ServerSettings, coreOnly: Bool = false) -> [Entry] {
    let a = settings.user, n = settings.nagiosUser
    let core = [
      Entry(path: settings.stateDirectory, owner: a, group: n, mode: 0o2750),
      Entry(path: settings.registrations, owner: a, group: n, mode: 0o2750),
      Entry(path: settings.keys, owner: a, group: a, mode: 0o700),
      Entry(path: settings.pending, owner: a, group: a, mode: 0o700),
      Entry(path: settings.slots, owner: a, group: a, mode: 0o700),
      Entry(path: settings.applyDirectory, owner: a, group: n, mode: 0o2770),
    ]
    guard settings.hasBackend, !coreOnly else { return core }
    return core + [
      Entry(path: settings.backendDirectory, owner: n, group: n, mode: 0o755),
      Entry(path: settings.quarantine, owner: n, group: n, mode: 0o755),
    ]
  }

  /// Moves a layout of before the core/backend split into place, creates what is missing and
  /// fixes owners and modes; then the ticket secret and (unless `coreOnly`: the core's package
  /// configures before its backend can tell Icinga's zone) the backend's first generation and
  /// wiring.
  public static func create(_ settings: ServerSettings, coreOnly: Bool = false) throws(ServerError) {
    try LegacyLayout.migrate(settings)
    for entry in entries(settings, coreOnly: coreOnly) {
      if mkdir(entry.path, 0o700) != 0 && errno != EEXIST { throw ServerError("cannot create \(entry.path): \(errnoText())") }
      guard let user = getpwnam(entry.owner) else { throw ServerError("no user '\(entry.owner)'") }
      let uid = user.pointee.pw_uid
      guard let group = getgrnam(entry.group) else { throw ServerError("no group '\(entry.group)'") }
      guard chown(entry.path, uid, group.pointee.gr_gid) == 0, chmod(entry.path, entry.mode) == 0 else {
        throw ServerError("cannot set owner and mode of \(entry.path): \(errnoText())")
      }
    }
    try Tickets(settings: settings).ensureSecret()
    guard settings.hasBackend, !coreOnly else { return }
    try createFirstGeneration(settings)
    if settings.backend == .icinga2 { try Icinga2Setup.run(settings) }
  }

  /// The monitoring system refuses to start when the link to the live generation dangles: an
  /// empty generation until the first apply.
  static func createFirstGeneration(_ settings: ServerSettings) throws(ServerError) {
    var status = stat()
    if lstat(settings.liveLink, &status) == 0 { return }
    guard let nagios = getpwnam(settings.nagiosUser) else { throw ServerError("no user '\(settings.nagiosUser)'") }
    let generation = settings.backendDirectory + "/gen-0"
    for path in [generation, generation + "/hosts", generation + "/templates"] {
      if mkdir(path, 0o750) != 0 && errno != EEXIST { throw ServerError("cannot create \(path): \(errnoText())") }
      chown(path, nagios.pointee.pw_uid, nagios.pointee.pw_gid)
    }
    guard symlink("gen-0", settings.liveLink) == 0 else { throw ServerError("cannot create \(settings.liveLink): \(errnoText())") }
    lchown(settings.liveLink, nagios.pointee.pw_uid, nagios.pointee.pw_gid)
  }
}
