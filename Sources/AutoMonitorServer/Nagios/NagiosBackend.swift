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
    let currentFiles = current.map { readGeneration($0) } ?? [:]
    var quarantine = loadQuarantine()
    var outcome = ApplyOutcome(result: .unchanged, message: "configuration unchanged")

    // The desired files: every host file, rendered again with the overrides.
    var desired: [String: [UInt8]] = [:]
    var bases: [String: [UInt8]] = [:]
    for name in (try? FileReader.files(in: settings.hosts, withSuffix: ".cfg")) ?? [] {
      let host = String(name.dropLast(4))
      guard HostName.isValid(host), let base = try? FileReader.read(settings.hosts + "/" + name, limit: 1 << 22),
        let parsed = NagiosRenderer.parse(base), parsed.host == host
      else { continue }
      bases[host] = base
      if let entry = quarantine[host], entry.file == base, !retryQuarantined {
        if let good = currentFiles[host] { desired[host] = good }
        continue
      }
      desired[host] = renderer.render(host: host, services: parsed.services, overrides: overrides)
    }
    for host in quarantine.keys where bases[host] == nil {
      clearQuarantine(host)
      quarantine[host] = nil
    }

    var excluded: Set<String> = []
    for _ in 0..<3 {
      var files = desired
      for host in excluded { files[host] = currentFiles[host] }
      let changed = Set(files.keys.filter { files[$0] != currentFiles[$0] })
        .union(currentFiles.keys.filter { files[$0] == nil })
      let templatesChanged = current.map { (try? FileReader.read($0 + "/templates/templates.cfg", limit: 1 << 22)) != templates } ?? true
      if changed.isEmpty && !templatesChanged {
        finishQuarantine(files: files, bases: bases, quarantine: &quarantine, excluded: excluded)
        outcome.quarantined = quarantine.mapValues(\.reason)
        return outcome
      }
      let generation = try writeGeneration(files, templates: templates, after: current)
      try writePlain(overridesText, to: generation + "/templates/overrides.applied")
      try flip(to: generation)
      outcome.verifications += 1
      let (status, output) = try Subprocess.run(settings.nagiosBinary, ["-v", settings.nagiosConfig])
      if status == 0 {
        finishQuarantine(files: files, bases: bases, quarantine: &quarantine, excluded: excluded)
        outcome.quarantined = quarantine.mapValues(\.reason)
        outcome.result = .applied
        let added = addedServices(files: files, previous: currentFiles)
        let reload = reloadNagios(main)
        outcome.reloads += reload.reloaded ? 1 : 0
        if reload.reloaded { forceChecks(added, main: main) }
        outcome.message = "applied \(generation.split(separator: "/").last!): \(files.count) host(s), \(changed.count) changed; " + reload.message
        removeOldGenerations(keep: [generation, current].compactMap { $0 })
        return outcome
      }
      // Never leave a failing configuration where a reload could pick it up.
      if let current { try flip(to: current) } else { unlink(settings.liveLink) }
      removeDirectory(generation)
      var culprits = pinnedHosts(output, changed: changed)
      // After the administrator changed templates or overrides, a failure is theirs to fix:
      // no host is quarantined for it.
      let administratorChanged = templatesChanged
        || current.map { (try? FileReader.read($0 + "/templates/overrides.applied", limit: 1 << 20)) ?? [] } != overridesText
      if culprits.isEmpty && !administratorChanged {
        culprits = try bisect(files: files, previous: currentFiles, changed: changed.subtracting(excluded), templates: templates,
          current: current, firstError: errorLines(output), outcome: &outcome)
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
    files: [String: [UInt8]], previous: [String: [UInt8]], changed: Set<String>, templates: [UInt8], current: String?,
    firstError: String, outcome: inout ApplyOutcome
  ) throws(ServerError) -> [String: String] {
    guard !changed.isEmpty else { return [:] }
    func verifies(_ added: [String]) throws(ServerError) -> Bool {
      var trial = files
      for host in changed where !added.contains(host) { trial[host] = previous[host] }
      let generation = try writeGeneration(trial, templates: templates, after: current)
      try flip(to: generation)
      outcome.verifications += 1
      let status = try Subprocess.run(settings.nagiosBinary, ["-v", settings.nagiosConfig]).status
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

  func readGeneration(_ directory: String) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for name in (try? FileReader.files(in: directory + "/hosts", withSuffix: ".cfg")) ?? [] {
      if let bytes = try? FileReader.read(directory + "/hosts/" + name, limit: 1 << 22) { files[String(name.dropLast(4))] = bytes }
    }
    return files
  }

  func writeGeneration(_ files: [String: [UInt8]], templates: [UInt8], after current: String?) throws(ServerError) -> String {
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
    try writePlain(templates, to: path + "/templates/templates.cfg")
    for (host, bytes) in files { try writePlain(bytes, to: path + "/hosts/" + host + ".cfg") }
    // One sync for the whole directory tree instead of one per file.
    sync()
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
      let text = String(line).trimmingSpaces
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
      result[host] = Quarantined(reason: String(decoding: reason, as: UTF8.self).trimmingSpaces, file: file)
    }
    return result
  }

  /// Hosts that went live with their current file leave the quarantine.
  func finishQuarantine(files: [String: [UInt8]], bases: [String: [UInt8]], quarantine: inout [String: Quarantined], excluded: Set<String>) {
    for (host, entry) in quarantine where !excluded.contains(host) && (entry.file != bases[host] || retryQuarantined) {
      clearQuarantine(host)
      quarantine[host] = nil
    }
  }

  func clearQuarantine(_ host: String) {
    unlink(settings.quarantine + "/" + host + ".reason")
    unlink(settings.quarantine + "/" + host + ".cfg")
  }

  // MARK: reload and first checks

  func addedServices(files: [String: [UInt8]], previous: [String: [UInt8]]) -> [String] {
    var hosts: [String] = []
    for (host, bytes) in files where bytes != previous[host] {
      let now = Set(NagiosRenderer.parse(bytes)?.services ?? [])
      let before = Set(previous[host].flatMap { NagiosRenderer.parse($0)?.services } ?? [])
      if !now.subtracting(before).isEmpty { hosts.append(host) }
    }
    return hosts.sorted()
  }

  func reloadNagios(_ main: NagiosMainConfig) -> (reloaded: Bool, message: String) {
    guard let bytes = try? FileReader.read(main.lockFile, limit: 64),
      // Debian's init script writes the pid with a newline.
      let pid = Int32(String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self).trimmingSpaces), pid > 1, kill(pid, 0) == 0
    else { return (false, "Nagios is not running: it reads this configuration when it starts") }
    let before = modificationTime(main.objectCache)
    guard kill(pid, SIGHUP) == 0 else { return (false, "cannot signal Nagios (pid \(pid)): \(errnoText())") }
    // Nagios writes objects.cache once it has read the new configuration.
    for _ in 0..<3000 {
      if modificationTime(main.objectCache) != before { return (true, "Nagios reloaded") }
      if kill(pid, 0) != 0 { return (true, "Nagios exited while reloading (see its log)") }
      usleep(20_000)
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
