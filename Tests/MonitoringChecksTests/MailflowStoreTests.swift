// The token store on its own: concurrent writers, bounded size, safe names, the strict parser.
import Foundation
import MonitoringChecks
import Testing

@Suite("mail-flow token store")
struct MailflowStoreTests {
  @Test func concurrentAddsAndRemoves() throws {
    let root = try makeTempDirectory("store")
    let store = try MailflowStore(root: root, id: "main")
    let tokens = (0..<200).map { _ in MailflowStore.newToken() }
    #expect(Set(tokens).count == 200)
    DispatchQueue.concurrentPerform(iterations: tokens.count) { i in try! store.add(tokens[i]) }
    #expect(Set(try store.tokens().map(\.token)) == Set(tokens))
    DispatchQueue.concurrentPerform(iterations: 10) { i in
      _ = try! store.remove(Set(tokens[(i * 20)..<(i * 20 + 20)]))
    }
    #expect(try store.tokens().isEmpty)
  }

  @Test func boundedKeepingTheOldest() throws {
    let root = try makeTempDirectory("store")
    let store = try MailflowStore(root: root, id: "i")
    let oldest = MailflowStore.newToken()
    try store.add(oldest, at: 1)
    var newest = ""
    for t in 0..<(MailflowStore.limit + 50) {
      newest = MailflowStore.newToken()
      try store.add(newest, at: 1000 + t)
    }
    let list = try store.tokens()
    #expect(list.count == MailflowStore.limit)
    #expect(list.contains { $0.token == oldest && $0.time == 1 }, "the oldest stays: it keeps mailflow CRITICAL")
    #expect(list.contains { $0.token == newest }, "the newest is kept")
  }

  @Test func unsafeIdsRejected() {
    for id in ["../etc", "a/b", "", ".hidden", "x\ny", String(repeating: "a", count: 65)] {
      #expect(throws: CheckFailure.self) { try MailflowStore(root: "/tmp", id: id) }
    }
  }

  @Test func tokensOnlyWithTheSubjectTag() throws {
    let store = try MailflowStore(root: "/tmp", id: "i")
    let token = MailflowStore.newToken()
    #expect(store.tokens(in: "Subject: \(store.subjectTag) \(token)\r\n") == [token])
    #expect(store.tokens(in: "Subject: monitoring-info mailflow other \(token)").isEmpty)
    #expect(store.tokens(in: "Subject: monitoring-info mailflow i2 \(token)").isEmpty, "an id is not a prefix")
  }

  @Test func parserFailsClosed() throws {
    let good = "mitoken-0123456789abcdef0123456789abcdef 1700000000\n"
    #expect(try MailflowStore.parse(Array(good.utf8), path: "f").map(\.time) == [1_700_000_000])
    #expect(try MailflowStore.parse([], path: "f").isEmpty)
    for bad in ["mitoken-0123456789abcdef0123456789abcdef -1\n", "mitoken-0123456789abcdef0123456789abcdef 99999999999\n",
                "mitoken-0123456789abcdef0123456789abcdef 1", "mitoken-a 1\n", "\n", good + "x\n",
                "mitoken-0123456789abcdef0123456789abcdef  1\n"] {
      #expect(throws: CheckFailure.self, "\(bad.debugDescription)") { try MailflowStore.parse(Array(bad.utf8), path: "f") }
    }
    let huge = [UInt8](repeating: 10, count: MailflowStore.maximumFileSize + 1)
    #expect(throws: CheckFailure.self) { try MailflowStore.parse(huge, path: "f") }
  }

  @Test func futureTimeIsNoAge() {
    #expect(MailflowToken(token: "t", time: 2_000).age(at: 1_000) == 0)
    #expect(MailflowToken(token: "t", time: 1_000).age(at: 1_500) == 500)
  }
}
