// A private dovecot (imap, imaps, pop3, pop3s) and exim4 (smtp, smtps, and smtpNoTLS without
// STARTTLS) sharing one maildir, all on 127.0.0.1, for the mail checks and the mail-flow loop.
// imap, pop3 and smtp offer STARTTLS with the same certificate as the TLS ports.
import Foundation
import TestKit
import Testing

final class MailServers {
  static let user = "probe"
  static let password = "pw#with;odd \"chars\""
  let dir: String
  let imap = allocatePort(), imaps = allocatePort(), pop3 = allocatePort(), pop3s = allocatePort()
  let smtp = allocatePort(), smtps = allocatePort(), smtpNoTLS = allocatePort()
  var servers: [Server] = []

  /// `cert` names the server certificate of every port with TLS (see make-certs.sh).
  init(cert: String = "valid") throws {
    dir = try makeTempDirectory("mail")
    let fm = FileManager.default
    for sub in ["run", "state", "spool", "log", "mail/\(MailServers.user)/Maildir/new", "mail/\(MailServers.user)/Maildir/cur",
                "mail/\(MailServers.user)/Maildir/tmp"] {
      try fm.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
    }
    _ = try run("/bin/chown", ["-R", "Debian-exim:Debian-exim", "\(dir)/mail"])
    _ = try run("/bin/chown", ["-R", "Debian-exim:Debian-exim", "\(dir)/spool", "\(dir)/log"])
    let values = ["@DIR@": dir, "@CERTS@": Certificates.directory, "@CERT@": cert, "@PASSWORD@": MailServers.password,
                  "@IMAP_PORT@": "\(imap)", "@IMAPS_PORT@": "\(imaps)", "@POP3_PORT@": "\(pop3)",
                  "@POP3S_PORT@": "\(pop3s)", "@SMTP_PORT@": "\(smtp)", "@SMTPS_PORT@": "\(smtps)",
                  "@SMTP_NOTLS_PORT@": "\(smtpNoTLS)"]
    for name in ["dovecot.conf", "exim4.conf"] {
      var text = try String(contentsOf: Paths.fixtures.appendingPathComponent(name), encoding: .utf8)
      for (k, v) in values { text = text.replacingOccurrences(of: k, with: v) }
      try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
    }
    try "\(MailServers.user):{PLAIN}\(MailServers.password)\n".write(toFile: "\(dir)/passwd", atomically: true, encoding: .utf8)
    servers.append(try Server("dovecot", "/usr/sbin/dovecot", ["-F", "-c", "\(dir)/dovecot.conf"], port: imap, directory: dir))
    for p in [imaps, pop3, pop3s] where !waitListening(p) { throw TestFailure("dovecot port \(p)") }
    servers.append(try Server("exim4", "/usr/sbin/exim4", ["-C", "\(dir)/exim4.conf", "-bdf", "-q5s"], port: smtp, directory: dir))
  }

  func waitListening(_ port: Int) -> Bool {
    for _ in 0..<250 { if isListening(port) { return true }; usleep(20_000) }
    return false
  }

  func stop() { servers.reversed().forEach { $0.stop() } }
  deinit { stop() }

  var maildirCount: Int {
    let base = "\(dir)/mail/\(MailServers.user)/Maildir"
    return ["new", "cur"].reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\($1)"))?.count ?? 0) }
  }

  /// Deliveries in exim's main log (a reader may have emptied the maildir already).
  var deliveries: Int {
    let log = (try? String(contentsOfFile: "\(dir)/log/mainlog", encoding: .utf8)) ?? ""
    return log.split(separator: "\n").filter { $0.contains(" => ") }.count
  }

  /// Waits until the maildir holds `count` messages (exim delivers in the background).
  func waitForMail(_ count: Int, seconds: Double = 10) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end { if maildirCount >= count { return true }; usleep(50_000) }
    return false
  }
}
