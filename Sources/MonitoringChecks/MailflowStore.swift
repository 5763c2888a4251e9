// The mail-flow token store: DIR/ID.tokens, one "TOKEN UNIXTIME" line per mail in flight.
//
// One namespace per monitoring server, keyed by mailflowid: the smtp service of one host and
// the imap service of another share a flow by naming the same id (an MX host and a mailbox
// host are often different machines). A token is only cleared by finding it in a mail fetched
// from the mailbox, so sharing the namespace lets nobody clear tokens it never received.
//
// Safe under concurrent plugin runs and crashes: every change holds an exclusive flock on
// DIR/ID.lock (waited for until the check's deadline, never longer) and replaces the file
// atomically (AtomicFile: a fresh temporary file created with O_EXCL|O_NOFOLLOW, fsync, rename),
// so a crash leaves either the old or the new list and a planted symlink is never followed.
// Fails closed: a missing store directory, a token file too large or not in this format is
// UNKNOWN with the reason, never "no mail in flight".
// Bounded: at most `limit` tokens per id; beyond it the oldest token is kept (it keeps the
// mailflow check CRITICAL) and the next-oldest ones are dropped.
import Glibc
import MonitoringInfo

public struct MailflowToken: Sendable, Equatable {
  public var token: String
  /// Seconds since the epoch when the mail was accepted (0 to 9,999,999,999).
  public var time: Int

  public init(token: String, time: Int) { self.token = token; self.time = time }

  /// Seconds the mail has been in flight at `now`; a time in the future counts as 0.
  public func age(at now: Int) -> Int { max(0, now - time) }
}

public struct MailflowStore: Sendable {
  public let root: String
  public let id: String
  /// The check's deadline for waiting on the lock; without one, each wait gets 10 s.
  let deadline: Deadline?
  public static let limit = 1000
  /// "mitoken-" + 32 hex digits, a space, at most 10 digits, a line feed.
  static let maximumLine = 8 + 32 + 1 + 10 + 1
  public static let maximumFileSize = limit * maximumLine

  /// `id` follows the format's rules for a mailflowid (the same as a service name).
  public init(root: String, id: String, deadline: Deadline? = nil) throws(CheckFailure) {
    guard ServiceName.isValid(id) else { throw CheckFailure(.unknown, "invalid mail-flow id '\(id)' for the token store") }
    self.root = root; self.id = id; self.deadline = deadline
  }

  var file: String { root + "/" + id + ".tokens" }
  var lockPath: String { root + "/" + id + ".lock" }

  /// The tag that marks this id's messages in a Subject line.
  public var subjectTag: String { "monitoring-info mailflow \(id)" }

  public static func newToken() -> String {
    var generator = SystemRandomNumberGenerator()  // getrandom(2)
    let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let hex = Array("0123456789abcdef".utf8)
    return "mitoken-" + String(decoding: bytes.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
  }

  public static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
    bytes.count == 40 && bytes.prefix(8).elementsEqual("mitoken-".utf8)
      && bytes.dropFirst(8).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
  }

  public static func unixTime() -> Int { Int(time(nil)) }

  public func tokens() throws(CheckFailure) -> [MailflowToken] {
    try locked { () throws(CheckFailure) in try read() }
  }

  public func add(_ token: String, at time: Int = MailflowStore.unixTime()) throws(CheckFailure) {
    try locked { () throws(CheckFailure) in try append(token, at: time) }
  }

  /// Runs `body` holding the lock: the smtp check sends its mail in there, so that a token
  /// accepted by the server is always recorded (or no mail is sent).
  public func whileLocked<T>(_ body: () throws(CheckFailure) -> T) throws(CheckFailure) -> T {
    try locked(body)
  }

  /// Adds a token; only inside `whileLocked`.
  public func append(_ token: String, at time: Int = MailflowStore.unixTime()) throws(CheckFailure) {
    var list = try read()
    list.append(MailflowToken(token: token, time: time))
    if list.count > MailflowStore.limit {
      list.sort { $0.time < $1.time }
      list.removeSubrange(1...(list.count - MailflowStore.limit))
    }
    try write(list)
  }

