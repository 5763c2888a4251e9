// Thin, Foundation-free wrappers over the few POSIX calls a debhelper tool needs.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MonitoringInfo

public struct SystemError: Error, CustomStringConvertible, Equatable {
  public let operation: String
  public let path: String
  public let code: Int32
  public init(_ operation: String, _ path: String, code: Int32 = errno) {
    self.operation = operation
    self.path = path
    self.code = code
  }
  public var description: String {
    "\(operation)(\(path)): \(String(cString: strerror(code)))"
  }
}

public enum FileSystem {
  public static func exists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
  }

  public static func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
  }

  public static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  /// The whole file, or nil when it does not exist; other failures throw.
  public static func readIfExists(_ path: String) throws -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw SystemError("open", path)
    }
    defer { close(fd) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SystemError("read", path)
      }
      if n == 0 { break }
      result.append(contentsOf: buffer[0..<n])
    }
    return result
  }

  public static func read(_ path: String) throws -> [UInt8] {
    guard let bytes = try readIfExists(path) else { throw SystemError("open", path, code: ENOENT) }
    return bytes
  }

  /// Writes (truncating or appending) with the given creation mode (umask applies, as with Perl's open).
  public static func write(_ path: String, _ bytes: [UInt8], append: Bool = false, mode: mode_t = 0o666) throws {
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
    let fd = open(path, flags, mode)
    if fd < 0 { throw SystemError("open", path) }
    if let code = FileWriter.writeAll(bytes, to: fd) {
      close(fd)
      throw SystemError("write", path, code: code)
    }
    if close(fd) != 0 { throw SystemError("close", path) }
  }

  public static func rename(_ from: String, _ to: String) throws {
    if Glibc.rename(from, to) != 0 { throw SystemError("rename", from) }
  }

  public static func chmod(_ path: String, _ mode: mode_t) throws {
    if Glibc.chmod(path, mode) != 0 { throw SystemError("chmod", path) }
  }

  /// `mkdir -p` with mode 0755 (before umask) for each created directory.
  public static func makeDirectories(_ path: String) throws {
    if isDirectory(path) { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir", prefix) }
      prefix += "/"
    }
  }

  /// Copies the modification time of `source` onto `destination` (as `install -p` does).
  public static func copyTimes(from source: String, to destination: String) throws {
    var st = stat()
    if stat(source, &st) != 0 { throw SystemError("stat", source) }
    var times = [st.st_atim, st.st_mtim]
    if utimensat(AT_FDCWD, destination, &times, 0) != 0 { throw SystemError("utimensat", destination) }
  }

  public static func listDirectory(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}

/// Runs a program and returns its standard output (trailing newline removed), or nil on failure.
public func captureOutput(_ arguments: [String]) -> String? {
  var pipeFds: [Int32] = [0, 0]
  guard pipe(&pipeFds) == 0 else { return nil }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1)
  posix_spawn_file_actions_addclose(&actions, pipeFds[0])
  posix_spawn_file_actions_addclose(&actions, pipeFds[1])
  var cArgs: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
  defer { for arg in cArgs { free(arg) } }
  var pid = pid_t()
  let rc = posix_spawnp(&pid, arguments[0], &actions, nil, &cArgs, environ)
  close(pipeFds[1])
  guard rc == 0 else { close(pipeFds[0]); return nil }
  var output: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = buffer.withUnsafeMutableBytes { read(pipeFds[0], $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    if n <= 0 { break }
    output.append(contentsOf: buffer[0..<n])
  }
  close(pipeFds[0])
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  guard status == 0 else { return nil }
  var text = String(decoding: output, as: UTF8.self)
  while text.hasSuffix("\n") { text.removeLast() }
  return text
}
