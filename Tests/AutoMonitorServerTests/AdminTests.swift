import Foundation
import TestKit
import Testing

/// The administrator's command against references: OpenSSL for tickets, ssh-keygen for the
/// fingerprint in the Avahi service file.
@Suite(.serialized) struct AdminTests {
  @Test func ticketIsTheHMACOpenSSLComputes() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let ticket = try server.runAdmin(["ticket", "b.example.org"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let secret = try Data(contentsOf: URL(fileURLWithPath: server.stateDirectory + "/secret"))
    let hex = secret.map { String(format: "%02x", $0) }.joined()
    let reference = try runProgram("/bin/sh", ["-c",
      "printf 'auto-monitor-ticket:b.example.org' | openssl dgst -sha256 -mac HMAC -macopt hexkey:\(hex)"])
    #expect(reference.stdout.hasSuffix(ticket + "\n") && ticket.count == 64, "\(reference.stdout) vs \(ticket)")
  }

  @Test func avahiServiceCarriesTheHostKeyFingerprint() throws {
    let server = try PrivateServer()
    defer { server.cleanUp() }
    let key = server.directory.path + "/hostkey"
    _ = try runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
    let fingerprint = try runProgram("ssh-keygen", ["-lf", key + ".pub"]).stdout.split(separator: " ")[1]
    let service = try server.runAdmin(["avahi-service", "--host-key", key + ".pub"])
    #expect(service.stdout.contains("<txt-record>hostkey=\(fingerprint)</txt-record>"), "\(service.stdout)")
    #expect(service.stdout.contains("<type>_auto-monitor._tcp</type>"))
    #expect(service.stdout.contains("<txt-record>user=\(server.user)</txt-record>"))
    let unknown = try server.runAdmin(["show", "nobody.example.org"])
    #expect(unknown.status == 3)
    let usage = try server.runAdmin(["accept"])
    #expect(usage.status == 64)
  }
}
