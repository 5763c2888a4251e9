import Glibc
import MonitoringInfo

/// Nagios 4: renders host files, builds a generation directory from them, verifies the whole
/// configuration with `nagios4 -v`, reloads with SIGHUP and forces first checks.
///
/// Nagios reads `nagios/live`, a symlink to the current generation (`nagios/gen-N`), through
/// the link `/etc/nagios4/conf.d/auto-monitor` (Nagios follows directory links in a cfg_dir).
/// A new generation is made live only for `nagios4 -v`; if that fails the link flips back
/// before anything could reload, so a failing configuration never reaches the daemon.
public struct NagiosBackend: MonitoringBackend {
  let renderer = NagiosRenderer()
  public init() {}

  public func render(host: String, services: [String]) -> [UInt8] { renderer.render(host: host, services: services) }

  public func serviceStates(host: String, settings: ServerSettings) -> [ServiceState] {
    guard let main = try? NagiosMainConfig.load(settings.nagiosConfig),
      let bytes = try? FileReader.read(main.statusFile, limit: 1 << 30)
    else { return [] }
    return NagiosStatus.services(of: host, in: bytes)
  }

  public func apply(_ request: ApplyRequest) -> ApplyOutcome {
    let settings = request.settings
    var outcome: ApplyOutcome
    do {
      let lock = try ApplyLock(settings.nagiosDirectory + "/apply.lock")
      outcome = try NagiosApply(settings: settings, retryQuarantined: request.retryQuarantined).run()
      _ = consume lock
    } catch {
      outcome = ApplyOutcome(result: .failed, message: "apply failed")
      outcome.error = error.description
    }
    ApplyStatus.record(outcome, settings: settings)
    return outcome
  }
}

/// One apply round (see `NagiosBackend`).
struct NagiosApply {
  let settings: ServerSettings
  let retryQuarantined: Bool
  let renderer = NagiosRenderer()

  struct Quarantined {
    var reason: String
    var file: [UInt8]
  }

