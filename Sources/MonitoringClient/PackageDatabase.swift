import CAptPkg
import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// What dpkg knows about the packages that matter to the client, read from its status database
/// (`status` plus the not yet merged journal in `updates/`) with libapt-pkg's deb822 reader:
/// each package's state, and which package owns each file under /etc/monitoring-info.
/// Ownership comes from the `Conffiles` field (fragments are conffiles), then from the file
/// lists for anything that is not; no dpkg-query is spawned.
public struct PackageDatabase: Sendable {
  public struct Package: Sendable, Equatable {
    public var name: String
    public var architecture: String
    /// dpkg's state word: installed, config-files, unpacked, half-configured, ...
    public var state: String
    /// Conffiles under the watched prefix that are not obsolete.
    public var conffiles: [String]
    /// Conffiles under the prefix that the installed version no longer ships (left on disk).
    public var obsoleteConffiles: [String] = []
  }

  /// By package name; several architectures of one name keep the one most present.
  public private(set) var packages: [String: Package] = [:]
  private var conffileOwners: [String: String] = [:]
  private let infoDirectory: String
  /// The names to keep (plus those with a conffile under the prefix); nil: every package.
  private var kept: PackageNameSet?

  /// The states in which a package's files on disk are the package's: a package removed but not
  /// purged (`config-files`) keeps its conffiles, which must not count. `unpacked` and
  /// `half-configured` count: dpkg may run a trigger between unpacking and configuring a
  /// producer and would not run it again afterwards.
  public static let presentStates: Set<String> = [
    "installed", "triggers-pending", "triggers-awaited", "unpacked", "half-configured",
  ]

  /// Reads `DIR/status` and `DIR/updates/NNNN`; `prefix` limits the conffiles kept. dpkg may
  /// be running (the trigger runs inside it) and fold its journal into a new status file while
  /// we read: a journal entry that vanished means starting over, a few times.
  /// `names`, when given, limits the packages kept to those names and to packages with a
  /// conffile under the prefix: the others are skipped on their raw bytes, before any String
  /// or dictionary entry is made for them (most of a large database). nil keeps every package.
  public static func read(dpkgDirectory: String, conffilePrefix: String = ClientPaths.fragmentDirectory + "/", names: Set<String>? = nil) throws(ClientError) -> PackageDatabase {
    var attempt = 0
    while true {
      attempt += 1
      do {
        return try readOnce(dpkgDirectory: dpkgDirectory, conffilePrefix: conffilePrefix, names: names)
      } catch let error as JournalMoved {
        if attempt >= 20 { throw .packageDatabase("\(error.path) changed while being read, 20 times") }
        usleep(20_000)
      } catch {
        throw error as! ClientError
      }
    }
  }

  /// A file of dpkg's database disappeared between listing and opening it.
  struct JournalMoved: Error { var path: String }

