import Glibc
import MonitoringInfo

/// The process a daemon's pid file names, while it runs (nil: no file, no number, or gone).
/// Its first line only: Debian's init scripts end it with a newline.
func runningProcess(pidFile path: String) -> pid_t? {
  guard let bytes = try? FileReader.read(path, limit: 64),
    let pid = Int32(String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self).trimmingWhitespace),
    pid > 1, kill(pid, 0) == 0
  else { return nil }
  return pid
}
