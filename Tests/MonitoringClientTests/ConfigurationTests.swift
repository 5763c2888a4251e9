import Foundation
import MonitoringClient
import TestKit
import Testing

private func runKeygen(_ key: String) throws -> String {
  let file = NSTemporaryDirectory() + "mi-client-key-\(UUID().uuidString).pub"
  try key.write(toFile: file, atomically: true, encoding: .utf8)
  defer { try? FileManager.default.removeItem(atPath: file) }
  return try runProgram("ssh-keygen", ["-lf", file]).stdout
}

@Suite struct ConfigurationTests {
  @Test func readsEveryKey() throws {
    let text = """
      # monitoring server
      server = nagios.example.org
      port = 2222
      user = automon2
      server_key = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
      exclude = apache2, nginx.conf
      exclude = smtp
      host = b.example.org
      connect_timeout = 3
      timeout = 9
      """
    let configuration = try ClientConfiguration.parse(text, path: "client.conf")
    #expect(configuration.isConfigured)
    #expect(configuration.server == "nagios.example.org")
    #expect(configuration.port == 2222 && configuration.user == "automon2")
    #expect(configuration.exclude == ["apache2", "nginx.conf", "smtp"])
    #expect(configuration.host == "b.example.org")
    #expect(configuration.connectTimeout == 3 && configuration.timeout == 9)
    #expect(SSHPublicKey.Pin(configuration.serverKey!)?.fingerprint.hasPrefix("SHA256:") == true)
    #expect(configuration.warnings.isEmpty)
  }

  @Test func noServerIsJoe() throws {
    #expect(!(try ClientConfiguration.parse("", path: "c")).isConfigured)
    #expect(!(try ClientConfiguration.parse("server =\nexclude = x\n", path: "c")).isConfigured)
    #expect(!(try ClientConfiguration.load("/nonexistent/client.conf")).isConfigured)
  }

  @Test(arguments: [
    ("port = 0\n", "c:1: 'port' must be a number from 1 to 65535, not '0'"),
    ("server = a\nfoo\n", "c:2: expected 'key = value', found 'foo'"),
    ("host = not a host\n", "c:1: 'host' must be a host name (FQDN), not 'not a host'"),
    ("server = -oProxyCommand=x\n", "c: 'server' must be a host name or address, not '-oProxyCommand=x'"),
    ("user = a b\n", "c:1: 'user' must be a login name, not 'a b'"),
  ])
  func errorsNameFileLineAndFix(text: String, message: String) {
    #expect(throws: ClientError.configuration(message)) { try ClientConfiguration.parse(text, path: "c") }
  }

  @Test func unknownKeysAreWarningsNotErrors() throws {
    let configuration = try ClientConfiguration.parse("server = a\nsevrer_key = x\n", path: "c")
    #expect(configuration.warnings.count == 1)
    #expect(configuration.warnings[0].hasPrefix("c:2: unknown key 'sevrer_key'"))
  }

  @Test func fingerprintsMatchSshKeygen() throws {
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test"
    let result = try runKeygen(key)
    #expect(result.contains(SSHPublicKey(line: key)!.fingerprint))
  }
}
