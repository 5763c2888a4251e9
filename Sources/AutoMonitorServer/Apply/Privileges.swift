import Glibc
import SystemLayer

/// The apply step runs as the user Nagios runs as, never as root: root drops to it first.
public enum Privileges {
  public static func become(_ user: String) throws(ServerError) {
    guard geteuid() == 0 else { return }
    guard let entry = getpwnam(user) else { throw ServerError("no user '\(user)' (nagios_user in the settings)") }
    let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
    guard uid != 0 else { throw ServerError("refusing to apply as root ('\(user)' has uid 0)") }
    guard initgroups(user, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
      throw ServerError("cannot become user \(user): \(errnoText())")
    }
    if let home = entry.pointee.pw_dir { setenv("HOME", home, 1) }
  }

  public static func userExists(_ user: String) -> Bool { getpwnam(user) != nil }
}
