// starttls against the real daemons: exim4 (smtp), dovecot (imap, pop3) and slapd (ldap) on
// their plain ports, with a certificate from the test CA. The certificate verdicts (expired,
// wrong name, untrusted, ...) of every kind run in ServerCertificateTests; here: the dialog
// inside TLS (login, bind, the mail flow), servers that do not offer STARTTLS, and the
// fragment of the issue compared with check_smtp -S -D.
import Foundation
import TestKit
import Testing

@Suite("STARTTLS: exim4, dovecot and slapd", .serialized)
final class STARTTLSTests {
  let mail: MailServers
  let store: String
  let passwordFile: String

  init() throws {
    mail = try MailServers()
    store = try makeTempDirectory("mailflow-starttls")
    passwordFile = mail.dir + "/password"
    try MailServers.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
  }
  deinit { mail.stop() }

  func check(_ type: String, _ port: Int, _ extra: [String] = []) throws -> Verdict {
    let v = try plugin([type, "-H", "localhost", "--port", "\(port)", "--starttls", "--ca-file", Certificates.ca,
                        "--mailflow-dir", store] + extra)
    #expect(!v.line.contains(MailServers.password) && !v.line.contains("odd"), "secret in output: \(v)")
    return v
  }

  var login: [String] { ["--username", MailServers.user, "--password-file", passwordFile] }

  @Test func smtp() throws {
    let v = try check("smtp", mail.smtp, ["--expire-before-days", "14"])
    #expect(v.status == 0 && v.line.hasPrefix("SMTP OK - 220 ") && v.line.contains("certificate valid for 36"), "\(v)")
    #expect(v.line.contains("cert_days_left=36") && v.line.contains(";;14:"), "\(v)")
  }

  @Test func imapAndPop3LogInInsideTLS() throws {
    let imap = try check("imap", mail.imap, login)
    #expect(imap.status == 0 && imap.line.contains("logged in as 'probe'") && imap.line.contains("certificate valid"), "\(imap)")
    let pop3 = try check("pop3", mail.pop3, login)
    #expect(pop3.status == 0 && pop3.line.contains("logged in as 'probe'") && pop3.line.contains("certificate valid"), "\(pop3)")
    let wrong = try plugin(["imap", "-H", "localhost", "--port", "\(mail.imap)", "--starttls", "--ca-file", Certificates.ca,
                            "--username", MailServers.user], environment: ["CHECK_MONITORING_INFO_PASSWORD": "wrong"])
    #expect(wrong.status == 2 && wrong.line.contains("login as 'probe' failed") && wrong.line.contains("certificate valid"),
            "\(wrong)")
  }

  /// exim4 on a port where it does not advertise STARTTLS (as Debian's stock exim4 does not).
  @Test func smtpWithoutSTARTTLSIsCritical() throws {
    let v = try check("smtp", mail.smtpNoTLS, ["--email", "probe@mail.test", "--mailflowid", "never"])
    #expect(v.status == 2 && v.line.contains("server does not offer STARTTLS (not in its EHLO reply)"), "\(v)")
    #expect(!FileManager.default.fileExists(atPath: store + "/never.tokens") || ((try? String(contentsOfFile: store + "/never.tokens", encoding: .utf8)) ?? "").isEmpty,
            "no mail sent without TLS")
  }

  /// smtp sends with starttls, exim delivers, imap (then pop3) collects with starttls.
  @Test(arguments: ["imap", "pop3"])
  func mailflowWithSTARTTLSOnBothSides(_ reader: String) throws {
    let id = "starttls-\(reader)"
    let before = mail.maildirCount
    let sent = try check("smtp", mail.smtp, ["--email", "probe@mail.test", "--mailflowid", id])
    #expect(sent.status == 0 && sent.line.contains("test mail to probe@mail.test accepted")
            && sent.line.contains("certificate valid"), "\(sent)")
    #expect(mail.waitForMail(before + 1), "exim delivered the probe")
    let consumed = try check(reader, reader == "imap" ? mail.imap : mail.pop3, login + ["--mailflowid", id])
    #expect(consumed.status == 0 && consumed.line.contains("1 mail-flow mails removed (1 tokens matched)"), "\(consumed)")
    let done = try plugin(["mailflow", "--id", id, "--seconds", "1", "--mailflow-dir", store])
    #expect(done.status == 0 && done.line.contains("no mail for '\(id)' in flight"), "\(done)")
  }

  /// The fragment of the issue, `type = smtp / starttls = true / expire_before_days = 14`, as the
  /// server runs it (registration mode), against exim4 with a valid certificate.
  @Test func registeredFragment() throws {
    let registrations = try makeTempDirectory("registrations-starttls")
    let json = """
      {"version":1,"host":"localhost","services":[
        {"name":"mx","type":"smtp","source":"exim4.conf","params":{"port":"\(mail.smtp)","starttls":"true",
         "expire_before_days":"14"}},
        {"name":"both","type":"smtp","source":"exim4.conf","params":{"port":"\(mail.smtp)","starttls":"true","ssl":"true"}}]}
      """
    try json.write(toFile: registrations + "/localhost.json", atomically: true, encoding: .utf8)
    let v = try plugin(["--registration", "localhost", "--service", "mx", "--registrations", registrations,
                        "--ca-file", Certificates.ca])
    #expect(v.status == 0 && v.line.hasPrefix("SMTP OK - 220 ") && v.line.contains("certificate valid"), "\(v)")
    let both = try plugin(["--registration", "localhost", "--service", "both", "--registrations", registrations])
    #expect(both.status == 3 && both.line.contains("'ssl' and 'starttls' cannot both be on"), "\(both)")
  }
}

