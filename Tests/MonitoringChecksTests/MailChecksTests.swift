// smtp, imap, pop3 and the mail-flow loop against private exim4 and dovecot.
import Foundation
import TestKit
import Testing

@Suite("mail: exim4 and dovecot", .serialized)
final class MailChecksTests {
  let mail: MailServers
  let store: String
  let passwordFile: String

  init() throws {
    mail = try MailServers()
    store = try makeTempDirectory("mailflow")
    passwordFile = mail.dir + "/password"
    try MailServers.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
  }
  deinit { mail.stop() }

  func check(_ type: String, _ port: Int, _ extra: [String] = [], env: [String: String] = [:]) throws -> Verdict {
    let v = try plugin([type, "-H", "127.0.0.1"] + (port == 0 ? [] : ["--port", "\(port)"])
                       + ["--ca-file", Certificates.ca, "--mailflow-dir", store] + extra, environment: env)
    #expect(!v.line.contains(MailServers.password) && !v.line.contains("odd"), "secret in output: \(v)")
    return v
  }

  var login: [String] { ["--username", MailServers.user, "--password-file", passwordFile] }

  @Test func imap() throws {
    let plain = try check("imap", mail.imap)
    #expect(plain.status == 0 && plain.line.hasPrefix("IMAP OK - * OK"), "\(plain)")
    let good = try check("imap", mail.imap, login)
    #expect(good.status == 0 && good.line.contains("logged in as 'probe'"), "\(good)")
    let viaEnvironment = try check("imap", mail.imap, ["--username", MailServers.user],
                                   env: ["CHECK_MONITORING_INFO_PASSWORD": MailServers.password])
    #expect(viaEnvironment.status == 0 && viaEnvironment.line.contains("logged in"), "\(viaEnvironment)")
    let bad = try check("imap", mail.imap, ["--username", MailServers.user],
                        env: ["CHECK_MONITORING_INFO_PASSWORD": "wrong"])
    #expect(bad.status == 2 && bad.line.contains("login as 'probe' failed"), "\(bad)")
  }

  @Test func imapsCertificates() throws {
    let ok = try check("imap", mail.imaps, ["--ssl", "--ssl-hostname", "localhost"] + login)
    #expect(ok.status == 0 && ok.line.contains("logged in") && ok.line.contains("cert_days_left="), "\(ok)")
    let name = try check("imap", mail.imaps, ["--ssl", "--ssl-hostname", "imap.example"])
    #expect(name.status == 2 && name.line.contains("does not match name 'imap.example'"), "\(name)")
    let untrusted = try plugin(["imap", "-H", "localhost", "--port", "\(mail.imaps)", "--ssl"])
    #expect(untrusted.status == 2 && untrusted.line.contains("not trusted"), "\(untrusted)")
    let soon = try check("imap", mail.imaps, ["--ssl", "--ssl-hostname", "localhost", "--expire-before-days", "400"])
    #expect(soon.status == 2 && soon.line.contains("(expire_before_days 400)"), "\(soon)")
    let ignored = try plugin(["imap", "-H", "127.0.0.1", "--port", "\(mail.imaps)", "--ssl", "--ignore-invalid-ssl"])
    #expect(ignored.status == 0, "\(ignored)")
  }

  @Test func pop3() throws {
    let plain = try check("pop3", mail.pop3)
    #expect(plain.status == 0 && plain.line.hasPrefix("POP3 OK - +OK"), "\(plain)")
    let good = try check("pop3", mail.pop3, login)
    #expect(good.status == 0 && good.line.contains("logged in as 'probe'"), "\(good)")
    let bad = try check("pop3", mail.pop3, ["--username", MailServers.user],
                        env: ["CHECK_MONITORING_INFO_PASSWORD": "wrong"])
    #expect(bad.status == 2 && bad.line.contains("login as 'probe' failed"), "\(bad)")
    let tls = try check("pop3", mail.pop3s, ["--ssl", "--ssl-hostname", "localhost"] + login)
    #expect(tls.status == 0 && tls.line.contains("certificate valid"), "\(tls)")
    let name = try check("pop3", mail.pop3s, ["--ssl", "--ssl-hostname", "pop.example"])
    #expect(name.status == 2 && name.line.contains("does not match name 'pop.example'"), "\(name)")
  }

