// Helpers for the integration tests: temp dirs, free ports, servers started and
// stopped by PID, and running the built plugin.
import Foundation
import TestKit
import Testing

enum Paths {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// The built plugin, next to the test bundle (or in the package's .build as a fallback);
  /// CHECK_MONITORING_INFO_UNDER_TEST names another build (to measure an older one).
  static let plugin: String = {
    if let other = ProcessInfo.processInfo.environment["CHECK_MONITORING_INFO_UNDER_TEST"] { return other }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("check_monitoring_info").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/check_monitoring_info").path
  }()

  static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
}

/// A fresh directory (TestKit's temporaryDirectory), removed when the process exits.
func makeTempDirectory(_ tag: String) throws -> String {
  let path = try temporaryDirectory("mi-plugin-\(tag)").path
  TempDirectories.shared.add(path)
  return path
}


/// A socket bound to a port the kernel chose on 127.0.0.1, and that port; the caller closes it.
func boundSocket(udp: Bool) -> (descriptor: Int32, port: Int) {
  let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  addr.sin_port = 0
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
  }
  _ = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
  }
  return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}


/// Starts a program with posix_spawn: stdout and stderr to a file, stdin from a file, an
/// empty signal mask and default dispositions (the test process blocks signals, and
/// Foundation's Process loses child exits when many are spawned at once).
func spawn(_ executable: String, _ arguments: [String], output: String, input: String = "/dev/null",
           environment: [String: String]? = nil) throws -> pid_t {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
  posix_spawn_file_actions_adddup2(&actions, 1, 2)
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t(), all = sigset_t()
  sigemptyset(&empty)
  sigfillset(&all)
  posix_spawnattr_setsigmask(&attributes, &empty)
  posix_spawnattr_setsigdefault(&attributes, &all)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
  posix_spawnattr_setpgroup(&attributes, 0)
  let argv = ([executable] + arguments).map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer { env.forEach { free($0) } }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
  guard rc == 0 else { throw TestFailure("cannot start \(executable): \(String(cString: strerror(rc)))") }
  return pid
}

/// Waits for a child and returns its exit status (128+N for a signal).
func waitFor(_ pid: pid_t) -> Int32 {
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  if status & 0x7f == 0 { return (status >> 8) & 0xff }
  return 128 + (status & 0x7f)
}

/// A server process started by a test, stopped by its PID (and its process group).
final class Server {
  let pid: pid_t
  let name: String
  let log: String
  private var stopped = false

  /// Starts `executable` and waits until `port` accepts connections (when given).
  init(_ name: String, _ executable: String, _ arguments: [String], port: Int?, host: String = "127.0.0.1",
       directory: String, environment: [String: String]? = nil, timeout: Double = 10) throws {
    self.name = name
    log = directory + "/\(name).out"
    pid = try spawn(executable, arguments, output: log, environment: environment)
    guard let port else { return }
    let end = Date().addingTimeInterval(timeout)
    while !isListening(port, host: host) {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid || Date() > end {
        stopped = waitpid(pid, &status, WNOHANG) != 0
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw TestFailure("\(name) did not start on port \(port): \(output)")
      }
      usleep(20_000)
    }
  }

  func stop() {
    guard !stopped else { return }
    stopped = true
    kill(-pid, SIGTERM)  // the whole process group: daemons' workers too
    kill(pid, SIGTERM)
    var status: Int32 = 0
    for _ in 0..<250 {  // 5 s, then SIGKILL
      if waitpid(pid, &status, WNOHANG) == pid { return }
      usleep(20_000)
    }
    kill(-pid, SIGKILL)
    kill(pid, SIGKILL)
    _ = waitFor(pid)
  }

  deinit { stop() }
}

/// A daemon that forks away from its starter: stopped through the PID it writes.
final class Daemon {
  let pidFile: String
  let name: String
  init(_ name: String, pidFile: String) { self.name = name; self.pidFile = pidFile }

  func stop() {
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
          let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
    kill(pid, SIGTERM)
    for _ in 0..<200 where kill(pid, 0) == 0 { usleep(20_000) }
  }
  deinit { stop() }
}

/// Runs a program to completion; returns (status, stdout+stderr). Output goes through a
/// file, not a pipe, so that no concurrently spawned server can hold the pipe open.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
         input: String? = nil) throws -> (status: Int32, output: String) {
  let dir = try makeTempDirectory("run")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let outPath = dir + "/out", inPath = dir + "/in"
  _ = FileManager.default.createFile(atPath: inPath, contents: (input ?? "").data(using: .utf8))
  let pid = try spawn(executable, arguments, output: outPath, input: inPath, environment: environment)
  let status = waitFor(pid)
  return (status, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
}

/// The plugin's verdict: exit status and its one line of output.
struct Verdict: CustomStringConvertible {
  var status: Int32
  var line: String
  var description: String { "[\(status)] \(line)" }
}

func plugin(_ arguments: [String], environment: [String: String] = [:]) throws -> Verdict {
  let r = try run(Paths.plugin, arguments, environment: environment)
  return Verdict(status: r.status, line: r.output.split(separator: "\n").first.map(String.init) ?? "")
}

/// The test CA and server certificates, made once per test run.
enum Certificates {
  static let directory: String = {
    let dir = try! makeTempDirectory("certs")
    let r = try! run("/bin/sh", [Paths.fixtures.appendingPathComponent("make-certs.sh").path, dir])
    precondition(r.status == 0, "make-certs.sh failed: \(r.output)")
    return dir
  }()
  static var ca: String { directory + "/ca.pem" }
  static func cert(_ name: String) -> String { directory + "/\(name).pem" }
  static func key(_ name: String) -> String { directory + "/\(name).key" }
}

/// `openssl s_server -www` with one of the test certificates.
func tlsServer(_ cert: String, directory: String) throws -> (Server, Int) {
  let port = allocatePort()
  let chain = Certificates.directory + "/\(cert).chain.pem"
  let intermediates = FileManager.default.fileExists(atPath: chain) ? ["-cert_chain", chain] : []
  let server = try Server("s_server-\(cert)", "/usr/bin/openssl",
    ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", Certificates.cert(cert), "-key", Certificates.key(cert),
     "-www", "-quiet", "-naccept", "1000"] + intermediates, port: port, directory: directory)
  return (server, port)
}
