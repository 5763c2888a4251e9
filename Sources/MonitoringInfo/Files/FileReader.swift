#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plain POSIX file access: the library stays free of Foundation, which costs start-up time
/// in the short-lived tools (dh_monitoringinfo, the plugin).
public enum FileReader {
  /// Reads a whole file, refusing to read more than `limit` bytes plus one (so the caller can
  /// tell that it is too large without reading all of it).
  public static func read(_ path: String, limit: Int = FragmentParser.maximumFileSize) throws(MonitoringInfoError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: errorText()) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: errorText()) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path: path, reason: "is a directory") }
    // Sized from fstat so a small fragment costs one small allocation; files that grow or
    // report no size (pipes, /proc) are still read to the end, up to the limit.
    let isRegular = (status.st_mode & S_IFMT) == S_IFREG
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
        throw .unreadable(path: path, reason: errorText())
      }
      if count == 0 { break }
      filled += count
      // A regular file read up to the size fstat reported is complete: skipping the read that
      // would return end-of-file saves a system call per fragment (a tenth of bench/lint).
      if isRegular && filled == expected && expected > 0 { break }
      if filled == capacity && capacity <= limit {
        let grown = min(capacity * 2, limit + 1)
        bytes.append(contentsOf: repeatElement(0, count: grown - capacity))
        capacity = grown
      }
    }
    bytes.removeLast(capacity - filled)
    return bytes
  }

  public static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  /// The names of the regular files (or links to them) in `directory` ending in `suffix`, sorted
  /// bytewise like the C locale, as the client reads them.
  public static func files(in directory: String, withSuffix suffix: String) throws(MonitoringInfoError) -> [String] {
    guard let stream = opendir(directory) else { throw .unreadable(path: directory, reason: errorText()) }
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

  private static func errorText() -> String { String(cString: strerror(errno)) }
}

extension SourceFile {
  public static func read(path: String) throws(MonitoringInfoError) -> SourceFile {
    SourceFile(path: path, bytes: try FileReader.read(path))
  }
}
