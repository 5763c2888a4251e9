import Glibc
import SystemLayer

/// dpkg runs the client's trigger while it holds its database lock, and it may still write the
/// package states the sync must read (a removal's `config-files`, the states of packages
/// configured after the trigger). The detached sync therefore waits until dpkg's lock is free
/// before it reads anything. It only asks (F_GETLK) and never takes the lock, so no dpkg or
/// apt run can ever find it held by us.
enum DpkgLock {
  /// Waits until no process holds `DIR/lock` of the dpkg database, at most `seconds`; returns
  /// whether it was released (false after the limit: the sync goes ahead anyway).
  @discardableResult
  static func waitUntilReleased(_ paths: ClientPaths, seconds: Double = 600) -> Bool {
    let descriptor = open(paths.dpkgDirectory + "/lock", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return true }  // no database lock file: nobody holds it
    defer { close(descriptor) }
    let deadline = SystemClock.monotonic() + seconds
    while true {
      var query = flock()
      query.l_type = Int16(F_WRLCK)
      query.l_whence = Int16(SEEK_SET)
      guard fcntl(descriptor, F_GETLK, &query) == 0 else { return true }
      if query.l_type == Int16(F_UNLCK) { return true }
      if SystemClock.monotonic() > deadline { return false }
      usleep(50_000)
    }
  }
}
