#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plain POSIX file access: the library stays free of Foundation, which costs start-up time
/// in the short-lived tools (dh_monitoringinfo, the plugin).
public enum FileReader {
  /// Reads a whole regular file (or one a symlink points to), refusing to read more than
  /// `limit` bytes plus one (so the caller can tell that it is too large without reading all of
  /// it). Anything else is refused before a byte is read: opening a FIFO would block until a
  /// writer comes, a device may never end.
  public static func read(_ path: String, limit: Int = FragmentParser.maximumFileSize) throws(MonitoringInfoError) -> [UInt8] {
    // O_NONBLOCK so that open() itself returns for a FIFO; it changes nothing for the regular
    // files that pass the check below.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: errnoText()) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: errnoText()) }
    if let kind = nonRegularKind(status.st_mode) { throw .unreadable(path: path, reason: "not a regular file (\(kind))") }
    // Sized from fstat so a small fragment costs one small allocation; files that grow or
    // report no size (/proc) are still read to the end, up to the limit.
    let expected = Int(status.st_size)
    var capacity = min(max(expected, 0), limit) + 1
    var bytes = [UInt8](repeating: 0, count: capacity)
    var filled = 0
    while filled < capacity {
      let count = bytes.withUnsafeMutableBufferPointer { buffer in
        Glibc.read(descriptor, buffer.baseAddress! + filled, capacity - filled)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: errnoText())
      }
      if count == 0 { break }
      filled += count
      // A regular file read up to the size fstat reported is complete: skipping the read that
      // would return end-of-file saves a system call per fragment (a tenth of bench/lint).
      if filled == expected && expected > 0 { break }
      if filled == capacity && capacity <= limit {
        let grown = min(capacity * 2, limit + 1)
        bytes.append(contentsOf: repeatElement(0, count: grown - capacity))
        capacity = grown
      }
    }
    bytes.removeLast(capacity - filled)
    return bytes
  }

  /// What a file of this mode is, or nil for a regular file.
  static func nonRegularKind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    default: "of an unknown type"
    }
  }

  public static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  /// Every name in `directory` but `.` and `..`, of any type, sorted bytewise; empty when it
  /// cannot be read.
  public static func entries(in directory: String) -> [String] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted { left, right in
      left.withCString { l in right.withCString { r in strcmp(l, r) < 0 } }
    }
  }

  /// What the symbolic link `path` points at, as written (nil when it is no link).
  public static func symlinkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The names of the regular files (or links to them) in `directory` ending in `suffix`, sorted
  /// bytewise like the C locale, as the client reads them.
  public static func files(in directory: String, withSuffix suffix: String) throws(MonitoringInfoError) -> [String] {
    guard let stream = opendir(directory) else { throw .unreadable(path: directory, reason: errnoText()) }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard name.hasSuffix(suffix), name.utf8.count > suffix.utf8.count, !name.hasPrefix(".") else { continue }
      let type = entry.pointee.d_type
      if type == UInt8(DT_REG) || ((type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN)) && !isDirectory(directory + "/" + name)) {
        names.append(name)
      }
    }
    // strcmp order (the C locale): String's own comparison is Unicode-aware and much slower.
    return names.sorted { left, right in
      left.withCString { l in right.withCString { r in strcmp(l, r) < 0 } }
    }
  }

}

extension SourceFile {
  public static func read(path: String) throws(MonitoringInfoError) -> SourceFile {
    SourceFile(path: path, bytes: try FileReader.read(path))
  }
}