  @Test func smtp() throws {
    let plain = try check("smtp", mail.smtp)
    #expect(plain.status == 0 && plain.line.hasPrefix("SMTP OK - 220 "), "\(plain)")
    let tls = try check("smtp", mail.smtps, ["--ssl", "--ssl-hostname", "localhost"])
    #expect(tls.status == 0 && tls.line.contains("certificate valid"), "\(tls)")
    let name = try check("smtp", mail.smtps, ["--ssl", "--ssl-hostname", "smtp.example"])
    #expect(name.status == 2 && name.line.contains("does not match name 'smtp.example'"), "\(name)")
    let refused = try check("smtp", mail.smtp, ["--email", "nobody@elsewhere.example", "--mailflowid", "x"])
    #expect(refused.status == 2 && refused.line.contains("RCPT TO refused"), "\(refused)")
  }

  /// smtp sends, exim delivers into the maildir, imap (then pop3) consumes, mailflow is OK.
  @Test(arguments: ["imap", "pop3"])
  func mailflowLoop(_ reader: String) throws {
    let id = "flow-\(reader)"
    let before = mail.maildirCount
    let sent = try check("smtp", mail.smtp, ["--email", "probe@mail.test", "--mailflowid", id])
    #expect(sent.status == 0 && sent.line.contains("test mail to probe@mail.test accepted"), "\(sent)")
    let pending = try check("mailflow", 0, ["--id", id, "--seconds", "300"])
    #expect(pending.status == 0 && pending.line.contains("1 mails for '\(id)' in flight"), "\(pending)")
    #expect(mail.waitForMail(before + 1), "exim delivered the probe")
    let readerPort = reader == "imap" ? mail.imap : mail.pop3
    let consumed = try check(reader, readerPort, login + ["--mailflowid", id])
    #expect(consumed.status == 0 && consumed.line.contains("1 mail-flow mails removed (1 tokens matched)"), "\(consumed)")
    #expect(mail.maildirCount == before, "the probe mail was deleted")
    let done = try check("mailflow", 0, ["--id", id, "--seconds", "1"])
    #expect(done.status == 0 && done.line.contains("no mail for '\(id)' in flight"), "\(done)")
  }

  /// Delivery stopped (exim defers held.test): mailflow turns CRITICAL once `seconds` pass.
  @Test func mailflowCriticalWithoutDelivery() throws {
    // The token's time is taken while the mail is sent, after this moment: the check may turn
    // 2 s after the token's time at the earliest, so never 2 s before this moment.
    let beforeSending = Date()
    let sent = try check("smtp", mail.smtp, ["--email", "probe@held.test", "--mailflowid", "held"])
    #expect(sent.status == 0, "\(sent)")
    let early = try check("mailflow", 0, ["--id", "held", "--seconds", "2"])
    #expect(early.status == 0, "\(early)")
    let consumed = try check("imap", mail.imap, login + ["--mailflowid", "held"])
    #expect(consumed.status == 0 && consumed.line.contains("no mail-flow mail"), "\(consumed)")
    // Asked until it turns: not before the 2 s have passed, and soon after.
    var late = early
    #expect(waitUntil(seconds: 10) {
      late = (try? check("mailflow", 0, ["--id", "held", "--seconds", "2"])) ?? early
      return late.status != 0
    })
    #expect(Date().timeIntervalSince(beforeSending) >= 2, "CRITICAL only once the token is older than 2 s")
    #expect(late.status == 2 && late.line.contains("1 of 1 mails for 'held' not delivered within 2 s"), "\(late)")
  }

  /// Registration mode: parameters (password included) come from the stored JSON, never argv.
  @Test func registrationMode() throws {
    let registrations = try makeTempDirectory("registrations")
    let json = """
      {"version":1,"host":"localhost","services":[
        {"name":"mail-imaps","type":"imap","source":"dovecot.conf","params":{"port":"\(mail.imaps)","ssl":"yes",
         "username":"probe","password":\(jsonString(MailServers.password))}},
        {"name":"mail-smtp","type":"smtp","source":"exim4.conf","params":{"port":"\(mail.smtp)"}}]}
      """
    try json.write(toFile: registrations + "/localhost.json", atomically: true, encoding: .utf8)
    let v = try plugin(["--registration", "localhost", "--service", "mail-imaps", "--registrations", registrations,
                        "--ca-file", Certificates.ca, "--mailflow-dir", store])
    #expect(v.status == 0 && v.line.hasPrefix("IMAP OK - ") && v.line.contains("logged in as 'probe'"), "\(v)")
    #expect(!v.line.contains("odd"), "\(v)")
    let byFile = try plugin(["--registration", registrations + "/localhost.json", "--service", "mail-smtp", "-H", "127.0.0.1"])
    #expect(byFile.status == 0 && byFile.line.hasPrefix("SMTP OK - 220"), "\(byFile)")
    let missing = try plugin(["--registration", "localhost", "--service", "nope", "--registrations", registrations])
    #expect(missing.status == 3 && missing.line.contains("no service 'nope'"), "\(missing)")
  }

  /// One flow across two hosts' registrations, as Nagios runs them: the smtp service of the MX
  /// host sends, the imap service of the mailbox host collects, the mailflow service judges;
  /// all three name the mailflowid "shared" and meet in STORE/shared.tokens.
  @Test func mailflowAcrossTwoHosts() throws {
    let registrations = try makeTempDirectory("registrations")
    let mx = """
      {"version":1,"host":"mx.test","services":[
        {"name":"mail-out","type":"smtp","source":"exim4.conf","params":{"port":"\(mail.smtp)",
         "email":"probe@mail.test","mailflowid":"shared"}},
        {"name":"mail-flow","type":"mailflow","source":"exim4.conf","params":{"id":"shared","seconds":"300"}}]}
      """
    let mailbox = """
      {"version":1,"host":"mailbox.test","services":[
        {"name":"mail-in","type":"imap","source":"dovecot.conf","params":{"port":"\(mail.imap)",
         "username":"probe","password":\(jsonString(MailServers.password)),"mailflowid":"shared"}}]}
      """
    try mx.write(toFile: registrations + "/mx.test.json", atomically: true, encoding: .utf8)
    try mailbox.write(toFile: registrations + "/mailbox.test.json", atomically: true, encoding: .utf8)
    func service(_ host: String, _ name: String) throws -> Verdict {
      let v = try plugin(["--registration", host, "--service", name, "-H", "127.0.0.1", "--registrations", registrations,
                          "--mailflow-dir", store])
      #expect(!v.line.contains("odd"), "secret in output: \(v)")
      return v
    }
    let before = mail.maildirCount
    let sent = try service("mx.test", "mail-out")
    #expect(sent.status == 0 && sent.line.hasPrefix("SMTP OK - ") && sent.line.contains("accepted"), "\(sent)")
    #expect(FileManager.default.fileExists(atPath: store + "/shared.tokens"), "one namespace: STORE/ID.tokens")
    let pending = try service("mx.test", "mail-flow")
    #expect(pending.status == 0 && pending.line.contains("1 mails for 'shared' in flight"), "\(pending)")
    #expect(mail.waitForMail(before + 1), "exim delivered the probe")
    let collected = try service("mailbox.test", "mail-in")
    #expect(collected.status == 0 && collected.line.contains("1 mail-flow mails removed (1 tokens matched)"), "\(collected)")
    let done = try service("mx.test", "mail-flow")
    #expect(done.status == 0 && done.line.contains("no mail for 'shared' in flight"), "\(done)")
  }

  func jsonString(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}

