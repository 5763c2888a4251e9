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
      let framing = try readHeaders(c.stream)
      // Read the body like a client would, bounded, without keeping it; its size goes to perfdata.
      let size: Int
      switch framing.body {
      case .chunked: size = try readChunked(c.stream)
      case let .length(length):
        size = try c.stream.skip(upTo: min(length, bodyLimit))
        if size < min(length, bodyLimit) {
          throw CheckFailure(.critical, "connection closed after \(size) of \(length) body bytes")
        }
      case .untilClose: size = try c.stream.skip(upTo: bodyLimit)
      }
      let location = framing.location
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

  static let maxHeaders = 100

  enum Body { case length(Int), chunked, untilClose }

  /// The header fields that matter here, from at most `maxHeaders` lines.
  static func readHeaders(_ stream: Stream) throws(CheckFailure) -> (body: Body, location: String?) {
    var contentLength: Int?
    var location: String?
    var chunked = false
    var count = 0
    while let header = try stream.readLine(), !header.isEmpty {
      count += 1
      if count > maxHeaders { throw CheckFailure(.critical, "more than \(maxHeaders) header lines in the HTTP reply") }
      guard let colon = header.firstIndex(of: ":") else { continue }
      let name = header[..<colon].lowercased()
      let value = header[header.index(after: colon)...].trimmingWhitespace
      switch name {
      case "content-length":
        guard let length = decimal(value), contentLength == nil || contentLength == length else {
          throw CheckFailure(.critical, "invalid Content-Length in the HTTP reply: '\(value.prefix(40))'")
        }
        contentLength = length
      case "location": location = value
      case "transfer-encoding":
        chunked = value.lowercased().split(separator: ",").last?.trimmingWhitespace == "chunked"
      default: break
      }
    }
    // RFC 9112 6.3: chunked wins over Content-Length.
    if chunked { return (.chunked, location) }
    if let contentLength { return (.length(contentLength), location) }
    return (.untilClose, location)
  }

  /// A length of at most 18 decimal digits (no sign): anything else is not a length.
  static func decimal(_ text: String) -> Int? {
    guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(text)
  }

  /// A chunked body up to its final chunk and trailers (RFC 9112 7.1); returns the payload
  /// size. Stops counting, and reading, at `bodyLimit`.
  static func readChunked(_ stream: Stream) throws(CheckFailure) -> Int {
    var size = 0
    while size < bodyLimit {
      let line = try stream.expectLine("the next HTTP chunk")
      let digits = line.prefix { $0 != ";" }.trimmingWhitespace
      guard !digits.isEmpty, digits.utf8.count <= 15, let length = Int(digits, radix: 16), length >= 0,
            digits.utf8.allSatisfy({ $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "+") }) else {
        throw CheckFailure(.critical, "invalid chunk size in the HTTP reply: '\(line.prefix(40))'")
      }
      if length == 0 {
        var trailers = 0
        while let trailer = try stream.readLine(), !trailer.isEmpty {
          trailers += 1
          if trailers > maxHeaders { throw CheckFailure(.critical, "more than \(maxHeaders) trailer lines in the HTTP reply") }
        }
        return size
      }
      let wanted = min(length, bodyLimit - size)
      let got = try stream.skip(upTo: wanted)
      size += got
      if got < wanted { throw CheckFailure(.critical, "connection closed in the middle of an HTTP chunk") }
      if wanted == length { _ = try stream.expectLine("the end of an HTTP chunk") }
    }
    return size
  }
}
