import Glibc
import MonitoringInfo

/// Before the server was split into a core and backends, everything lived in the Nagios
/// package's directory: `registrations/ keys/ pending/ secret apply/` (now the core's),
/// `hosts/` (host files the receiver rendered; the apply step now renders from registrations)
/// and `nagios/` (generations, live link, status, quarantine; now the top of the Nagios
/// backend's directory). An upgrade moves them, so no client notices: same keys, same
/// bindings, same tickets.
enum LegacyLayout {
  static let coreEntries = ["registrations", "keys", "pending", "secret", "apply"]
  static let nagiosEntries = ["live", "status.json", "apply.lock"]

  static func migrate(_ settings: ServerSettings) throws(ServerError) {
    let legacy = settings.nagiosDirectory
    guard legacy != settings.stateDirectory, access(legacy + "/secret", F_OK) == 0,
      access(settings.stateDirectory + "/secret", F_OK) != 0
    else { return }
    if mkdir(settings.stateDirectory, 0o700) != 0 && errno != EEXIST {
      throw ServerError("cannot create \(settings.stateDirectory): \(errnoText())")
    }
    // rename(2) replaces an empty directory, so a core directory that setup already made
    // (empty) does not stop the move.
    for name in coreEntries where access(legacy + "/" + name, F_OK) == 0 {
      try move(legacy + "/" + name, to: settings.stateDirectory + "/" + name)
    }
    removeTree(legacy + "/hosts")
    let old = legacy + "/nagios"
    if FileReader.isDirectory(old) {
      let names = FileReader.entries(in: old).filter { $0.hasPrefix("gen-") }
      for name in names + ["quarantine"] + nagiosEntries where isPresent(old + "/" + name) {
        try move(old + "/" + name, to: legacy + "/" + name)
      }
      rmdir(old)
      // Nagios reads the generated objects through a link to `nagios/live`, which the Nagios
      // package points at `live` when it is configured; until then this keeps it working.
      if access(old, F_OK) != 0 { symlink(".", old) }
    }
    // Quarantine entries kept the rendered host file; the registration is compared now.
    for name in (try? FileReader.files(in: legacy + "/quarantine", withSuffix: ".cfg")) ?? [] {
      unlink(legacy + "/quarantine/" + name)
    }
    AtomicFile.syncDirectory(settings.stateDirectory)
    AtomicFile.syncDirectory(legacy)
  }

  static func move(_ from: String, to: String) throws(ServerError) {
    guard rename(from, to) == 0 else { throw ServerError("cannot move \(from) to \(to): \(errnoText())") }
  }

  /// Whether anything is at `path` (a dangling link included).
  static func isPresent(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }

  /// The legacy host files: a flat directory of regular files.
  static func removeTree(_ path: String) {
    for name in (try? FileReader.files(in: path, withSuffix: "")) ?? [] { unlink(path + "/" + name) }
    rmdir(path)
  }
}
