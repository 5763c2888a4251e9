// http, tcp, udp and ssh against real servers on loopback; plugin conventions.
import Foundation
import TestKit
import Testing

@Suite("http (python http.server)")
struct HTTPCheckTests {
  let dir: String
  let port: Int
  let server: Server

  init() throws {
    dir = try makeTempDirectory("http")
    port = allocatePort()
    server = try Server("http", Paths.python, [Paths.fixtures.appendingPathComponent("http-server.py").path,
      "127.0.0.1", "\(port)", "www.example.test:\(port)"], port: port, directory: dir)
  }

  func check(_ extra: [String]) throws -> Verdict {
    try plugin(["http", "-H", "127.0.0.1", "--port", "\(port)"] + extra)
  }

  @Test func ok200() throws {
    let v = try check(["--uri", "/ok"])
    #expect(v.status == 0 && v.line.hasPrefix("HTTP OK - HTTP/1.") && v.line.contains(" 200 "), "\(v)")
    #expect(v.line.contains("| time=") && v.line.contains("size=5B"), "\(v)")
  }

  @Test func redirectAcceptedByDefault() throws {
    let v = try check(["--uri", "/redirect"])
    #expect(v.status == 0 && v.line.contains("301") && v.line.contains("Location: /ok"), "\(v)")
  }

  @Test func redirectRefused() throws {
    let v = try check(["--uri", "/redirect", "--accept-redirection=false"])
    #expect(v.status == 2 && v.line.contains("redirection not accepted"), "\(v)")
  }

  @Test func serverError() throws {
    let v = try check(["--uri", "/error"])
    #expect(v.status == 2 && v.line.contains("500"), "\(v)")
  }

  @Test func hostHeader() throws {
    let good = try check(["--uri", "/host", "--hostname", "www.example.test"])
    #expect(good.status == 0, "\(good)")
    let bad = try check(["--uri", "/host", "--hostname", "other.example.test"])
    #expect(bad.status == 2 && bad.line.contains("421"), "\(bad)")
    // Without hostname the Host header is the host's name (-H).
    let byHost = try check(["--uri", "/host"])
    #expect(byHost.status == 2 && byHost.line.contains("421"), "\(byHost)")
  }

  @Test func closedPort() throws {
    let v = try plugin(["http", "-H", "127.0.0.1", "--port", "\(allocatePort())"])
    #expect(v.status == 2 && v.line.contains("Connection refused"), "\(v)")
  }
}

@Suite("tcp, udp, ssh and plugin conventions")
struct BasicChecksTests {
  @Test func tcpOpenAndClosed() throws {
    let dir = try makeTempDirectory("tcp")
    let port = allocatePort()
    let server = try Server("http", Paths.python, [Paths.fixtures.appendingPathComponent("http-server.py").path,
      "127.0.0.1", "\(port)", "x"], port: port, directory: dir)
    defer { server.stop() }
    let open = try plugin(["tcp", "-H", "127.0.0.1", "--port", "\(port)"])
    #expect(open.status == 0 && open.line.hasPrefix("TCP OK - connection to 127.0.0.1 port \(port) accepted"), "\(open)")
    let closed = try plugin(["tcp", "-H", "127.0.0.1", "--port", "\(allocatePort())"])
    #expect(closed.status == 2 && closed.line.hasPrefix("TCP CRITICAL - ") && closed.line.contains("refused"), "\(closed)")
  }

  @Test func tcpOverIPv6() throws {
    let dir = try makeTempDirectory("tcp6")
    let port = allocatePort()
    let server = try Server("http6", Paths.python, [Paths.fixtures.appendingPathComponent("http-server.py").path,
      "::1", "\(port)", "x"], port: port, host: "::1", directory: dir)
    defer { server.stop() }
    let v = try plugin(["tcp", "-H", "::1", "--port", "\(port)"])
    #expect(v.status == 0 && v.line.contains("connection to ::1 port"), "\(v)")
    let h = try plugin(["http", "-H", "::1", "--port", "\(port)"])
    #expect(h.status == 0, "\(h)")
  }