  func run() throws(ServerError) -> ApplyOutcome {
    // Consume the mark first: a registration stored after this point marks again.
    unlink(settings.applyMark)
    let overrides = try Overrides.load(settings.overrides)
    let overridesText = (try? FileReader.read(settings.overrides, limit: 1 << 20)) ?? []
    let templates: [UInt8]
    do { templates = try FileReader.read(settings.templates, limit: 1 << 22) } catch {
      throw ServerError("\(settings.templates): cannot read the templates: \(error)")
    }
    let main = try NagiosMainConfig.load(settings.nagiosConfig)
    let current = currentGeneration()
    let previous = PreviousGeneration(directory: current)
    var quarantine = loadQuarantine()
    var outcome = ApplyOutcome(result: .unchanged, message: "configuration unchanged")
    // A host file that did not change since the live generation was built is reused as it is
    // (hard link, no read, no render), unless the administrator changed templates or overrides:
    // then every host is rendered again, and quarantined hosts are tried again (the change may
    // be the fix).
    let templatesChanged = current == nil || previous.templates != templates
    let overridesChanged = previous.overrides != overridesText
    let administratorChanged = templatesChanged || overridesChanged
    let retry = retryQuarantined || administratorChanged
    let recorded = administratorChanged ? [:] : previous.manifest()

    // The desired files: each host file whose registration changed, rendered with the overrides.
    var desired: [String: [UInt8]] = [:]
    var reused: Set<String> = []
    var bases: [String: [UInt8]] = [:]
    var manifest: [String: String] = [:]
    for name in (try? FileReader.files(in: settings.hosts, withSuffix: ".cfg")) ?? [] {
      let host = String(name.dropLast(4))
      guard HostName.isValid(host) else { continue }
      // Stat before reading: a file replaced in between is seen as changed at the next apply.
      let key = Self.identity(settings.hosts + "/" + name)
      if let key, quarantine[host] == nil, recorded[host] == key, previous.names.contains(host) {
        reused.insert(host)
        manifest[host] = key
        continue
      }
      guard let base = try? FileReader.read(settings.hosts + "/" + name, limit: 1 << 22),
        let parsed = NagiosRenderer.parse(base), parsed.host == host
      else { continue }
      bases[host] = base
      if let entry = quarantine[host], entry.file == base, !retry {
        if let good = previous.file(host) { desired[host] = good }
        continue
      }
      desired[host] = renderer.render(host: host, services: parsed.services, overrides: overrides)
      if let key { manifest[host] = key }
    }
    for host in quarantine.keys where bases[host] == nil && !reused.contains(host) {
      clearQuarantine(host)
      quarantine[host] = nil
    }

    var excluded: Set<String> = []
    for _ in 0..<3 {
      var files = desired
      var entries = manifest
      for host in excluded {
        files[host] = previous.file(host)
        entries[host] = nil
      }
      let changed = Set(files.keys.filter { files[$0] != previous.file($0) })
        .union(previous.names.filter { files[$0] == nil && !reused.contains($0) })
      // Changed overrides are verified even when no host file changes yet: the generation
      // records them, so the next apply knows they were checked.
      if changed.isEmpty && !administratorChanged {
        finishQuarantine(files: files, bases: bases, quarantine: &quarantine, excluded: excluded, retry: retry)
        outcome.quarantined = quarantine.mapValues(\.reason)
        return outcome
      }
      let generation = try writeGeneration(files, reused: reused, changed: changed, manifest: entries, templates: templates,
        overrides: overridesText, previous: previous, after: current)
      try flip(to: generation)
      outcome.verifications += 1
      let verification = try serverError { try Subprocess.run(settings.nagiosBinary, ["-v", settings.nagiosConfig], mergeOutput: true) }
      let (status, output) = (verification.status, verification.stdoutText)
      if status == 0 {
        finishQuarantine(files: files, bases: bases, quarantine: &quarantine, excluded: excluded, retry: retry)
        outcome.quarantined = quarantine.mapValues(\.reason)
        outcome.result = .applied
        let added = addedServices(changed: changed, files: files, previous: previous)
        // Nothing Nagios reads changed (overrides that touch no registered service yet).
        guard !changed.isEmpty || templatesChanged else {
          outcome.message = "applied \(generation.split(separator: "/").last!): the changed overrides verify and touch no host yet"
          removeOldGenerations(keep: [generation, current].compactMap { $0 })
          return outcome
        }
        let reload = reloadNagios(main)
        outcome.reloads += reload.reloaded ? 1 : 0
        if reload.reloaded { forceChecks(added, main: main) }
        outcome.message = "applied \(generation.split(separator: "/").last!): \(files.count + reused.count) host(s), \(changed.count) changed; " + reload.message
        removeOldGenerations(keep: [generation, current].compactMap { $0 })
        return outcome
      }
      // Never leave a failing configuration where a reload could pick it up.
      if let current { try flip(to: current) } else { unlink(settings.liveLink) }
      removeDirectory(generation)
      var culprits = pinnedHosts(output, changed: changed)
      // After the administrator changed the templates, a failure is theirs to fix: no host is
      // quarantined for it. Overrides change host files only, so a failure they cause is pinned
      // on the hosts they touch, and the other hosts' changes still go live.
      if culprits.isEmpty && !templatesChanged {
        culprits = try bisect(files: files, reused: reused, previous: previous, changed: changed.subtracting(excluded),
          templates: templates, overrides: overridesText, current: current, firstError: errorLines(output), outcome: &outcome)
      }
      guard !culprits.isEmpty else {
        outcome.result = .failed
        outcome.message = "nagios4 -v refused the new configuration; the running configuration stays"
        outcome.error = errorLines(output)
        outcome.quarantined = quarantine.mapValues(\.reason)
        return outcome
      }
      for (host, reason) in culprits {
        excluded.insert(host)
        let entry = Quarantined(reason: reason, file: bases[host] ?? [])
        quarantine[host] = entry
        try? AtomicFile.write(Array((reason + "\n").utf8), to: settings.quarantine + "/" + host + ".reason", mode: 0o644)
        try? AtomicFile.write(entry.file, to: settings.quarantine + "/" + host + ".cfg", mode: 0o644)
      }
    }
    outcome.result = .failed
    outcome.message = "gave up after 3 verifications; the running configuration stays"
    outcome.quarantined = quarantine.mapValues(\.reason)
    return outcome
  }

