#if canImport(Glibc)
import Glibc
#endif

/// Spawning programs without Foundation and without a shell: the one implementation for every
/// program of the project (the client's ssh, the server's `nagios4 -v`, the dh tool's helpers).
public enum Subprocess {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var timedOut: Bool
    public var succeeded: Bool { status == 0 && !timedOut }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  /// The most kept of each output stream; the rest is read and dropped.
  public static let outputLimit = 4 << 20

  /// Runs `program` (looked up on PATH unless it contains a slash) with standard input from
  /// memory and both outputs captured (`mergeOutput`: standard error into standard output, as
  /// a terminal would show them). With a `timeout` (seconds) the child's whole process group
  /// is killed once it passes. Throws only when the program cannot start.
  public static func run(
    _ program: String, _ arguments: [String], input: [UInt8] = [], timeout: Double? = nil, mergeOutput: Bool = false
  ) throws(SystemError) -> Result {
    var inPipe: [Int32] = [-1, -1]
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    guard makePipe(&inPipe), makePipe(&outPipe), makePipe(&errPipe) else {
      let error = errno
      for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
      throw SystemError("make a pipe for", program, code: error)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, mergeOutput ? outPipe[1] : errPipe[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Its own process group, so a timeout kills the program and anything it started.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    resetSignals(&attributes)
    posix_spawnattr_setpgroup(&attributes, 0)
    var pid: pid_t = 0
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    var inputOpen = true
    defer {
      if inputOpen { close(inPipe[1]) }
      close(outPipe[0])
      close(errPipe[0])
    }
    guard spawned == 0 else { throw SystemError("run", program, code: spawned) }
    // The input is written as the child reads it, interleaved with reading its output, so
    // neither side can block the other whatever the sizes.
    _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
    var written = 0
    if input.isEmpty {
      close(inPipe[1])
      inputOpen = false
    }

    var result = Result(status: -1, stdout: [], stderr: [], timedOut: false)
    let deadline = timeout.map { SystemClock.monotonic() + $0 }
    var readers: [(fd: Int32, isOut: Bool)] = [(outPipe[0], true), (errPipe[0], false)]
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !readers.isEmpty || inputOpen {
      var wait: Int32 = 60_000
      if let deadline {
        let remaining = deadline - SystemClock.monotonic()
        if remaining <= 0 {
          result.timedOut = true
          kill(-pid, SIGKILL)
          kill(pid, SIGKILL)
          break
        }
        wait = Int32(min(remaining * 1000 + 1, 60_000))
      }
      var fds = readers.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
      if inputOpen { fds.append(pollfd(fd: inPipe[1], events: Int16(POLLOUT), revents: 0)) }
      let ready = poll(&fds, nfds_t(fds.count), wait)
      if ready < 0 && errno != EINTR { break }
      if ready <= 0 { continue }
      if inputOpen, let last = fds.last, last.revents != 0 {
        let count = input.withUnsafeBytes { write(inPipe[1], $0.baseAddress! + written, $0.count - written) }
        if count > 0 { written += count }
        // EPIPE (the child stopped reading) or all written: either way, no more input.
        if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) || (last.revents & Int16(POLLERR | POLLHUP)) != 0 {
          close(inPipe[1])
          inputOpen = false
        }
      }
      var stillOpen: [(fd: Int32, isOut: Bool)] = []
      for (index, entry) in readers.enumerated() {
        guard fds[index].revents != 0 else {
          stillOpen.append(entry)
          continue
        }
        let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
        if count > 0 {
          if entry.isOut {
            if result.stdout.count < outputLimit { result.stdout += buffer[0..<count] }
          } else if result.stderr.count < outputLimit {
            result.stderr += buffer[0..<count]
          }
          stillOpen.append(entry)
        } else if count < 0 && errno == EINTR {
          stillOpen.append(entry)
        }
      }
      readers = stillOpen
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if !result.timedOut, let deadline, SystemClock.monotonic() > deadline { result.timedOut = true }
    result.status = exitStatus(status)
    return result
  }

  /// Starts `path ARGUMENTS` as a session of its own with /dev/null for its standard streams,
  /// and does not wait for it (the client's sync, detached from dpkg). False when it could not
  /// start.
  public static func spawnDetached(_ path: String, _ arguments: [String]) -> Bool {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in 0...2 {
      posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, spawnSetSID | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    resetSignals(&attributes)
    var pid: pid_t = 0
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    return posix_spawn(&pid, path, &actions, &attributes, argv, environ) == 0
  }

  /// glibc's POSIX_SPAWN_SETSID (a GNU extension Swift does not import): the child leaves the
  /// parent's session, so no terminal hang-up reaches it.
  static let spawnSetSID: Int16 = 0x80

  /// A child starts with no blocked signal and default handlers, whatever its parent (dpkg
  /// may run maintainer scripts with signals ignored) had.
  public static func resetSignals(_ attributes: inout posix_spawnattr_t) {
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
  }

  /// The exit status, or 128 + the signal that ended the child (WIFEXITED and WEXITSTATUS
  /// are macros Swift does not import).
  static func exitStatus(_ status: Int32) -> Int32 { (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }

  /// A pipe whose ends are not inherited by other children (pipe2 is not imported into Swift).
  static func makePipe(_ ends: inout [Int32]) -> Bool {
    guard pipe(&ends) == 0 else { return false }
    for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
  }
}
