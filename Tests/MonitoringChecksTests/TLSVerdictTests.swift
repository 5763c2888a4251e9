// Each certificate outcome against `openssl s_server`, for http and tcp with ssl on.
import Foundation
import TestKit
import Testing

struct CertificateCase: Sendable, CustomTestStringConvertible {
  var cert: String
  var extra: [String]
  var status: Int32
  var expected: [String]
  var unexpected: [String] = []
  var testDescription: String { "\(cert) \(extra.joined(separator: " "))" }
}

/// Runs the plugin for `type` with ssl (or starttls) on against 127.0.0.1:`port` (named localhost) and checks
/// its exit status, status word and the texts of `c`.
/// `tls` is "--ssl" or "--starttls".
func expectVerdict(_ c: CertificateCase, type: String, port: Int, tls: String = "--ssl",
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
  let v = try plugin([type, "-H", "localhost", "--port", "\(port)", tls, "--ca-file", Certificates.ca] + c.extra)
  let what = "\(type) \(tls) \(c.testDescription): \(v)"
  #expect(v.status == c.status, "\(what)", sourceLocation: sourceLocation)
  let word = v.status >= 0 && v.status <= 3 ? ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(v.status)] : "?"
  #expect(v.line.hasPrefix("\(type.uppercased()) \(word) - "), "\(what)", sourceLocation: sourceLocation)
  for e in c.expected { #expect(v.line.contains(e), "expected '\(e)' in \(what)", sourceLocation: sourceLocation) }
  if c.cert == "soon" {
    #expect(v.line.contains("cert_days_left=4") || v.line.contains("cert_days_left=5"), "\(what)",
            sourceLocation: sourceLocation)
  }
  for u in c.unexpected { #expect(!v.line.contains(u), "unexpected '\(u)' in \(what)", sourceLocation: sourceLocation) }
}

@Suite("TLS certificate verdicts (openssl s_server)")
struct TLSVerdictTests {
  static let cases: [CertificateCase] = [
    .init(cert: "valid", extra: [], status: 0, expected: ["certificate valid for 36", "cert_days_left=36"],
          unexpected: ["not trusted", "does not match", "expired"]),
    .init(cert: "expired", extra: [], status: 2, expected: ["certificate expired"],
          unexpected: ["not trusted", "does not match"]),
    .init(cert: "notyet", extra: [], status: 2, expected: ["certificate is not yet valid"],
          unexpected: ["not trusted", "does not match"]),
    .init(cert: "wrongname", extra: [], status: 2, expected: ["certificate does not match name 'localhost'"],
          unexpected: ["not trusted", "expired"]),
    .init(cert: "wildcard", extra: ["--ssl-hostname", "www.test.example"], status: 0, expected: ["certificate valid"]),
    .init(cert: "wildcard", extra: ["--ssl-hostname", "a.b.test.example"], status: 2,
          expected: ["does not match name 'a.b.test.example'"]),
    .init(cert: "wildcard", extra: ["--ssl-hostname", "test.example"], status: 2,
          expected: ["does not match name 'test.example'"]),
    .init(cert: "selfsigned", extra: [], status: 2, expected: ["certificate not trusted (self-signed certificate)"],
          unexpected: ["does not match", "expired"]),
    // "soon" ends 5 days after it was made: 4 or 5 whole days left, depending on the second.
    .init(cert: "soon", extra: [], status: 0, expected: ["cert_days_left="], unexpected: ["expires in"]),
    .init(cert: "soon", extra: ["--expire-before-days", "10"], status: 2,
          expected: ["days (expire_before_days 10)", ";;10:"]),
    .init(cert: "valid", extra: ["--expire-before-days", "30"], status: 0, expected: ["certificate valid"]),
    .init(cert: "expired", extra: ["--ignore-invalid-ssl"], status: 0, expected: ["OK"],
          unexpected: ["cert_days_left", "expired"]),
    .init(cert: "selfsigned", extra: ["--ignore-invalid-ssl"], status: 0, expected: ["OK"]),
    // Every certificate of the verified chain is dated, and expire_before_days counts the earliest.
    .init(cert: "chain-expired-intermediate", extra: [], status: 2,
          expected: ["certificate '/CN=test expired-intermediate' in the chain expired"],
          unexpected: ["not trusted", "does not match"]),
    .init(cert: "chain-soon-intermediate", extra: [], status: 0, expected: ["cert_days_left="], unexpected: ["expire"]),
    .init(cert: "chain-soon-intermediate", extra: ["--expire-before-days", "30"], status: 2,
          expected: ["certificate '/CN=test soon-intermediate' in the chain expires in", "(expire_before_days 30)"]),
    // Two problems at once are both reported.
    .init(cert: "expired", extra: ["--ssl-hostname", "other.example"], status: 2,
          expected: ["certificate expired", "does not match name 'other.example'"]),
  ]

  @Test(arguments: cases, ["http", "tcp"])
  func verdict(_ c: CertificateCase, type: String) throws {
    let dir = try makeTempDirectory("tls")
    let (server, port) = try tlsServer(c.cert, directory: dir)
    defer { server.stop() }
    try expectVerdict(c, type: type, port: port)
  }

  @Test func untrustedWithoutTheTestCA() throws {
    let dir = try makeTempDirectory("tls")
    let (server, port) = try tlsServer("valid", directory: dir)
    defer { server.stop() }
    // The system store does not know the test CA.
    let v = try plugin(["tcp", "-H", "localhost", "--port", "\(port)", "--ssl"])
    #expect(v.status == 2, "\(v)")
    #expect(v.line.contains("certificate not trusted (unable to get local issuer certificate)"), "\(v)")
    #expect(!v.line.contains("does not match"), "\(v)")
  }

  @Test func ipAddressAsName() throws {
    let dir = try makeTempDirectory("tls")
    let (server, port) = try tlsServer("valid", directory: dir)
    defer { server.stop() }
    let ok = try plugin(["tcp", "-H", "127.0.0.1", "--port", "\(port)", "--ssl", "--ca-file", Certificates.ca])
    #expect(ok.status == 0, "\(ok)")
    let (other, port2) = try tlsServer("wrongname", directory: dir)
    defer { other.stop() }
    let bad = try plugin(["tcp", "-H", "127.0.0.1", "--port", "\(port2)", "--ssl", "--ca-file", Certificates.ca])
    #expect(bad.status == 2 && bad.line.contains("does not match name '127.0.0.1'"), "\(bad)")
  }

  @Test func plainServerWithSSLFails() throws {
    let dir = try makeTempDirectory("tls")
    let port = allocatePort()
    let http = try Server("http", Paths.python, [Paths.fixtures.appendingPathComponent("http-server.py").path,
      "127.0.0.1", "\(port)", "x"], port: port, directory: dir)
    defer { http.stop() }
    let v = try plugin(["http", "-H", "127.0.0.1", "--port", "\(port)", "--ssl", "-t", "3"])
    #expect(v.status == 2, "\(v)")
    #expect(v.line.contains("TLS handshake"), "\(v)")
  }
}