extension MailChecksTests {
  /// Many plugin processes at once on one token store: every token sent is recorded,
  /// and one imap run consumes them all.
  @Test func concurrentPluginsLoseNothing() throws {
    let id = "concurrent"
    let count = 16
    let outputs = try makeTempDirectory("concurrent")
    var pids: [pid_t] = []
    for i in 0..<count {
      pids.append(try spawn(Paths.plugin, ["smtp", "-H", "127.0.0.1", "--port", "\(mail.smtp)", "--email", "probe@mail.test",
                                           "--mailflowid", id, "--mailflow-dir", store], output: "\(outputs)/\(i)"))
    }
    let statuses = pids.map(waitFor)
    #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
    let pending = try check("mailflow", 0, ["--id", id, "--seconds", "300"])
    #expect(pending.line.contains("\(count) mails for '\(id)' in flight"), "\(pending)")
    #expect(mail.waitForMail(count, seconds: 20), "exim delivered all \(count)")
    // Readers racing each other: every token is removed exactly once in total.
    var readers: [pid_t] = []
    for i in 0..<4 {
      readers.append(try spawn(Paths.plugin, ["imap", "-H", "127.0.0.1", "--port", "\(mail.imap)", "--username", MailServers.user,
        "--password-file", passwordFile, "--mailflowid", id, "--mailflow-dir", store], output: "\(outputs)/r\(i)"))
    }
    let readerStatuses = readers.map(waitFor)
    let matched = (0..<4).map { i -> Int in
      let text = (try? String(contentsOfFile: "\(outputs)/r\(i)", encoding: .utf8)) ?? ""
      guard let r = text.range(of: " tokens matched") else { return 0 }
      return Int(text[..<r.lowerBound].split(separator: "(").last ?? "") ?? 0
    }
    #expect(readerStatuses.allSatisfy { $0 == 0 || $0 == 2 }, "\(readerStatuses)")
    #expect(matched.reduce(0, +) == count, "each token matched once: \(matched)")
    let done = try check("mailflow", 0, ["--id", id, "--seconds", "1"])
    #expect(done.status == 0 && done.line.contains("no mail for '\(id)' in flight"), "\(done)")
  }
}
