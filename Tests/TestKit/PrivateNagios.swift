import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A private nagios4 for tests: Debian's stock `nagios.cfg` with every path moved into a
/// temporary directory (owned by user `nagios`, which the daemon drops to), its own
/// `cfg_dir` (`confD`) and no query socket or syslog shared with the real one. Runs as a child
/// in the foreground, stopped by its PID.
public final class PrivateNagios: @unchecked Sendable {
  public let directory: URL
  public var config: String { directory.path + "/nagios.cfg" }
  public var confD: String { directory.path + "/conf.d" }
  public var objectCache: String { directory.path + "/objects.cache" }
  public var statusFile: String { directory.path + "/status.dat" }
  public var commandFile: String { directory.path + "/rw/nagios.cmd" }
  public var lockFile: String { directory.path + "/nagios.pid" }
  public var logFile: String { directory.path + "/nagios.log" }

  /// `directory` must exist; it and everything below become the nagios user's.
  public init(directory: URL, stockConfig: String = "/etc/nagios4/nagios.cfg") throws {
    self.directory = directory
    for sub in ["conf.d", "rw", "spool", "archives"] {
      try FileManager.default.createDirectory(atPath: directory.path + "/" + sub, withIntermediateDirectories: true)
    }
    let replaced: [String: String] = [
      "cfg_dir=/etc/nagios4/conf.d": "cfg_dir=\(confD)",
      "log_file": logFile, "object_cache_file": objectCache, "precached_object_file": directory.path + "/objects.precache",
      "status_file": statusFile, "command_file": commandFile, "lock_file": lockFile,
      "temp_file": directory.path + "/nagios.tmp", "state_retention_file": directory.path + "/retention.dat",
      "check_result_path": directory.path + "/spool", "log_archive_path": directory.path + "/archives",
      "use_syslog": "0", "check_for_updates": "0", "status_update_interval": "1", "check_result_reaper_frequency": "1",
    ]
    var lines: [String] = []
    for line in try String(contentsOfFile: stockConfig, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
      let text = String(line)
      if let whole = replaced[text] {
        lines.append(whole)
      } else if let eq = text.firstIndex(of: "="), !text.hasPrefix("#"), let value = replaced[String(text[..<eq])] {
        lines.append(String(text[..<eq]) + "=" + value)
      } else {
        lines.append(text)
      }
    }
    lines.append("query_socket=\(directory.path)/nagios.qh")
    try lines.joined(separator: "\n").write(toFile: config, atomically: true, encoding: .utf8)
    _ = try runProgram("chown", ["-R", "nagios:nagios", directory.path])
    _ = try runProgram("chmod", ["-R", "u+rwX,go+rX", directory.path])
  }

  /// `nagios4 -d` (only a daemon writes the lock file the apply step reads the PID from); the
  /// parent is reaped by polling, as it leaves a daemon holding inherited descriptors.
  public func start() throws {
    try? FileManager.default.removeItem(atPath: objectCache)
    let parent = try Daemon("/usr/sbin/nagios4", ["-d", config])
    _ = parent.wait(seconds: 10)
    for _ in 0..<200 {
      if pid != nil, FileManager.default.fileExists(atPath: objectCache) { return }
      usleep(25_000)
    }
    throw TestFailure("nagios4 did not start: \((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "")")
  }

  public var pid: Int32? {
    guard let text = try? String(contentsOfFile: lockFile, encoding: .utf8),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, kill(pid, 0) == 0
    else { return nil }
    return pid
  }

  public func stop() {
    if let pid { stopProcess(pid) }
  }

  /// Host names and `host;service` pairs Nagios has loaded.
  public func loadedObjects() -> (hosts: Set<String>, services: Set<String>) {
    guard let text = try? String(contentsOfFile: objectCache, encoding: .utf8) else { return ([], []) }
    return Self.blocks(text, kind: "host", "service")
  }

  static func blocks(_ text: String, kind host: String, _ service: String) -> (hosts: Set<String>, services: Set<String>) {
    var hosts: Set<String> = [], services: Set<String> = []
    for block in text.components(separatedBy: "define ").dropFirst() {
      let body = block.components(separatedBy: "}").first ?? ""
      let fields = Self.fields(body)
      if body.hasPrefix(host + " {"), let name = fields["host_name"] { hosts.insert(name) }
      if body.hasPrefix(service + " {"), let name = fields["host_name"], let description = fields["service_description"] {
        services.insert(name + ";" + description)
      }
    }
    return (hosts, services)
  }

  static func fields(_ body: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in body.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == "\t" || $0 == " " || $0 == "=" })
      if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
    }
    return fields
  }

  deinit { stop() }
}



/// SIGTERM, then SIGKILL when the process has not gone within 5 s.
public func stopProcess(_ pid: Int32) {
  kill(pid, SIGTERM)
  for _ in 0..<200 {
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid || kill(pid, 0) != 0 { return }
    usleep(25_000)
  }
  kill(pid, SIGKILL)
  var status: Int32 = 0
  _ = waitpid(pid, &status, WNOHANG)
}

/// Waits until `condition` holds, up to `seconds`; returns whether it did.
public func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if condition() { return true }
    usleep(50_000)
  }
  return condition()
}
