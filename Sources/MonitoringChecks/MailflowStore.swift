// The mail-flow token store: ROOT/HOST/ID.tokens, one "TOKEN UNIXTIME" line per mail in flight.
//
// Safe under concurrent plugin runs and crashes: every change holds an exclusive
// flock on ROOT/HOST/ID.lock and replaces the file atomically (write a temporary
// file, fsync, rename), so a crash leaves either the old or the new list. Bounded:
// at most `limit` tokens per id; beyond it the oldest token is kept (it keeps the
// mailflow check CRITICAL) and the next-oldest ones are dropped.
import Glibc
import MonitoringInfo

public struct MailflowToken: Sendable, Equatable {
  public var token: String
  public var time: Int
}

public struct MailflowStore: Sendable {
  public let root: String
  public let host: String
  public let id: String
  public static let limit = 1000

  public init(root: String, host: String, id: String) throws(CheckFailure) {
    for (what, value) in [("host", host), ("mailflow id", id)] where !MailflowStore.isSafeName(value) {
      throw CheckFailure(.unknown, "invalid \(what) '\(value)' for the token store")
    }
    self.root = root; self.host = host; self.id = id
  }

  static func isSafeName(_ s: String) -> Bool {
    guard let first = s.utf8.first, s.utf8.count <= 255, first != UInt8(ascii: ".") else { return false }
    return s.utf8.allSatisfy { c in
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
        || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
    }
  }

  var directory: String { root + "/" + host }
  var file: String { directory + "/" + id + ".tokens" }

  /// The tag that marks this id's messages in a Subject line.
  public var subjectTag: String { "monitoring-info mailflow \(host)/\(id)" }

  public static func newToken() -> String {
    var generator = SystemRandomNumberGenerator()  // getrandom(2)
    let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let hex = Array("0123456789abcdef".utf8)
    return "mitoken-" + String(decoding: bytes.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
  }

  public static func unixTime() -> Int { Int(time(nil)) }

  public func tokens() throws(CheckFailure) -> [MailflowToken] {
    try locked(create: false) { () throws(CheckFailure) in try read() }
  }

  public func add(_ token: String, at time: Int = MailflowStore.unixTime()) throws(CheckFailure) {
    try locked(create: true) { () throws(CheckFailure) in
      var list = try read()
      list.append(MailflowToken(token: token, time: time))
      if list.count > MailflowStore.limit {
        list.sort { $0.time < $1.time }
        list.removeSubrange(1...(list.count - MailflowStore.limit))
      }
      try write(list)
    }
  }

  /// Removes the given tokens; returns the ones that were in the list.
  @discardableResult
  public func remove(_ found: Set<String>) throws(CheckFailure) -> [MailflowToken] {
    if found.isEmpty { return [] }
    return try locked(create: false) { () throws(CheckFailure) in
      let list = try read()
      let removed = list.filter { found.contains($0.token) }
      if !removed.isEmpty { try write(list.filter { !found.contains($0.token) }) }
      return removed
    }
  }

  private func locked<T>(create: Bool, _ body: () throws(CheckFailure) -> T) throws(CheckFailure) -> T {
    if create { try makeDirectories() }
    let lockPath = directory + "/" + id + ".lock"
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
    if fd < 0 {
      if !create && errno == ENOENT, let empty = [MailflowToken]() as? T { return empty }
      throw CheckFailure(.unknown, "cannot open \(lockPath): \(errnoText())")
    }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
      if errno != EINTR { throw CheckFailure(.unknown, "cannot lock \(lockPath): \(errnoText())") }
    }
    return try body()
  }

  private func makeDirectories() throws(CheckFailure) {
    for path in [root, directory] where mkdir(path, 0o750) != 0 && errno != EEXIST {
      throw CheckFailure(.unknown, "cannot create \(path): \(errnoText())")
    }
  }

  private func read() throws(CheckFailure) -> [MailflowToken] {
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return [] }
      throw CheckFailure(.unknown, "cannot read \(file): \(errnoText())")
    }
    defer { close(fd) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { throw CheckFailure(.unknown, "cannot read \(file): \(errnoText())") }
      if n == 0 { break }
      data += chunk.prefix(n)
    }
    return data.split(separator: 10).compactMap { line in
      let fields = line.split(separator: 32)
      guard fields.count == 2, let t = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
      return MailflowToken(token: String(decoding: fields[0], as: UTF8.self), time: t)
    }
  }

  private func write(_ list: [MailflowToken]) throws(CheckFailure) {
    let temporary = file + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
    if fd < 0 { throw CheckFailure(.unknown, "cannot write \(temporary): \(errnoText())") }
    let bytes = Array(list.map { "\($0.token) \($0.time)\n" }.joined().utf8)
    if let code = FileWriter.writeAll(bytes, to: fd) {
      close(fd)
      throw CheckFailure(.unknown, "cannot write \(temporary): \(String(cString: strerror(code)))")
    }
    if fsync(fd) != 0 || close(fd) != 0 { throw CheckFailure(.unknown, "cannot write \(temporary): \(errnoText())") }
    if rename(temporary, file) != 0 { throw CheckFailure(.unknown, "cannot replace \(file): \(errnoText())") }
  }

  /// Tokens ("mitoken-" and 32 hex digits) in a text that carries this id's subject tag.
  public func tokens(in text: String) -> [String] {
    guard text.contains(subjectTag) else { return [] }
    let bytes = Array(text.utf8), prefix = Array("mitoken-".utf8)
    var found: [String] = []
    var i = 0
    while i + 40 <= bytes.count {
      if bytes[i..<i + 8].elementsEqual(prefix),
         bytes[i + 8..<i + 40].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) {
        found.append(String(decoding: bytes[i..<i + 40], as: UTF8.self))
        i += 40
      } else {
        i += 1
      }
    }
    return found
  }
}
