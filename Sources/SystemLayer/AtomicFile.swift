#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that a crash cannot tear: a hidden temporary file in the same directory,
/// written, fsynced, renamed over the target, then the directory fsynced. Readers see the old
/// file or the new one, never a mix. The one implementation for every program of the project.
public enum AtomicFile {
  public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o640) throws(SystemError) {
    let (directory, name) = split(path)
    let temporary = directory + "/." + name + "." + String(getpid()) + ".tmp"
    let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, mode)
    if fd < 0 && errno == EEXIST {
      unlink(temporary)  // left by a killed process with our pid
      return try write(bytes, to: path, mode: mode)
    }
    guard fd >= 0 else { throw SystemError("create", temporary) }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    adoptDirectoryOwner(fd, directory: directory)
    fchmod(fd, mode)
    if let error = FileWriter.writeAll(bytes, to: fd) {
      close(fd)
      throw SystemError("write", temporary, code: error)
    }
    guard fsync(fd) == 0 else {
      let error = errno
      close(fd)
      throw SystemError("sync", temporary, code: error)
    }
    close(fd)
    guard rename(temporary, path) == 0 else { throw SystemError("rename", "\(temporary) to \(path)") }
    ok = true
    syncDirectory(directory)
  }

  /// Removes a file and makes the removal durable; a missing file is not an error.
  public static func remove(_ path: String) throws(SystemError) {
    if unlink(path) != 0 && errno != ENOENT { throw SystemError("remove", path) }
    syncDirectory(split(path).directory)
  }

  public static func syncFile(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  public static func syncDirectory(_ directory: String) {
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  /// Root writing into an unprivileged user's directory (the administrator's command, the
  /// plugin run by hand): each file gets the directory's owner, so that user can still use it.
  static func adoptDirectoryOwner(_ fd: Int32, directory: String) {
    guard geteuid() == 0 else { return }
    var status = stat()
    if stat(directory, &status) == 0 { fchown(fd, status.st_uid, status.st_gid) }
  }

  static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    return (slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...]))
  }
}
