#if canImport(Glibc)
import Glibc
#endif

/// What the dpkg trigger does: start the sync as a separate session and return at once, so
/// that the network never holds dpkg. The child's standard streams are /dev/null and it
/// inherits no other descriptor (apt's status pipe, dpkg's lock), so nobody waits for it.
public enum Detach {
  /// glibc's POSIX_SPAWN_SETSID (a GNU extension Swift does not import): the child leaves
  /// dpkg's session, so no terminal hang-up reaches it.
  static let spawnSetSID: Int16 = 0x80

  /// A child starts with no blocked signal and default handlers, whatever its parent (dpkg
  /// may run maintainer scripts with signals ignored) had.
  static func resetSignals(_ attributes: inout posix_spawnattr_t) {
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
  }

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

  /// Starts `/proc/self/exe ARGUMENTS`; false when it could not be started.
  public static func spawnSelf(_ arguments: [String]) -> Bool {
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
    var executable = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &executable, executable.count - 1)
    guard length > 0 else { return false }
    let path = String(decoding: executable.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var pid: pid_t = 0
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    return posix_spawn(&pid, path, &actions, &attributes, argv, environ) == 0
  }
}
