import Glibc
import MonitoringInfo

/// One apply round: renders the registrations that changed since the live generation, builds a
/// new generation directory from them (unchanged hosts are hard links), makes it live only for
/// the backend's verification, and reloads when it verifies. A failure pinned on hosts (or
/// found by bisection) quarantines them and the rest goes live; otherwise the running
/// configuration stays.
struct GenerationApply {
  let backend: any GenerationBackend
  let settings: ServerSettings
  let retryQuarantined: Bool
  /// See `ApplyRequest.everything`.
  let everything: Bool
  /// Per host, its zone and where its checks run (empty without satellite zones).
  let placements: [String: HostPlacement]
  var suffix: String { backend.fileSuffix }

  struct Quarantined {
    var reason: String
    var file: [UInt8]
  }

  func run() throws(ServerError) -> ApplyOutcome {
    // Consume the mark first: a registration stored after this point marks again.
    unlink(settings.applyMark)
    let overrides = try Overrides.load(settings.overrides)
    let overridesText = (try? FileReader.read(settings.overrides, limit: 1 << 20)) ?? []
    let templatesPath = backend.templatesPath(settings)
    let templates: [UInt8]
    do { templates = try FileReader.read(templatesPath, limit: 1 << 22) } catch {
      throw ServerError("\(templatesPath): cannot read the templates: \(error)")
    }
    let generated = backend.generatedFiles(settings)
    let current = currentGeneration()
    let previous = PreviousGeneration(directory: current, suffix: suffix)
    var quarantine = loadQuarantine()
    var outcome = ApplyOutcome(result: .unchanged, message: "configuration unchanged")
    // A host file that did not change since the live generation was built is reused as it is
    // (hard link, no read, no render), unless the administrator changed templates or overrides:
    // then every host is rendered again, and quarantined hosts are tried again (the change may
    // be the fix).
    let templatesChanged = current == nil || previous.templates != templates
      || generated.contains { previous.generated($0.key) != $0.value }
    let overridesChanged = previous.overrides != overridesText
    let administratorChanged = templatesChanged || overridesChanged || everything
    let retry = retryQuarantined || administratorChanged
    let previousManifest = previous.manifest()
    let recorded = administratorChanged ? [:] : previousManifest

    // The desired files: each host whose registration changed, rendered with the overrides.
    var desired: [String: [UInt8]] = [:]
    var reused: Set<String> = []
    var bases: [String: [UInt8]] = [:]
    var manifest: [String: String] = [:]
    for host in RegistrationStore(settings: settings).hosts() {
      // Stat before reading: a file replaced in between is seen as changed at the next apply.
      // A host moved to another zone is rendered again although its registration is the same.
      let key = Self.identity(settings.registration(host)).map { $0 + (placements[host]?.signature ?? "") }
      if let key, quarantine[host] == nil, recorded[host] == key, previous.names.contains(host) {
        reused.insert(host)
        manifest[host] = key
        continue
      }
      guard let base = try? FileReader.read(settings.registration(host), limit: RegistrationPayload.maximumSize * 2),
        let payload = try? RegistrationPayload.parse(base), payload.host == host
      else { continue }
      bases[host] = base
      if let entry = quarantine[host], entry.file == base, !retry {
        if let good = previous.file(host) { desired[host] = good }
        continue
      }
      desired[host] = backend.render(host: host, services: Self.checked(payload, host: host), overrides: overrides,
        placement: placements[host] ?? .master)
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
        generated: generated, overrides: overridesText, previous: previous, after: current)
      try flip(to: generation)
      outcome.verifications += 1
      let (status, output) = try backend.verify(settings)
      if status == 0 {
        finishQuarantine(files: files, bases: bases, quarantine: &quarantine, excluded: excluded, retry: retry)
        outcome.quarantined = quarantine.mapValues(\.reason)
        outcome.result = .applied
        // Hosts that moved to another zone (or whose checks moved to another node) start over
        // there: their first checks are forced like new services'.
        let moved = changed.filter { host in
          guard let before = previousManifest[host], let now = entries[host] else { return false }
          return Self.placementPart(before) != Self.placementPart(now)
        }
        let added = Set(addedServices(changed: changed, files: files, previous: previous)).union(moved).sorted()
        // Nothing Nagios reads changed (overrides that touch no registered service yet).
        guard !changed.isEmpty || templatesChanged || everything else {
          outcome.message = "applied \(generation.split(separator: "/").last!): the changed overrides verify and touch no host yet"
          removeOldGenerations(keep: [generation, current].compactMap { $0 })
          return outcome
        }
        let reload = backend.reload(settings)
        outcome.reloads += reload.reloaded ? 1 : 0
        if reload.reloaded { backend.forceChecks(everything ? Set(files.keys).union(reused).sorted() : added, settings: settings, placements: placements) }
        outcome.message = "applied \(generation.split(separator: "/").last!): \(files.count + reused.count) host(s), \(changed.count) changed; " + reload.message
        removeOldGenerations(keep: [generation, current].compactMap { $0 })
        return outcome
      }
      // Never leave a failing configuration where a reload could pick it up.
      if let current { try flip(to: current) } else { unlink(settings.liveLink) }
      removeDirectory(generation)
      var culprits = backend.pinnedHosts(output, changed: changed)
      // After the administrator changed the templates, a failure is theirs to fix: no host is
      // quarantined for it. Overrides change host files only, so a failure they cause is pinned
      // on the hosts they touch, and the other hosts' changes still go live.
      if culprits.isEmpty && !templatesChanged {
        culprits = try bisect(files: files, reused: reused, previous: previous, changed: changed.subtracting(excluded),
          templates: templates, generated: generated, overrides: overridesText, current: current,
          firstError: backend.errorLines(output), outcome: &outcome)
      }
      guard !culprits.isEmpty else {
        outcome.result = .failed
        outcome.message = "\(backend.kind.displayName) refused the new configuration; the running configuration stays"
        outcome.error = backend.errorLines(output)
        outcome.quarantined = quarantine.mapValues(\.reason)
        return outcome
      }
      for (host, reason) in culprits {
        excluded.insert(host)
        let entry = Quarantined(reason: reason, file: bases[host] ?? [])
        quarantine[host] = entry
        try? AtomicFile.write(Array((reason + "\n").utf8), to: settings.quarantine + "/" + host + ".reason", mode: 0o644)
        // A copy of the registration, which may hold passwords: the monitoring system's user
        // and group only (the receiver reads only the reason).
        try? AtomicFile.write(entry.file, to: settings.quarantine + "/" + host + ".json", mode: 0o640)
      }
    }
    outcome.result = .failed
    outcome.message = "gave up after 3 verifications; the running configuration stays"
    outcome.quarantined = quarantine.mapValues(\.reason)
    return outcome
  }

  /// When the verification names no host file (a duplicate of a hand-written object is blamed on
  /// the other file), find the changed hosts that break verification by halving: first all
  /// changed hosts reverted (if that fails too, the administrator's files are at fault), then
  /// halves of the changed set. About 2 log2(n) verifications; the live link flips back each time.
  func bisect(
    files: [String: [UInt8]], reused: Set<String>, previous: PreviousGeneration, changed: Set<String>, templates: [UInt8],
    generated: [String: [UInt8]], overrides: [UInt8], current: String?, firstError: String, outcome: inout ApplyOutcome
  ) throws(ServerError) -> [String: String] {
    guard !changed.isEmpty else { return [:] }
    func verifies(_ added: [String]) throws(ServerError) -> Bool {
      var trial = files
      for host in changed where !added.contains(host) { trial[host] = previous.file(host) }
      let unchanged = changed.filter { trial[$0] == previous.file($0) }
      let generation = try writeGeneration(trial, reused: reused, changed: changed.subtracting(unchanged), manifest: [:],
        templates: templates, generated: generated, overrides: overrides, previous: previous, after: current)
      try flip(to: generation)
      outcome.verifications += 1
      let status = try backend.verify(settings).status
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
        culprits[group[0]] = "the configuration fails with this host's objects: " + firstError.split(separator: "\n").prefix(3).joined(separator: "; ")
      } else {
        queue.append(Array(group[..<(group.count / 2)]))
        queue.append(Array(group[(group.count / 2)...]))
      }
    }
    return culprits
  }

  // MARK: generations

  func currentGeneration() -> String? {
    guard let target = FileReader.symlinkTarget(settings.liveLink) else { return nil }
    let path = target.hasPrefix("/") ? target : settings.backendDirectory + "/" + target
    return FileReader.isDirectory(path) ? path : nil
  }

  /// The placement signature a manifest entry carries after the registration's identity.
  static func placementPart(_ entry: String) -> Substring {
    entry.firstIndex(of: "|").map { entry[$0...] } ?? ""
  }

  /// The identity of a registration as the receiver left it: a new inode at every store (it
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
    generated: [String: [UInt8]], overrides: [UInt8], previous: PreviousGeneration, after current: String?
  ) throws(ServerError) -> String {
    var number = 1
    if let current, let n = Int(current.split(separator: "-").last ?? "") { number = n + 1 }
    var path = settings.backendDirectory + "/gen-\(number)"
    while access(path, F_OK) == 0 {
      removeDirectory(path)
      if access(path, F_OK) == 0 { number += 1; path = settings.backendDirectory + "/gen-\(number)" }
    }
    // Icinga 2 objects carry the services' parameters, passwords included: the generation is
    // the monitoring system's user's alone.
    guard mkdir(path, 0o750) == 0, mkdir(path + "/hosts", 0o750) == 0, mkdir(path + "/templates", 0o750) == 0 else {
      throw ServerError("cannot create \(path): \(errnoText())")
    }
    var written: [String] = []
    func put(_ bytes: [UInt8], _ target: String) throws(ServerError) {
      try GenerationFile.write(bytes, to: target)
      written.append(target)
    }
    try put(templates, path + "/templates/templates" + suffix)
    for (name, bytes) in generated { try put(bytes, path + "/templates/" + name) }
    try put(overrides, path + "/templates/" + PreviousGeneration.overridesName)
    var index = ""
    for host in manifest.keys.sorted() { index += host + " " + manifest[host]! + "\n" }
    try put(Array(index.utf8), path + "/templates/" + PreviousGeneration.manifestName)
    func reuse(_ host: String) -> Bool {
      guard let directory = previous.directory else { return false }
      return link(directory + "/hosts/" + host + suffix, path + "/hosts/" + host + suffix) == 0
    }
    for host in reused where files[host] == nil {
      if !reuse(host) {
        guard let bytes = previous.file(host) else { throw ServerError("cannot reuse the file of \(host): \(errnoText())") }
        try put(bytes, path + "/hosts/" + host + suffix)
      }
    }
    for (host, bytes) in files where changed.contains(host) || !previous.names.contains(host) || !reuse(host) {
      try put(bytes, path + "/hosts/" + host + suffix)
    }
    try backend.arrange(generation: path, hosts: Set(files.keys).union(reused).sorted(), placements: placements, settings: settings)
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

  /// Points `live` at `directory` in one rename.
  func flip(to directory: String) throws(ServerError) {
    let name = String(directory.split(separator: "/").last!)
    let temporary = settings.backendDirectory + "/.live.tmp"
    unlink(temporary)
    guard symlink(name, temporary) == 0, rename(temporary, settings.liveLink) == 0 else {
      throw ServerError("cannot point \(settings.liveLink) at \(name): \(errnoText())")
    }
    AtomicFile.syncDirectory(settings.backendDirectory)
  }

  func removeOldGenerations(keep: [String]) {
    let names = FileReader.entries(in: settings.backendDirectory).filter { $0.hasPrefix("gen-") }
    let kept = Set(keep.map { String($0.split(separator: "/").last!) })
    for name in names where !kept.contains(name) { removeDirectory(settings.backendDirectory + "/" + name) }
  }

  /// A generation holds only files, links and directories the apply made: all of it goes.
  func removeDirectory(_ path: String) {
    for name in FileReader.entries(in: path) {
      let entry = path + "/" + name
      var status = stat()
      if lstat(entry, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR { removeDirectory(entry) } else { unlink(entry) }
    }
    rmdir(path)
  }

  // MARK: quarantine

  func loadQuarantine() -> [String: Quarantined] {
    var result: [String: Quarantined] = [:]
    for name in (try? FileReader.files(in: settings.quarantine, withSuffix: ".reason")) ?? [] {
      let host = String(name.dropLast(7))
      guard let reason = try? FileReader.read(settings.quarantine + "/" + name, limit: 65536) else { continue }
      let file = (try? FileReader.read(settings.quarantine + "/" + host + ".json", limit: 1 << 22)) ?? []
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
    unlink(settings.quarantine + "/" + host + ".json")
  }

  // MARK: first checks

  func addedServices(changed: Set<String>, files: [String: [UInt8]], previous: PreviousGeneration) -> [String] {
    var hosts: [String] = []
    for host in changed {
      guard let bytes = files[host] else { continue }
      let now = Set(backend.renderedServices(bytes))
      let before = Set(previous.file(host).map(backend.renderedServices) ?? [])
      if !now.subtracting(before).isEmpty { hosts.append(host) }
    }
    return hosts.sorted()
  }

  /// The stored services once more through the format's validation: a registration file is
  /// only ever written by the receiver, but nothing reaches the monitoring system unchecked.
  static func checked(_ payload: RegistrationPayload, host: String) -> [RegisteredService] {
    payload.services.filter { service in
      guard ServiceName.isValid(service.name) else { return false }
      return ServiceDefinition.validate(name: service.name, type: service.type, params: service.params, source: service.source,
        hostName: host).definition != nil
    }
  }
}
