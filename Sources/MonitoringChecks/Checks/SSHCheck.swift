// ssh: the server sends an SSH protocol banner ("SSH-2.0-..."; lines before it are allowed by RFC 4253).
enum SSHCheck {
  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      c.stream.maxLine = 255
      for _ in 0..<20 {
        let line = try c.stream.expectLine("the SSH banner")
        if line.hasPrefix("SSH-") {
          try? c.stream.write("SSH-2.0-check_monitoring_info\r\n")
          guard line.hasPrefix("SSH-2.0-") || line.hasPrefix("SSH-1.99-") else {
            return CheckResult(.critical, "unsupported SSH protocol: \(line)")
          }
          return CheckResult(.ok, line)
        }
      }
      return CheckResult(.critical, "no SSH banner from \(spec.address) port \(spec.port)")
    }
  }
}