@Suite("STARTTLS: slapd")
struct LDAPStartTLSTests {
  @Test func bindInsideTLS() throws {
    let slapd = try LDAPServer()
    defer { slapd.stop() }
    let v = try plugin(["ldap", "-H", "localhost", "--port", "\(slapd.ldap)", "--starttls", "--ca-file", Certificates.ca,
                        "--username", "cn=admin,dc=test", "--password-file", slapd.passwordFile])
    #expect(v.status == 0 && v.line.contains("bind as 'cn=admin,dc=test' and search of the root DSE succeeded, certificate valid"),
            "\(v)")
    #expect(!v.line.contains("ldap pw"), "\(v)")
  }

  /// slapd without a certificate (Debian's stock slapd has none) refuses StartTLS.
  @Test func refusedWithoutCertificate() throws {
    let slapd = try LDAPServer(cert: nil)
    defer { slapd.stop() }
    let v = try plugin(["ldap", "-H", "localhost", "--port", "\(slapd.ldap)", "--starttls", "--username", "cn=admin,dc=test",
                        "--password-file", slapd.passwordFile])
    #expect(v.status == 2 && v.line.contains("StartTLS refused: result code"), "\(v)")
    let plain = try plugin(["ldap", "-H", "localhost", "--port", "\(slapd.ldap)"])
    #expect(plain.status == 0, "\(plain)")
  }
}

/// `check_smtp -S -D 14,14` (monitoring-plugins) and `smtp --starttls --expire-before-days 14`
/// against the same exim4, for each certificate whose verdict check_smtp can tell: the same
/// status. (check_smtp judges the dates only; names and the chain are ours alone.)
@Suite("STARTTLS: the same verdicts as check_smtp -S -D")
struct CheckSMTPParityTests {
  static let checkSMTP = "/usr/lib/nagios/plugins/check_smtp"

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: checkSMTP)),
        arguments: [("valid", Int32(0)), ("soon", Int32(2)), ("expired", Int32(2))])
  func sameStatus(cert: String, status: Int32) throws {
    let mail = try MailServers(cert: cert)
    defer { mail.stop() }
    let ours = try plugin(["smtp", "-H", "localhost", "--port", "\(mail.smtp)", "--starttls", "--expire-before-days", "14",
                           "--ca-file", Certificates.ca])
    let theirs = try run(CheckSMTPParityTests.checkSMTP, ["-H", "127.0.0.1", "-p", "\(mail.smtp)", "-S", "-D", "14,14"])
    #expect(ours.status == status && theirs.status == status, "\(cert): ours \(ours), check_smtp \(theirs)")
  }
}
