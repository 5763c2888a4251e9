import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Ports for private test servers that are never handed out twice: not within one test run
/// (a counter only moves forward) and not to two test runs at once (each port is held with a
/// `flock` on a file in the temporary directory until the process exits). Ports come from
/// 20000-32767, below Linux's ephemeral range (32768-60999), so the kernel never gives one to
/// an outgoing connection, and each is checked free for TCP and UDP on 127.0.0.1 first.
public final class PortAllocator: @unchecked Sendable {
  public static let shared = PortAllocator()

  static let range = 20000..<32768
  private let lock = NSLock()
  private var next: Int
  private var held: [Int32] = []
  private let lockDirectory: String

  init() {
    lockDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("monitoring-info-test-ports").path
    try? FileManager.default.createDirectory(atPath: lockDirectory, withIntermediateDirectories: true)
    // Start where a concurrent run is unlikely to be; the locks settle any overlap.
    next = Self.range.lowerBound + Int(getpid()) % Self.range.count
  }

  /// A port no other allocation of any test run holds, free on 127.0.0.1 right now.
  public func allocate() -> Int {
    lock.lock()
    defer { lock.unlock() }
    for _ in 0..<Self.range.count {
      let port = next
      next = next + 1 == Self.range.upperBound ? Self.range.lowerBound : next + 1
      let fd = open("\(lockDirectory)/\(port)", O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
      if fd < 0 { continue }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        close(fd)
        continue
      }
      if Self.isFree(port, type: SOCK_STREAM) && Self.isFree(port, type: SOCK_DGRAM) {
        held.append(fd)
        return port
      }
      close(fd)
    }
    fatalError("PortAllocator: no free port left in \(Self.range)")
  }

  static func isFree(_ port: Int, type: __socket_type) -> Bool {
    let fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
  }
}

/// A port for a private test server: see `PortAllocator`.
public func allocatePort() -> Int { PortAllocator.shared.allocate() }
