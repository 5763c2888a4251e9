import Glibc
import MonitoringInfo

/// Nagios 4: one `.cfg` file per host in a generation directory (see `GenerationApply`),
/// verified with `nagios4 -v`, reloaded with SIGHUP, first checks forced through the command
/// file.
///
/// Nagios reads `live`, a symlink to the current generation (`gen-N`), through the link
/// `/etc/nagios4/conf.d/auto-monitor` (Nagios follows directory links in a cfg_dir).
/// A new generation is made live only for `nagios4 -v`; if that fails the link flips back
/// before anything could reload, so a failing configuration never reaches the daemon.
public struct NagiosBackend: GenerationBackend {
  let renderer = NagiosRenderer()
  public init() {}

  public var kind: BackendKind { .nagios }
  var fileSuffix: String { ".cfg" }

  public func render(host: String, services: [RegisteredService], overrides: Overrides) -> [UInt8] {
    renderer.render(host: host, services: services.map(\.name), overrides: overrides)
  }

  func renderedServices(_ file: [UInt8]) -> [String] { NagiosRenderer.parse(file)?.services ?? [] }

  func templatesPath(_ settings: ServerSettings) -> String { settings.templates }

  func generatedFiles(_ settings: ServerSettings) -> [String: [UInt8]] { [:] }

  func prepare(_ settings: ServerSettings) throws(ServerError) {
    _ = try NagiosMainConfig.load(settings.nagiosConfig)
  }

  func verify(_ settings: ServerSettings) throws(ServerError) -> (status: Int32, output: String) {
    let result = try serverError { try Subprocess.run(settings.nagiosBinary, ["-v", settings.nagiosConfig], mergeOutput: true) }
    return (result.status, result.stdoutText)
  }

  public func serviceStates(host: String, settings: ServerSettings) -> [ServiceState] {
    guard let main = try? NagiosMainConfig.load(settings.nagiosConfig),
      let bytes = try? FileReader.read(main.statusFile, limit: 1 << 30)
    else { return [] }
    return NagiosStatus.services(of: host, in: bytes)
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
      culprits[host] = culprits[host].map { $0 + "; " + text } ?? text
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

  // MARK: reload and first checks

  func reload(_ settings: ServerSettings) -> (reloaded: Bool, message: String) {
    guard let main = try? NagiosMainConfig.load(settings.nagiosConfig) else { return (false, "cannot read \(settings.nagiosConfig)") }
    guard let pid = runningProcess(pidFile: main.lockFile) else {
      return (false, "Nagios is not running: it reads this configuration when it starts")
    }
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
  func forceChecks(_ hosts: [String], settings: ServerSettings, placements: [String: HostPlacement]) {
    guard !hosts.isEmpty, let main = try? NagiosMainConfig.load(settings.nagiosConfig) else { return }
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