  /// When Nagios' messages name no host file (a duplicate of a hand-written object is blamed on
  /// the other file), find the changed hosts that break verification by halving: first all
  /// changed hosts reverted (if that fails too, the administrator's files are at fault), then
  /// halves of the changed set. About 2 log2(n) verifications; the live link flips back each time.
  func bisect(
    files: [String: [UInt8]], reused: Set<String>, previous: PreviousGeneration, changed: Set<String>, templates: [UInt8],
    overrides: [UInt8], current: String?, firstError: String, outcome: inout ApplyOutcome
  ) throws(ServerError) -> [String: String] {
    guard !changed.isEmpty else { return [:] }
    func verifies(_ added: [String]) throws(ServerError) -> Bool {
      var trial = files
      for host in changed where !added.contains(host) { trial[host] = previous.file(host) }
      let unchanged = changed.filter { trial[$0] == previous.file($0) }
      let generation = try writeGeneration(trial, reused: reused, changed: changed.subtracting(unchanged), manifest: [:],
        templates: templates, overrides: overrides, previous: previous, after: current)
      try flip(to: generation)
      outcome.verifications += 1
      let status = try serverError { try Subprocess.run(settings.nagiosBinary, ["-v", settings.nagiosConfig], mergeOutput: true) }.status
      if let current { try flip(to: current) } else { unlink(settings.liveLink) }
      removeDirectory(generation)
      return status == 0
    }
    guard try verifies([]) else { return [:] }
    var culprits: [String: String] = [:]
    var queue = [changed.sorted()]
    while let group = queue.popLast(), culprits.count < 16 {
      if try verifies(group) { continue }
      if group.count == 1 {
        culprits[group[0]] = "nagios4 -v fails with this host's objects: " + firstError.split(separator: "\n").prefix(3).joined(separator: "; ")
      } else {
        queue.append(Array(group[..<(group.count / 2)]))
        queue.append(Array(group[(group.count / 2)...]))
      }
    }
    return culprits
  }

  // MARK: generations

  func currentGeneration() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(settings.liveLink, &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    let target = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let path = target.hasPrefix("/") ? target : settings.nagiosDirectory + "/" + target
    return FileReader.isDirectory(path) ? path : nil
  }

  /// The identity of a host file as the receiver left it: a new inode at every store (it
  /// renames a new file into place), so an equal identity means an unchanged file.
  static func identity(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    return "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec):\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec)"
  }

  /// Builds a generation: files of hosts that did not change are hard links to the previous
  /// generation's (generation files are never written after creation), the rest are written;
  /// then everything new is made durable before the live link may point at it.
  func writeGeneration(
    _ files: [String: [UInt8]], reused: Set<String>, changed: Set<String>, manifest: [String: String], templates: [UInt8],
    overrides: [UInt8], previous: PreviousGeneration, after current: String?
  ) throws(ServerError) -> String {
    var number = 1
    if let current, let n = Int(current.split(separator: "-").last ?? "") { number = n + 1 }
    var path = settings.nagiosDirectory + "/gen-\(number)"
    while access(path, F_OK) == 0 {
      removeDirectory(path)
      if access(path, F_OK) == 0 { number += 1; path = settings.nagiosDirectory + "/gen-\(number)" }
    }
    guard mkdir(path, 0o755) == 0, mkdir(path + "/hosts", 0o755) == 0, mkdir(path + "/templates", 0o755) == 0 else {
      throw ServerError("cannot create \(path): \(errnoText())")
    }
    var written: [String] = []
    func put(_ bytes: [UInt8], _ target: String) throws(ServerError) {
      try writePlain(bytes, to: target)
      written.append(target)
    }
    try put(templates, path + "/templates/templates.cfg")
    try put(overrides, path + "/templates/overrides.applied")
    var index = ""
    for host in manifest.keys.sorted() { index += host + " " + manifest[host]! + "\n" }
    try put(Array(index.utf8), path + "/templates/" + PreviousGeneration.manifestName)
    func reuse(_ host: String) -> Bool {
      guard let directory = previous.directory else { return false }
      return link(directory + "/hosts/" + host + ".cfg", path + "/hosts/" + host + ".cfg") == 0
    }
    for host in reused where files[host] == nil {
      if !reuse(host) {
        guard let bytes = previous.file(host) else { throw ServerError("cannot reuse the file of \(host): \(errnoText())") }
        try put(bytes, path + "/hosts/" + host + ".cfg")
      }
    }
    for (host, bytes) in files where changed.contains(host) || !previous.names.contains(host) || !reuse(host) {
      try put(bytes, path + "/hosts/" + host + ".cfg")
    }
    // A few new files are synced one by one; a whole new generation in one sync.
    if written.count > 64 {
      sync()
    } else {
      for file in written { AtomicFile.syncFile(file) }
      AtomicFile.syncDirectory(path + "/hosts")
      AtomicFile.syncDirectory(path + "/templates")
      AtomicFile.syncDirectory(path)
    }
    return path
  }

