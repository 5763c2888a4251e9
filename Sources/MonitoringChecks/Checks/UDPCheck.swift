// udp: a probe datagram on a connected socket.
//
// OK means: no ICMP port unreachable came back within the listening window
// (min(2 s, the time left)), or the service answered. A UDP service that
// ignores the probe and a firewall that drops it silently look the same, so
// OK is "not refused", not "a service answered"; the message says which.
// ICMP port unreachable (ECONNREFUSED on the connected socket) is CRITICAL.
import Glibc
import SystemLayer

enum UDPCheck {
  static let window = 2.0

  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let started = Deadline.now()
    let socket = try Socket.connect(host: spec.address, port: spec.port, datagram: true, deadline: context.deadline)
    let probe: [UInt8] = [0x0d, 0x0a]
    let sent = probe.withUnsafeBytes { send(socket.fd, $0.baseAddress, probe.count, Int32(MSG_NOSIGNAL)) }
    if sent < 0 {
      if errno == ECONNREFUSED { return refused(spec) }
      throw CheckFailure(.critical, "cannot send to \(socket.peer) port \(spec.port): \(errnoText())")
    }
    let listen = Deadline(seconds: min(window, max(0, context.deadline.remaining - 0.2)))
    var buffer = [UInt8](repeating: 0, count: 2048)
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
      let perf = [Perfdata.seconds("time", Deadline.now() - started)]
      if n >= 0 {
        return CheckResult(.ok, "\(socket.peer) port \(spec.port)/udp answered with \(n) bytes", perfdata: perf)
      }
      if errno == ECONNREFUSED { return refused(spec) }
      guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
        throw CheckFailure(.critical, "UDP probe to \(socket.peer) port \(spec.port) failed: \(errnoText())")
      }
      if listen.remaining <= 0 {
        return CheckResult(.ok, "\(socket.peer) port \(spec.port)/udp: no ICMP port unreachable within "
          + Decimal.format(window, digits: 1) + " s (no answer to the probe either)", perfdata: perf)
      }
      var p = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
      _ = poll(&p, 1, Int32(listen.remaining * 1000) + 1)
    }
  }

  static func refused(_ spec: ServiceSpec) -> CheckResult {
    CheckResult(.critical, "\(spec.address) port \(spec.port)/udp: ICMP port unreachable (connection refused)")
  }
}
