// tcp: the host accepts a TCP connection on the port (and a TLS handshake with ssl).
enum TCPCheck {
  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      CheckResult(.ok, "\(spec.ssl ? "TLS " : "")connection to \(spec.address) port \(spec.port) accepted in "
        + Decimal.format(c.connectSeconds, digits: 3) + " s")
    }
  }
}
