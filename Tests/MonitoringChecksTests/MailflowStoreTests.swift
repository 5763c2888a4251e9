// The token store on its own: concurrent writers, bounded size, safe names.
import Foundation
import MonitoringChecks
import Testing

@Suite("mail-flow token store")
struct MailflowStoreTests {
  @Test func concurrentAddsAndRemoves() throws {
    let root = try makeTempDirectory("store")
    let store = try MailflowStore(root: root, host: "host.example", id: "main")
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
    let store = try MailflowStore(root: root, host: "h", id: "i")
    try store.add("oldest", at: 1)
    for t in 0..<(MailflowStore.limit + 50) { try store.add("t\(t)", at: 1000 + t) }
    let list = try store.tokens()
    #expect(list.count == MailflowStore.limit)
    #expect(list.contains { $0.token == "oldest" && $0.time == 1 }, "the oldest stays: it keeps mailflow CRITICAL")
    #expect(list.contains { $0.token == "t\(MailflowStore.limit + 49)" }, "the newest is kept")
  }

  @Test func unsafeNamesRejected() {
    for (host, id) in [("../etc", "x"), ("h", "a/b"), ("h", ""), ("h", ".hidden")] {
      #expect(throws: CheckFailure.self) { try MailflowStore(root: "/tmp", host: host, id: id) }
    }
  }

  @Test func tokensOnlyWithTheSubjectTag() throws {
    let store = try MailflowStore(root: "/tmp", host: "h", id: "i")
    let token = MailflowStore.newToken()
    #expect(store.tokens(in: "Subject: \(store.subjectTag) \(token)\r\n") == [token])
    #expect(store.tokens(in: "Subject: monitoring-info mailflow h/other \(token)").isEmpty)
  }
}
