import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program (ssh, ssh-keygen, avahi-browse) without Foundation: standard input from
/// memory, both outputs captured, and a deadline after which the whole process group is killed.
public struct ChildProcess: Sendable {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var timedOut: Bool
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// The most kept of each output stream; the rest is read and dropped.
  static let outputLimit = 4 << 20

  /// `program` is looked up on PATH unless it contains a slash. Throws when it cannot start.
  public static func run(
    _ program: String, _ arguments: [String], input: [UInt8] = [], timeout: Double
  ) throws(ClientError) -> Result {
    var inPipe: [Int32] = [-1, -1]
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    guard makePipe(&inPipe), makePipe(&outPipe), makePipe(&errPipe) else {
      for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
      throw .transport("pipe: \(StateStore.errorText())")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Its own process group, so a timeout kills ssh and anything it started.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    Detach.resetSignals(&attributes)
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
    guard spawned == 0 else { throw .transport("cannot run \(program): \(String(cString: strerror(spawned)))") }
    // The input is written as the child reads it, interleaved with reading its output, so
    // neither side can block the other whatever the sizes.
    _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
    var written = 0
    if input.isEmpty {
      close(inPipe[1])
      inputOpen = false
    }

    var result = Result(status: -1, stdout: [], stderr: [], timedOut: false)
    let deadline = Clock.monotonic() + timeout
    var readers: [(fd: Int32, isOut: Bool)] = [(outPipe[0], true), (errPipe[0], false)]
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !readers.isEmpty || inputOpen {
      let remaining = deadline - Clock.monotonic()
      if remaining <= 0 {
        result.timedOut = true
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        break
      }
      var fds = readers.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
      if inputOpen { fds.append(pollfd(fd: inPipe[1], events: Int16(POLLOUT), revents: 0)) }
      let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000 + 1, 60_000)))
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
    if !result.timedOut, Clock.monotonic() > deadline { result.timedOut = true }
    // WIFEXITED / WEXITSTATUS are macros Swift does not import.
    result.status = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return result
  }
}

/// A pipe whose ends are not inherited by other children (pipe2 is not imported into Swift).
private func makePipe(_ ends: inout [Int32]) -> Bool {
  guard pipe(&ends) == 0 else { return false }
  for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
  return true
}

/// Time without Foundation.
public enum Clock {
  public static func monotonic() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  public static func now() -> Int { Int(time(nil)) }

  /// `2026-11-29T03:04:05Z`.
  public static func iso8601(_ seconds: Int) -> String {
    var value = time_t(seconds)
    var parts = tm()
    gmtime_r(&value, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }
}