  @Test func udpClosedAndOpen() throws {
    let closed = try plugin(["udp", "-H", "127.0.0.1", "--port", "\(allocatePort())"])
    #expect(closed.status == 2 && closed.line.contains("ICMP port unreachable"), "\(closed)")

    // An open UDP port that never answers: OK, "no ICMP port unreachable".
    let (fd, port) = boundSocket(udp: true)
    defer { close(fd) }
    let open = try plugin(["udp", "-H", "127.0.0.1", "--port", "\(port)"])
    #expect(open.status == 0 && open.line.contains("no ICMP port unreachable"), "\(open)")
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(recv(fd, &buffer, 16, Int32(MSG_DONTWAIT)) > 0, "the probe reached the socket")
  }

  @Test func udpAnswered() throws {
    let dir = try makeTempDirectory("udp")
    let port = allocatePort()
    let script = "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('127.0.0.1',\(port)))\n"
      + "print('ready',flush=True)\nwhile True:\n d,a=s.recvfrom(100)\n s.sendto(b'pong',a)\n"
    let server = try Server("udp-echo", Paths.python, ["-c", script], port: nil, directory: dir)
    defer { server.stop() }
    var v = Verdict(status: -1, line: "")
    for _ in 0..<50 {  // until the script has bound its socket
      v = try plugin(["udp", "-H", "127.0.0.1", "--port", "\(port)"])
      if v.status == 0 { break }
      usleep(50_000)
    }
    #expect(v.status == 0 && v.line.contains("answered with 4 bytes"), "\(v)")
  }

  @Test func ssh() throws {
    let dir = try makeTempDirectory("ssh")
    let port = allocatePort()
    _ = try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", dir + "/hostkey"])
    let config = "Port \(port)\nListenAddress 127.0.0.1\nHostKey \(dir)/hostkey\nUsePAM no\nPidFile \(dir)/sshd.pid\n"
      + "PermitTTY no\nAllowTcpForwarding no\nX11Forwarding no\n"
    try config.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
    try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
    let server = try Server("sshd", "/usr/sbin/sshd", ["-D", "-e", "-f", dir + "/sshd_config"], port: port, directory: dir)
    defer { server.stop() }
    let v = try plugin(["ssh", "-H", "127.0.0.1", "--port", "\(port)"])
    #expect(v.status == 0 && v.line.hasPrefix("SSH OK - SSH-2.0-OpenSSH"), "\(v)")
    // Not an ssh server: CRITICAL.
    let notSSH = try plugin(["ssh", "-H", "127.0.0.1", "--port", "\(allocatePort())"])
    #expect(notSSH.status == 2, "\(notSSH)")
  }

  @Test func usageErrorsAreUnknown() throws {
    for args in [["tcp"], ["tcp", "-H", "x"], ["htp", "-H", "x"], ["tcp", "-H", "x", "--port", "99999"],
                 ["http", "-H", "x", "--bogus"], ["http", "-H", "x", "--ssl=maybe"], ["--registration", "h"],
                 ["imap", "-H", "x", "--password", "secret"], ["tcp", "-H", "x", "--port", "1", "-t", "0"],
                 ["http", "-H", "h\r\nX-Injected: 1", "--port", "1"], ["tcp", "-H", "-x", "--port", "1"]] {
      let v = try plugin(args)
      #expect(v.status == 3 && v.line.contains("UNKNOWN - "), "\(args): \(v)")
      #expect(!v.line.contains("secret"), "\(v)")
    }
    let help = try run(Paths.plugin, ["--help"])
    #expect(help.status == 0 && help.output.contains("--registration HOST|FILE"))
    let version = try plugin(["-V"])
    #expect(version.status == 0 && version.line.hasPrefix("check_monitoring_info "))
  }

  /// --help prints whole lines: the shell prompt must not end up after the last one.
  @Test func helpEndsWithANewline() throws {
    let help = try run(Paths.plugin, ["--help"])
    #expect(help.status == 0)
    #expect(help.output.hasSuffix(" UNKNOWN (also usage errors and timeouts).\n"), "\(help.output.suffix(80).debugDescription)")
    #expect(!help.output.hasSuffix("\n\n"))
  }

  @Test func timeoutIsUnknown() throws {
    // A listener that never answers: the ssh banner never comes.
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    listen(fd, 5)
    let started = Date()
    let v = try plugin(["ssh", "-H", "127.0.0.1", "--port", "\(UInt16(bigEndian: addr.sin_port))", "-t", "1"])
    #expect(v.status == 3 && v.line.contains("timeout"), "\(v)")
    #expect(Date().timeIntervalSince(started) < 3)
  }
}
