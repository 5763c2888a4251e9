// Each certificate outcome of TLSVerdictTests for smtp, imap, pop3 and ldap with ssl on and
// with starttls on, against the real servers: exim4 (smtps; smtp with STARTTLS), dovecot
// (imaps, pop3s; imap and pop3 with STARTTLS) and slapd (ldaps; ldap with StartTLS).
// Every server is started once per certificate; all cases of that certificate then run
// against it.
import Foundation
import Testing

@Suite("TLS certificate verdicts (exim4, dovecot, slapd)")
struct ServerCertificateTests {
  /// The certificates of TLSVerdictTests.cases, in order.
  static let certificates: [String] = TLSVerdictTests.cases.reduce(into: []) { if !$0.contains($1.cert) { $0.append($1.cert) } }

  @Test func everyCertificateKindIsCovered() {
    #expect(Set(ServerCertificateTests.certificates)
            == ["valid", "expired", "notyet", "wrongname", "wildcard", "selfsigned", "soon",
                "chain-expired-intermediate", "chain-soon-intermediate"])
  }

  /// "exim4+dovecot" serves smtps, imaps and pop3s; "slapd" serves ldaps.
  @Test(arguments: certificates, ["exim4+dovecot", "slapd"])
  func verdicts(cert: String, servers: String) throws {
    let stop: () -> Void
    let targets: [(type: String, port: Int, tls: String)]
    if servers == "slapd" {
      let slapd = try LDAPServer(cert: cert)
      stop = slapd.stop
      targets = [("ldap", slapd.ldaps, "--ssl"), ("ldap", slapd.ldap, "--starttls")]
    } else {
      let mail = try MailServers(cert: cert)
      stop = mail.stop
      targets = [("smtp", mail.smtps, "--ssl"), ("imap", mail.imaps, "--ssl"), ("pop3", mail.pop3s, "--ssl"),
                 ("smtp", mail.smtp, "--starttls"), ("imap", mail.imap, "--starttls"), ("pop3", mail.pop3, "--starttls")]
    }
    defer { stop() }
    let cases = TLSVerdictTests.cases.filter { $0.cert == cert }
    #expect(!cases.isEmpty)
    for c in cases {
      for t in targets { try expectVerdict(c, type: t.type, port: t.port, tls: t.tls) }
    }
  }
}
