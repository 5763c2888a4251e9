/// Where the client reads and writes, below an optional root (`--root DIR`, or `DPKG_ROOT`
/// when dpkg runs it in a chroot-less root): tests and chroots never touch the real /etc or /var.
public struct ClientPaths: Sendable, Equatable {
  /// The root without a trailing slash; empty for `/`.
  public let root: String

  public init(root: String? = nil) {
    var root = root ?? ""
    while root.hasSuffix("/") { root.removeLast() }
    self.root = root
  }

  public func prefixed(_ absolute: String) -> String { root + absolute }

  public var fragmentDirectory: String { prefixed(Self.fragmentDirectory) }
  public var defaultsDirectory: String { prefixed("/usr/share/monitoring-info/defaults") }
  public var configuration: String { prefixed("/etc/auto-monitor/client.conf") }
  public var stateDirectory: String { prefixed("/var/lib/auto-monitor-client") }
  public var dpkgDirectory: String { prefixed("/var/lib/dpkg") }

  /// The fragments' directory as dpkg records it (conffile paths are never prefixed).
  public static let fragmentDirectory = "/etc/monitoring-info"
}
