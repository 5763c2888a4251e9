#if canImport(Glibc)
import Glibc
#endif
import SystemLayer

/// What the dpkg trigger does: start the sync as a separate session and return at once, so
/// that the network never holds dpkg. The child's standard streams are /dev/null and it
/// inherits no other descriptor (apt's status pipe, dpkg's lock), so nobody waits for it.
public enum Detach {
  /// Closes every descriptor above stderr: the detached child's first act, as posix_spawn
  /// has no portable "close the rest" (apt's status pipe must not stay open in it).
  public static func closeInheritedDescriptors() {
    guard let directory = opendir("/proc/self/fd") else { return }
    var descriptors: [Int32] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
      if let fd = Int32(name), fd > 2 { descriptors.append(fd) }
    }
    let own = dirfd(directory)
    closedir(directory)
    for fd in descriptors where fd != own { close(fd) }
  }

  /// Starts `/proc/self/exe ARGUMENTS` detached (Subprocess.spawnDetached); false when it
  /// could not be started.
  public static func spawnSelf(_ arguments: [String]) -> Bool {
    var executable = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &executable, executable.count - 1)
    guard length > 0 else { return false }
    let path = String(decoding: executable.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Subprocess.spawnDetached(path, arguments)
  }
}
