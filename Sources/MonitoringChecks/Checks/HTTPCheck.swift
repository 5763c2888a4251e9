// http: GET uri with a Host header; 2xx is OK, 3xx too unless accept_redirection is false.
enum HTTPCheck {
  static let bodyLimit = 1 << 20

  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let uri = spec.string("uri") ?? "/"
    guard uri.hasPrefix("/"), !uri.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
      throw CheckFailure(.unknown, "invalid value '\(uri)' for 'uri' (expected a path starting with /)")
    }
    let hostHeader = spec.string("hostname") ?? spec.host
    let acceptRedirection = try spec.boolean("accept_redirection") ?? true
    return try Checker.withConnection(spec, context) { c throws(CheckFailure) in
      let defaultPort = spec.ssl ? 443 : 80
      let authority = spec.port == defaultPort ? bracketed(hostHeader) : "\(bracketed(hostHeader)):\(spec.port)"
      try c.stream.write("GET \(uri) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: check_monitoring_info\r\n"
        + "Accept: */*\r\nConnection: close\r\n\r\n")
      let statusLine = try c.stream.expectLine("the HTTP status line")
      let parts = statusLine.split(separator: " ", maxSplits: 2)
      guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
        return CheckResult(.critical, "invalid HTTP response: \(statusLine.prefix(80))")
      }
      var contentLength: Int?
      var location: String?
      var chunked = false
      while let header = try c.stream.readLine(), !header.isEmpty {
        guard let colon = header.firstIndex(of: ":") else { continue }
        let name = header[..<colon].lowercased()
        let value = header[header.index(after: colon)...].trimmingSpaces()
        if name == "content-length" { contentLength = Int(value) }
        if name == "location" { location = value }
        if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
      }
      // Read the body like a client would (bounded); its size goes to perfdata.
      let size: Int
      if let contentLength, !chunked {
        size = try c.stream.read(count: min(contentLength, bodyLimit)).count
      } else {
        size = try c.stream.readToEnd(limit: bodyLimit).count
      }
      let summary = "\(statusLine.prefix(80))"
      let sizePerf = Perfdata("size", String(size), unit: "B", minimum: "0")
      switch code {
      case 200..<300:
        return CheckResult(.ok, summary, perfdata: [sizePerf])
      case 300..<400:
        let target = location.map { " (Location: \($0.prefix(120)))" } ?? ""
        return acceptRedirection
          ? CheckResult(.ok, summary + target, perfdata: [sizePerf])
          : CheckResult(.critical, summary + target + ", redirection not accepted", perfdata: [sizePerf])
      default:
        return CheckResult(.critical, summary, perfdata: [sizePerf])
      }
    }
  }

  static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}