  /// Removes the given tokens; returns the ones that were in the list.
  @discardableResult
  public func remove(_ found: Set<String>) throws(CheckFailure) -> [MailflowToken] {
    if found.isEmpty { return [] }
    return try locked { () throws(CheckFailure) in
      let list = try read()
      let removed = list.filter { found.contains($0.token) }
      if !removed.isEmpty { try write(list.filter { !found.contains($0.token) }) }
      return removed
    }
  }

  private func locked<T>(_ body: () throws(CheckFailure) -> T) throws(CheckFailure) -> T {
    let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
    if fd < 0 {
      if errno == ENOENT && !FileReader.isDirectory(root) {
        throw CheckFailure(.unknown, "mail-flow store \(root) does not exist")
      }
      throw CheckFailure(.unknown, "cannot open \(lockPath): \(errnoText())")
    }
    defer { close(fd) }
    let deadline = self.deadline ?? Deadline(seconds: 10)
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        throw CheckFailure(.unknown, "cannot lock \(lockPath): \(errnoText())")
      }
      if deadline.remaining <= 0 {
        throw CheckFailure(.unknown, "timeout while waiting for the lock \(lockPath) (held by another process)")
      }
      usleep(UInt32(min(20_000, deadline.remaining * 1_000_000 + 1)))
    }
    return try body()
  }

  private func read() throws(CheckFailure) -> [MailflowToken] {
    // No file yet: no mail was sent for this id (the directory itself was checked by the lock).
    if access(file, F_OK) != 0 && errno == ENOENT { return [] }
    let bytes: [UInt8]
    do { bytes = try FileReader.read(file, limit: MailflowStore.maximumFileSize) } catch {
      throw CheckFailure(.unknown, "\(error)")
    }
    return try MailflowStore.parse(bytes, path: file)
  }

  /// The token file's lines; anything else (a line not in the format, a file larger than
  /// `limit` tokens can make) is UNKNOWN naming the file and line: fail closed.
  public static func parse(_ bytes: [UInt8], path: String) throws(CheckFailure) -> [MailflowToken] {
    guard bytes.count <= maximumFileSize else {
      throw CheckFailure(.unknown, "\(path) is larger than \(maximumFileSize) bytes: not a token file, remove it")
    }
    guard bytes.isEmpty || bytes.last == 10 else { throw CheckFailure(.unknown, "\(path): last line is incomplete") }
    var list: [MailflowToken] = []
    for (index, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).dropLast().enumerated() {
      let fields = line.split(separator: 32, omittingEmptySubsequences: false)
      guard fields.count == 2, isToken(fields[0]), let time = seconds(fields[1]) else {
        throw CheckFailure(.unknown, "\(path):\(index + 1): not a token line (expected 'mitoken-HEX UNIXTIME')")
      }
      list.append(MailflowToken(token: String(decoding: fields[0], as: UTF8.self), time: time))
    }
    return list
  }

  /// 1 to 10 decimal digits: a Unix time until the year 2286, never an overflow.
  static func seconds(_ field: ArraySlice<UInt8>) -> Int? {
    guard (1...10).contains(field.count), field.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return field.reduce(0) { $0 * 10 + Int($1 - 0x30) }
  }

  private func write(_ list: [MailflowToken]) throws(CheckFailure) {
    let bytes = Array(list.map { "\($0.token) \($0.time)\n" }.joined().utf8)
    do { try AtomicFile.write(bytes, to: file, mode: 0o640) } catch { throw CheckFailure(.unknown, error.description) }
  }


  /// Tokens ("mitoken-" and 32 hex digits) in a text that carries this id's subject tag.
  public func tokens(in text: String) -> [String] {
    guard text.contains(subjectTag + " ") else { return [] }
    let bytes = Array(text.utf8)
    var found: [String] = []
    var i = 0
    while i + 40 <= bytes.count {
      if MailflowStore.isToken(bytes[i..<i + 40]) {
        found.append(String(decoding: bytes[i..<i + 40], as: UTF8.self))
        i += 40
      } else {
        i += 1
      }
    }
    return found
  }
}