  private static func readOnce(dpkgDirectory: String, conffilePrefix: String, names: Set<String>?) throws -> PackageDatabase {
    var database = PackageDatabase(infoDirectory: dpkgDirectory + "/info")
    if let names { database.kept = PackageNameSet(names) }
    let status = dpkgDirectory + "/status"
    guard access(status, F_OK) == 0 else {
      // No dpkg database at all (a bare root): nothing is installed.
      return database
    }
    try database.readStanzas(status, prefix: conffilePrefix)
    let updates = dpkgDirectory + "/updates"
    if let names = try? FileReader.files(in: updates, withSuffix: "") {
      for name in names where name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
        let path = updates + "/" + name
        guard access(path, F_OK) == 0 else { throw JournalMoved(path: path) }
        do { try database.readStanzas(path, prefix: conffilePrefix) } catch {
          if access(path, F_OK) != 0 { throw JournalMoved(path: path) }
          throw error
        }
      }
    }
    for package in database.packages.values where Self.presentStates.contains(package.state) {
      for path in package.conffiles { database.conffileOwners[path] = package.name }
    }
    return database
  }

  init(infoDirectory: String) {
    self.infoDirectory = infoDirectory
  }

  public func isPresent(_ name: String) -> Bool {
    guard let package = packages[name] else { return false }
    return Self.presentStates.contains(package.state)
  }

  public func state(of name: String) -> String? { packages[name]?.state }

  /// The package that ships `path` (as dpkg records it, without a root) as a conffile, in any
  /// state; nil when none does.
  public func conffileOwner(of path: String) -> String? {
    if let owner = conffileOwners[path] { return owner }
    return packages.values.first(where: { $0.conffiles.contains(path) })?.name
  }

  /// The package whose installed version stopped shipping `path` (an obsolete conffile).
  public func formerOwner(of path: String) -> String? {
    packages.values.first(where: { $0.obsoleteConffiles.contains(path) })?.name
  }

  /// Owners from the file lists for paths no conffile entry claims: first the list of the
  /// package the file is named after, then every list (only read when something is unclaimed).
  public func listOwners(of paths: [String]) -> [String: String] {
    var owners: [String: String] = [:]
    var missing = Set(paths)
    for path in paths {
      let base = String(path.split(separator: "/").last ?? "")
      let guess = base.hasSuffix(".conf") ? String(base.dropLast(5)) : base
      guard let package = packages[guess] else { continue }
      for list in listFiles(of: package) where listContains(list, path) {
        owners[path] = package.name
        missing.remove(path)
      }
    }
    guard !missing.isEmpty, let names = try? FileReader.files(in: infoDirectory, withSuffix: ".list") else { return owners }
    let needle = Array(("\n" + ClientPaths.fragmentDirectory + "/").utf8)
    for name in names {
      guard let bytes = try? FileReader.read(infoDirectory + "/" + name, limit: 64 << 20) else { continue }
      let hasFragment = bytes.starts(with: needle.dropFirst()) || Self.contains(bytes, needle)
      guard hasFragment else { continue }
      var package = String(name.dropLast(5))
      if let colon = package.firstIndex(of: ":") { package = String(package[..<colon]) }
      for line in bytes.split(separator: UInt8(ascii: "\n")) {
        let path = String(decoding: line, as: UTF8.self)
        if missing.remove(path) != nil { owners[path] = package }
      }
      if missing.isEmpty { break }
    }
    return owners
  }

  /// A byte search (memmem is a GNU extension Swift does not import): memchr to each line
  /// start, memcmp there.
  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    haystack.withUnsafeBytes { contains($0, needle) }
  }

  static func contains(_ raw: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
    needle.withUnsafeBytes { pattern in
        guard let base = raw.baseAddress, pattern.count > 0, raw.count >= pattern.count else { return false }
        var offset = 0
        let last = raw.count - pattern.count
        while offset <= last {
          guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return false }
          let position = base.distance(to: UnsafeRawPointer(hit))
          if memcmp(base + position, pattern.baseAddress!, pattern.count) == 0 { return true }
          offset = position + 1
        }
        return false
    }
  }

  /// Whether a line of a field value (leading blanks skipped) starts with `prefix`: one memchr
  /// per line, where a search for the prefix's "/" would stop at every slash of every path.
  static func hasLine(_ raw: UnsafeRawBufferPointer, startingWith prefix: [UInt8]) -> Bool {
    guard let base = raw.baseAddress else { return false }
    return prefix.withUnsafeBytes { pattern in
      var offset = 0
      while offset < raw.count {
        while offset < raw.count, raw[offset] == UInt8(ascii: " ") || raw[offset] == UInt8(ascii: "\t") { offset += 1 }
        if raw.count - offset >= pattern.count, memcmp(base + offset, pattern.baseAddress!, pattern.count) == 0 { return true }
        guard let newline = memchr(base + offset, 0x0A, raw.count - offset) else { return false }
        offset = base.distance(to: UnsafeRawPointer(newline)) + 1
      }
      return false
    }
  }

  private func listFiles(of package: Package) -> [String] {
    [infoDirectory + "/" + package.name + ".list", infoDirectory + "/" + package.name + ":" + package.architecture + ".list"]
  }

  private func listContains(_ list: String, _ path: String) -> Bool {
    guard let bytes = try? FileReader.read(list, limit: 64 << 20) else { return false }
    let wanted = Array(path.utf8)
    return bytes.split(separator: UInt8(ascii: "\n")).contains { $0.elementsEqual(wanted) }
  }

  private mutating func readStanzas(_ path: String, prefix: String) throws(ClientError) {
    let prefixBytes = Array(prefix.utf8)
    guard let file = capt_tagfile_open(path) else { throw .packageDatabase("cannot read \(path): \(Self.lastError())") }
    defer { capt_tagfile_close(file) }
    while true {
      let step = capt_tagfile_step(file)
      if step == 0 { break }
      if step < 0 { throw .packageDatabase("\(path): \(Self.lastError())") }
      guard let rawName = Self.rawField(file, "Package"), !rawName.isEmpty else { continue }
      let rawConffiles = Self.rawField(file, "Conffiles")
      let hasFragment = rawConffiles.map { Self.hasLine($0, startingWith: prefixBytes) } ?? false
      if !hasFragment, let kept, !kept.contains(rawName) { continue }
      let name = String(decoding: rawName, as: UTF8.self)
      if hasFragment { kept?.insert(rawName) }  // a later stanza of this name must replace it
      let architecture = Self.field(file, "Architecture") ?? ""
      // "install ok installed": the state is the last word (bytes, not Characters: fast).
      var state = "not-installed"
      if let raw = Self.rawField(file, "Status"), !raw.isEmpty {
        var start = raw.count
        while start > 0, raw[start - 1] != UInt8(ascii: " ") { start -= 1 }
        if start < raw.count { state = String(decoding: UnsafeRawBufferPointer(rebasing: raw[start...]), as: UTF8.self) }
      }
      var conffiles: [String] = []
      var obsolete: [String] = []
      // Only the few packages with a fragment need their Conffiles as text (the search on the
      // raw bytes keeps a 3,000-package database at a few milliseconds).
      if hasFragment, let raw = rawConffiles {
        // " /etc/monitoring-info/x.conf MD5 [obsolete|remove-on-upgrade]", split as bytes.
        for line in raw.split(separator: UInt8(ascii: "\n")) {
          let words = line.split(separator: UInt8(ascii: " "))
          guard let conffile = words.first, conffile.starts(with: prefixBytes) else { continue }
          let path = String(decoding: conffile, as: UTF8.self)
          let flags = words.dropFirst(2).map { String(decoding: $0, as: UTF8.self) }
          if flags.contains(where: { $0 == "obsolete" || $0 == "remove-on-upgrade" }) {
            obsolete.append(path)
          } else {
            conffiles.append(path)
          }
        }
      }
      let package = Package(name: name, architecture: architecture, state: state, conffiles: conffiles, obsoleteConffiles: obsolete)
      if let known = packages[name], known.architecture != architecture,
        Self.presentStates.contains(known.state), !Self.presentStates.contains(state)
      {
        continue  // another architecture of a name that is present elsewhere
      }
      packages[name] = package
    }
  }

  private static func rawField(_ file: OpaquePointer, _ name: String) -> UnsafeRawBufferPointer? {
    var start: UnsafePointer<CChar>?
    var length = 0
    guard capt_tagfile_find(file, name, &start, &length) == 1, let start else { return nil }
    return UnsafeRawBufferPointer(start: start, count: length)
  }

  private static func field(_ file: OpaquePointer, _ name: String) -> String? {
    var start: UnsafePointer<CChar>?
    var length = 0
    guard capt_tagfile_find(file, name, &start, &length) == 1, let start else { return nil }
    return start.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }

  private static func lastError() -> String {
    guard let message = capt_last_error() else { return "unknown error" }
    defer { free(message) }
    return String(cString: message)
  }
}
