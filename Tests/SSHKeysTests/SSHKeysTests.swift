import Foundation
import SSHKeys
import TestKit
import Testing

/// The one implementation of keys and digests, against the references: known SHA-256 and
/// HMAC vectors, `ssh-keygen -l` for fingerprints, `openssl` for HMAC, Foundation for Base64.
@Suite struct SSHKeysTests {
  @Test func sha256KnownAnswers() {
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array(repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  /// RFC 4231 test cases 1 and 6 (a key longer than the block), and openssl for a 32-byte key.
  @Test func hmacKnownAnswersAndOpenSSL() throws {
    #expect(HMACSHA256.hex(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
      == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    #expect(HMACSHA256.hex(key: [UInt8](repeating: 0xaa, count: 131),
      Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
      == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    let key = (0..<32).map { UInt8($0 * 7 & 0xff) }
    let hexKey = key.map { String(format: "%02x", $0) }.joined()
    let reference = try runProgram("/bin/sh", ["-c",
      "printf 'auto-monitor-ticket:b.example.org' | openssl dgst -sha256 -mac HMAC -macopt hexkey:\(hexKey)"])
    #expect(reference.stdout.hasSuffix(HMACSHA256.hex(key: key, Array("auto-monitor-ticket:b.example.org".utf8)) + "\n"), "\(reference.stdout)")
    #expect(HMACSHA256.constantTimeEqual("abc", "abc") && !HMACSHA256.constantTimeEqual("abc", "abd")
      && !HMACSHA256.constantTimeEqual("abc", "ab"))
  }

  @Test func base64AgreesWithFoundation() {
    for length in 0..<70 {
      let bytes = (0..<length).map { UInt8(($0 * 37 + length) & 0xff) }
      let text = Data(bytes).base64EncodedString()
      #expect(Base64.encode(bytes) == text)
      #expect(Base64.decode(text) == bytes)
    }
    #expect(Base64.decode("a*b=") == nil)
  }

  /// Every key type ssh-keygen makes: the fingerprint is the one `ssh-keygen -l` prints, and
  /// the same key read from a known_hosts line, a .pub file and sshd's `%t %k` is one key.
  @Test(arguments: ["ed25519", "ecdsa", "rsa"]) func fingerprintIsSSHKeygens(_ type: String) throws {
    let directory = try temporaryDirectory("sshkeys")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("key").path
    #expect(try runProgram("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "a comment", "-f", path]).succeeded)
    let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8)
    let reference = try runProgram("ssh-keygen", ["-lf", path + ".pub"]).stdout.split(separator: " ")[1]
    let key = try #require(SSHPublicKey(line: publicLine))
    #expect(key.fingerprint == String(reference))
    #expect(SSHPublicKey(line: "server.example.org " + publicLine) == key)
    let fields = publicLine.split(separator: " ")
    #expect(SSHPublicKey(type: String(fields[0]), blob: String(fields[1])) == key)
    #expect(key.digest == SHA256.hex(Array(key.line.utf8)))
    #expect(SSHPublicKey.Pin(key.fingerprint)?.fingerprint == key.fingerprint)
    #expect(SSHPublicKey.Pin(publicLine) == .key(key))
  }

  @Test func malformedKeysAreRefused() {
    #expect(SSHPublicKey(type: "ssh-ed25519", blob: "not base64!") == nil)
    #expect(SSHPublicKey(type: "SSH ED25519", blob: "AAAA") == nil)
    #expect(SSHPublicKey(type: "ssh-ed25519", blob: "") == nil)
    #expect(SSHPublicKey(type: "ssh-ed25519", blob: String(repeating: "A", count: SSHPublicKey.maximumLength + 4)) == nil)
    #expect(SSHPublicKey(line: "no key here") == nil)
  }
}
