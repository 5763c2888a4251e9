import Glibc
import SystemLayer

/// One apply at a time (the watcher and an administrator's `apply`).
public struct ApplyLock: ~Copyable {
  let fd: Int32
  public init(_ path: String) throws(ServerError) {
    fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ServerError("cannot open \(path): \(errnoText())") }
    while flock(fd, LOCK_EX) != 0 {
      if errno != EINTR { close(fd); throw ServerError("cannot lock \(path): \(errnoText())") }
    }
  }
  deinit { close(fd) }
}