  func writePlain(_ bytes: [UInt8], to path: String) throws(ServerError) {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ServerError("cannot create \(path): \(errnoText())") }
    defer { close(fd) }
    if let error = FileWriter.writeAll(bytes, to: fd) { throw ServerError("cannot write \(path): \(String(cString: strerror(error)))") }
  }

  /// Points `live` at `directory` in one rename.
  func flip(to directory: String) throws(ServerError) {
    let name = String(directory.split(separator: "/").last!)
    let temporary = settings.nagiosDirectory + "/.live.tmp"
    unlink(temporary)
    guard symlink(name, temporary) == 0, rename(temporary, settings.liveLink) == 0 else {
      throw ServerError("cannot point \(settings.liveLink) at \(name): \(errnoText())")
    }
    AtomicFile.syncDirectory(settings.nagiosDirectory)
  }

  func removeOldGenerations(keep: [String]) {
    guard let stream = opendir(settings.nagiosDirectory) else { return }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
      if name.hasPrefix("gen-") { names.append(name) }
    }
    closedir(stream)
    let kept = Set(keep.map { String($0.split(separator: "/").last!) })
    for name in names where !kept.contains(name) { removeDirectory(settings.nagiosDirectory + "/" + name) }
  }

  func removeDirectory(_ path: String) {
    for sub in ["hosts", "templates"] {
      for name in (try? FileReader.files(in: path + "/" + sub, withSuffix: ".cfg")) ?? [] { unlink(path + "/" + sub + "/" + name) }
      unlink(path + "/" + sub + "/overrides.applied")
      unlink(path + "/" + sub + "/" + PreviousGeneration.manifestName)
      rmdir(path + "/" + sub)
    }
    rmdir(path)
  }

  // MARK: verification output

  /// Hosts a failed verification can be pinned on: each error names one changed host's file
  /// (or the host), and nothing else failed.
  func pinnedHosts(_ output: String, changed: Set<String>) -> [String: String] {
    var culprits: [String: String] = [:]
    for line in output.split(separator: "\n") where line.contains("Error") {
      let text = String(line).trimmingWhitespace
      if text.hasPrefix("Error processing") || text.hasPrefix("***>") || text.hasPrefix("Total Errors") { continue }
      var found: String?
      if let file = quoted(after: "config file '", in: text), file.hasSuffix(".cfg"), file.contains("/hosts/") {
        let host = String(file.split(separator: "/").last!.dropLast(4))
        if changed.contains(host) { found = host }
      } else if let host = quoted(after: "host '", in: text), changed.contains(host) {
        found = host
      }
      guard let host = found else { return [:] }
      culprits[host, default: ""] += (culprits[host]!.isEmpty ? "" : "; ") + text
    }
    return culprits
  }

  func quoted(after marker: String, in text: String) -> String? {
    let bytes = Array(text.utf8), needle = Array(marker.utf8)
    guard bytes.count >= needle.count else { return nil }
    for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
      let rest = bytes[(start + needle.count)...]
      guard let end = rest.firstIndex(of: UInt8(ascii: "'")) else { return nil }
      return String(decoding: rest[..<end], as: UTF8.self)
    }
    return nil
  }

  func errorLines(_ output: String) -> String {
    let lines = output.split(separator: "\n").filter { $0.contains("Error") || $0.contains("error") }
    return (lines.isEmpty ? Array(output.split(separator: "\n").suffix(20)) : lines).joined(separator: "\n")
  }

  // MARK: quarantine

  func loadQuarantine() -> [String: Quarantined] {
    var result: [String: Quarantined] = [:]
    for name in (try? FileReader.files(in: settings.quarantine, withSuffix: ".reason")) ?? [] {
      let host = String(name.dropLast(7))
      guard let reason = try? FileReader.read(settings.quarantine + "/" + name, limit: 65536) else { continue }
      let file = (try? FileReader.read(settings.quarantine + "/" + host + ".cfg", limit: 1 << 22)) ?? []
      result[host] = Quarantined(reason: String(decoding: reason, as: UTF8.self).trimmingWhitespace, file: file)
    }
    return result
  }

  /// Hosts that went live with their current file (or were tried again and verified) leave the
  /// quarantine.
  func finishQuarantine(
    files: [String: [UInt8]], bases: [String: [UInt8]], quarantine: inout [String: Quarantined], excluded: Set<String>, retry: Bool
  ) {
    for (host, entry) in quarantine where !excluded.contains(host) && (entry.file != bases[host] || retry) {
      clearQuarantine(host)
      quarantine[host] = nil
    }
  }

  func clearQuarantine(_ host: String) {
    unlink(settings.quarantine + "/" + host + ".reason")
    unlink(settings.quarantine + "/" + host + ".cfg")
  }

  // MARK: reload and first checks

  func addedServices(changed: Set<String>, files: [String: [UInt8]], previous: PreviousGeneration) -> [String] {
    var hosts: [String] = []
    for host in changed {
      guard let bytes = files[host] else { continue }
      let now = Set(NagiosRenderer.parse(bytes)?.services ?? [])
      let before = Set(previous.file(host).flatMap { NagiosRenderer.parse($0)?.services } ?? [])
      if !now.subtracting(before).isEmpty { hosts.append(host) }
    }
    return hosts.sorted()
  }

  func reloadNagios(_ main: NagiosMainConfig) -> (reloaded: Bool, message: String) {
    guard let bytes = try? FileReader.read(main.lockFile, limit: 64),
      // Debian's init script writes the pid with a newline.
      let pid = Int32(String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self).trimmingWhitespace), pid > 1, kill(pid, 0) == 0
    else { return (false, "Nagios is not running: it reads this configuration when it starts") }
    let before = modificationTime(main.objectCache)
    guard kill(pid, SIGHUP) == 0 else { return (false, "cannot signal Nagios (pid \(pid)): \(errnoText())") }
    // Nagios writes objects.cache once it has read the new configuration. A SIGHUP that comes
    // while Nagios is still finishing the previous reload (after it wrote objects.cache, before
    // it clears its restart flag) is lost: seen in bench/server with applies seconds apart. So
    // the signal is repeated every 15 s until Nagios reloads; an extra reload is harmless.
    for tick in 1...3000 {
      if modificationTime(main.objectCache) != before { return (true, "Nagios reloaded") }
      if kill(pid, 0) != 0 { return (true, "Nagios exited while reloading (see its log)") }
      usleep(20_000)
      if tick % 750 == 0 { kill(pid, SIGHUP) }
    }
    return (true, "Nagios was sent SIGHUP but did not rewrite \(main.objectCache) within 60 s")
  }

  func modificationTime(_ path: String) -> Int {
    var status = stat()
    return stat(path, &status) == 0 ? Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec) : 0
  }

  /// `SCHEDULE_FORCED_HOST_SVC_CHECKS` for hosts that gained services: their first results
  /// arrive in seconds instead of after Nagios' initial spread of several minutes.
  func forceChecks(_ hosts: [String], main: NagiosMainConfig) {
    guard !hosts.isEmpty else { return }
    let fd = open(main.commandFile, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    let now = time(nil)
    var chunk = ""
    for host in hosts {
      let line = "[\(now)] SCHEDULE_FORCED_HOST_SVC_CHECKS;\(host);\(now)\n"
      if chunk.utf8.count + line.utf8.count > 4096 {
        _ = FileWriter.writeAll(Array(chunk.utf8), to: fd)
        chunk = ""
      }
      chunk += line
    }
    if !chunk.isEmpty { _ = FileWriter.writeAll(Array(chunk.utf8), to: fd) }
  }
}
