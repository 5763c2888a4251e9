// ldap against a private slapd: anonymous exchange, good and bad simple bind, ldaps.
import Foundation
import TestKit
import Testing

/// A private slapd on 127.0.0.1: ldap (with StartTLS) and ldaps, with the certificate `cert` of
/// make-certs.sh; without a certificate, ldap alone, and StartTLS is refused.
final class LDAPServer {
  static let password = "ldap pw;#1"
  let dir: String
  let ldap = allocatePort(), ldaps = allocatePort()
  let server: Server
  let passwordFile: String

  init(cert: String? = "valid") throws {
    dir = try makeTempDirectory("ldap")
    try FileManager.default.createDirectory(atPath: dir + "/db", withIntermediateDirectories: true)
    var text = try String(contentsOf: Paths.fixtures.appendingPathComponent("slapd.conf"), encoding: .utf8)
    if cert == nil { text = text.split(separator: "\n").filter { !$0.hasPrefix("TLS") }.joined(separator: "\n") + "\n" }
    for (k, v) in ["@DIR@": dir, "@CERTS@": Certificates.directory, "@CERT@": cert ?? "",
                   "@PASSWORD@": "\"\(LDAPServer.password)\""] {
      text = text.replacingOccurrences(of: k, with: v)
    }
    try text.write(toFile: dir + "/slapd.conf", atomically: true, encoding: .utf8)
    passwordFile = dir + "/password"
    try LDAPServer.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
    server = try Server("slapd", "/usr/sbin/slapd", ["-d", "0", "-f", dir + "/slapd.conf",
      "-h", "ldap://127.0.0.1:\(ldap)/" + (cert == nil ? "" : " ldaps://127.0.0.1:\(ldaps)/")], port: ldap, directory: dir)
  }
  func stop() { server.stop() }
  deinit { stop() }
}

@Suite("ldap (slapd)")
final class LDAPCheckTests {
  let slapd: LDAPServer
  var ldap: Int { slapd.ldap }
  var ldaps: Int { slapd.ldaps }
  var passwordFile: String { slapd.passwordFile }

  init() throws { slapd = try LDAPServer() }
  deinit { slapd.stop() }

  func check(_ port: Int, _ extra: [String]) throws -> Verdict {
    let v = try plugin(["ldap", "-H", "localhost", "--port", "\(port)", "--ca-file", Certificates.ca] + extra)
    #expect(!v.line.contains("ldap pw"), "secret in output: \(v)")
    return v
  }

  @Test func anonymous() throws {
    let v = try check(ldap, [])
    #expect(v.status == 0 && v.line == "LDAP OK - anonymous bind and search of the root DSE succeeded | time=" + v.line.split(separator: "=")[1], "\(v)")
  }

  @Test func simpleBind() throws {
    let good = try check(ldap, ["--username", "cn=admin,dc=test", "--password-file", passwordFile])
    #expect(good.status == 0 && good.line.contains("bind as 'cn=admin,dc=test' and search of the root DSE succeeded"), "\(good)")
    let bad = try plugin(["ldap", "-H", "127.0.0.1", "--port", "\(ldap)", "--username", "cn=admin,dc=test"],
                         environment: ["CHECK_MONITORING_INFO_PASSWORD": "wrong"])
    #expect(bad.status == 2 && bad.line.contains("failed: invalid credentials"), "\(bad)")
  }

  @Test func overTLS() throws {
    let ok = try check(ldaps, ["--ssl", "--username", "cn=admin,dc=test", "--password-file", passwordFile])
    #expect(ok.status == 0 && ok.line.contains("succeeded, certificate valid for"), "\(ok)")
    let name = try check(ldaps, ["--ssl", "--ssl-hostname", "ldap.example"])
    #expect(name.status == 2 && name.line.contains("does not match name 'ldap.example'")
            && name.line.contains("anonymous bind and search of the root DSE succeeded"), "\(name)")
    let untrusted = try plugin(["ldap", "-H", "localhost", "--port", "\(ldaps)", "--ssl"])
    #expect(untrusted.status == 2 && untrusted.line.contains("not trusted"), "\(untrusted)")
    // Not LDAP at all on the other end.
    let plainOnTLS = try plugin(["ldap", "-H", "localhost", "--port", "\(ldaps)", "-t", "3"])
    #expect(plainOnTLS.status != 0, "\(plainOnTLS)")
  }
}
