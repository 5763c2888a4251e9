import Foundation
import SystemLayer

#if canImport(Glibc)
  import Glibc
#endif

/// A long-running test server started with posix_spawn and stopped by its PID. Not Foundation's
/// `Process`: with one of those still running, a later `Process` (runProgram) was seen never to
/// notice its child's exit, hanging the test run.
public final class Daemon: @unchecked Sendable {
  public let pid: pid_t

  /// `log` receives stdout and stderr; stdin is /dev/null.
  public init(_ path: String, _ arguments: [String], log: String = "/dev/null") throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // The test runner's threads block signals; a daemon inheriting that mask ignores SIGHUP.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    Subprocess.resetSignals(&attributes)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    guard status == 0 else { throw TestFailure("cannot start \(path): \(String(cString: strerror(status)))") }
    self.pid = pid
  }

  public var isRunning: Bool {
    var status: Int32 = 0
    return waitpid(pid, &status, WNOHANG) == 0
  }

  /// Waits for the process to end (for programs that daemonize: the parent exits at once).
  public func wait(seconds: Double) -> Bool { waitUntil(seconds: seconds) { !self.isRunning } }

  public func stop() { stopProcess(pid) }
}
