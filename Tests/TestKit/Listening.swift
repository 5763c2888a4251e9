import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// True once something accepts TCP connections on host:port.
public func isListening(_ port: Int, host: String = "127.0.0.1") -> Bool {
  let v6 = host.contains(":")
  let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  if v6 {
    var a = sockaddr_in6()
    a.sin6_family = sa_family_t(AF_INET6)
    a.sin6_port = UInt16(port).bigEndian
    inet_pton(AF_INET6, host, &a.sin6_addr)
    return withUnsafePointer(to: &a) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
    } == 0
  }
  var a = sockaddr_in()
  a.sin_family = sa_family_t(AF_INET)
  a.sin_port = UInt16(port).bigEndian
  a.sin_addr.s_addr = inet_addr(host)
  return withUnsafePointer(to: &a) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
  } == 0
}
