// The file operations a debhelper tool needs, as Dh_Lib does them (umask applies, no fsync),
// over the system layer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MonitoringInfo

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

  /// The whole file, or nil when it does not exist; other failures throw. Read by the one
  /// file reader (FileReader), which refuses what is not a regular file.
  public static func readIfExists(_ path: String) throws -> [UInt8]? {
    if !exists(path) && errno == ENOENT { return nil }
    return try FileReader.read(path, limit: 1 << 30)
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

  public static func listDirectory(_ path: String) -> [String] { FileReader.entries(in: path) }
}

/// Runs a program and returns its standard output (trailing newline removed), or nil on failure.
public func captureOutput(_ arguments: [String]) -> String? {
  guard let result = try? Subprocess.run(arguments[0], Array(arguments.dropFirst())), result.status == 0 else { return nil }
  var text = result.stdoutText
  while text.hasSuffix("\n") { text.removeLast() }
  return text
}
