// Hostile files and arguments: registrations that try to forge output or HTTP headers,
// token files that overflow, are huge or corrupt, a planted symlink, a held lock, and the
// command-line cases (timeout range, the label of usage lines).
import Foundation
import TestKit
import Testing

@Suite("hostile registrations, token files and arguments")
struct HostileFilesTests {
  func registration(_ json: String) throws -> String {
    let dir = try makeTempDirectory("hostile-registration")
    try json.write(toFile: dir + "/host.example.json", atomically: true, encoding: .utf8)
    return dir
  }

  /// A key with CR LF, read the way Nagios calls the plugin: one line, UNKNOWN.
  @Test func registrationKeyWithLineBreak() throws {
    let dir = try registration("""
      {"version":1,"host":"host.example","services":[{"name":"web","type":"http","source":"x.conf",
       "params":{"port\\r\\nHTTP OK - spoofed | x=1":"80"}}]}
      """)
    let m = try measurePlugin(["--registration", "host.example", "--service", "web", "--registrations", dir])
    Harness.expectWellFormed(m, "registration key with CR LF", label: "HTTP", status: [3], seconds: 2)
  }

  /// A service name with CR LF on the command line: one line, UNKNOWN.
  @Test func serviceNameWithLineBreak() throws {
    let dir = try registration(#"{"version":1,"host":"host.example","services":[]}"#)
    let m = try measurePlugin(["--registration", "host.example", "--service", "web\r\nX OK - spoofed | x=1",
                               "--registrations", dir])
    Harness.expectWellFormed(m, "service name with CR LF", label: "MONITORING-INFO", status: [3], seconds: 2)
  }

  /// A file-mode registration whose host would forge an HTTP header: refused before connecting.
  @Test func registrationHostForgesHeader() throws {
    let server = try HostileServer("http-ok")
    let dir = try registration("""
      {"version":1,"host":"h\\r\\nX-Injected: 1","services":[{"name":"web","type":"http","source":"x.conf",
       "params":{"port":"\(server.port)"}}]}
      """)
    let m = try measurePlugin(["--registration", dir + "/host.example.json", "--service", "web", "-H", "127.0.0.1"])
    Harness.expectWellFormed(m, "registration host with CR LF", label: "HTTP", status: [3], seconds: 2)
    #expect(!server.received.contains("X-Injected"), "forged header sent: \(server.received)")
  }

  /// The token store: every malformed file is UNKNOWN with the reason, never OK and never a crash.
  @Test(arguments: [
    ("time overflow", "mitoken-a -9223372036854775807\n"),
    ("Int.max", "mitoken-a 9223372036854775807\n"),
    ("garbage", "\u{1b}[31m not a token file\n"),
    ("token without time", "mitoken-0123456789abcdef0123456789abcdef\n"),
  ])
  func corruptTokenFile(_ name: String, _ content: String) throws {
    let store = try makeTempDirectory("hostile-tokens")
    try content.write(toFile: store + "/flow.tokens", atomically: true, encoding: .utf8)
    let m = try measurePlugin(["mailflow", "--id", "flow", "--seconds", "60", "--mailflow-dir", store])
    Harness.expectWellFormed(m, "token file: \(name)", label: "MAILFLOW", status: [3], seconds: 2)
    #expect(m.text.contains("flow.tokens"), "\(m)")
  }

  @Test func hugeTokenFile() throws {
    let store = try makeTempDirectory("hostile-tokens")
    let fd = open(store + "/flow.tokens", O_CREAT | O_WRONLY, 0o644)
    let line = Array("mitoken-0123456789abcdef0123456789abcdef 1700000000\n".utf8)
    _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    ftruncate(fd, 1 << 30)  // 1 GiB (sparse)
    close(fd)
    let m = try measurePlugin(["mailflow", "--id", "flow", "--seconds", "60", "--mailflow-dir", store])
    Harness.expectWellFormed(m, "1 GiB token file", label: "MAILFLOW", status: [3], seconds: 5)
  }

  @Test func missingStoreDirectory() throws {
    let store = try makeTempDirectory("hostile-tokens") + "/absent"
    let m = try measurePlugin(["mailflow", "--id", "flow", "--seconds", "60", "--mailflow-dir", store])
    Harness.expectWellFormed(m, "missing store directory", label: "MAILFLOW", status: [3], seconds: 2)
    #expect(m.text.contains("absent"), "\(m)")
  }

  @Test func goodTokenFile() throws {
    let store = try makeTempDirectory("hostile-tokens")
    let now = Int(Date().timeIntervalSince1970)
    try "mitoken-0123456789abcdef0123456789abcdef \(now - 100)\n".write(toFile: store + "/flow.tokens", atomically: true, encoding: .utf8)
    let late = try measurePlugin(["mailflow", "--id", "flow", "--seconds", "60", "--mailflow-dir", store])
    Harness.expectWellFormed(late, "token file: one late token", label: "MAILFLOW", status: [2], seconds: 2)
    let fine = try measurePlugin(["mailflow", "--id", "flow", "--seconds", "600", "--mailflow-dir", store])
    Harness.expectWellFormed(fine, "token file: one token in time", label: "MAILFLOW", status: [0], seconds: 2)
  }

  /// A symlink planted at the temporary file's name is not followed.
  @Test func plantedSymlink() throws {
    let server = try HostileServer("smtp-ok")
    let store = try makeTempDirectory("hostile-tokens")
    let victim = store + "/victim"
    try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
    symlink(victim, store + "/flow.tokens.tmp")
    let m = try measurePlugin(["smtp", "-H", "127.0.0.1", "--port", "\(server.port)", "--email", "probe@mail.test",
                               "--mailflowid", "flow", "--mailflow-dir", store])
    Harness.expectWellFormed(m, "symlink at ID.tokens.tmp", label: "SMTP", status: [0], seconds: 2)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the symlink was followed")
    let tokens = try String(contentsOfFile: store + "/flow.tokens", encoding: .utf8)
    #expect(tokens.split(separator: "\n").count == 1, "\(tokens)")
  }

  /// A lock held by another process: UNKNOWN within the timeout, and no mail was sent.
  @Test func lockHeldBeforeSending() throws {
    let server = try HostileServer("smtp-ok")
    let store = try makeTempDirectory("hostile-tokens")
    let fd = open(store + "/flow.lock", O_CREAT | O_RDWR, 0o640)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX) == 0)
    let m = try measurePlugin(["smtp", "-H", "127.0.0.1", "--port", "\(server.port)", "--email", "probe@mail.test",
                               "--mailflowid", "flow", "--mailflow-dir", store, "-t", "3"])
    // Within the timeout: the backstop alarm (at 4 s) would not name the lock.
    Harness.expectWellFormed(m, "token store locked", label: "SMTP", status: [3], seconds: 3.9)
    #expect(m.text.contains("lock"), "\(m)")
    #expect(!server.received.uppercased().contains("DATA"), "a mail was sent: \(server.received)")
  }

  @Test(arguments: [["-t", "1e-9"], ["-t", "0.5"], ["-t", "nan"], ["-t", "3601"], ["--timeout=inf"]])
  func timeoutRange(_ option: [String]) throws {
    let m = try measurePlugin(["tcp", "-H", "127.0.0.1", "--port", "1"] + option)
    Harness.expectWellFormed(m, "timeout \(option)", label: "TCP", status: [3], seconds: 2)
    #expect(m.text.contains("invalid timeout"), "\(m)")
  }

  @Test func usageLineStartsWithTheType() throws {
    let m = try measurePlugin(["tcp", "-H", "127.0.0.1", "--port", "99999"])
    Harness.expectWellFormed(m, "usage error", label: "TCP", status: [3], seconds: 2)
  }
}
