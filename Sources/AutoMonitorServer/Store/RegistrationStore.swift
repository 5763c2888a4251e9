import Glibc
import MonitoringInfo

/// `registrations/HOST.json`: the last accepted payload, 0640 group nagios (it may hold
/// passwords the plugin needs; the directory is setgid nagios, so files get that group without
/// the writer being in it). The backends render their objects from these files.
public struct RegistrationStore: Sendable {
  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  public func read(_ host: String) -> [UInt8]? {
    try? FileReader.read(settings.registration(host), limit: RegistrationPayload.maximumSize * 2)
  }

  public func payload(_ host: String) -> RegistrationPayload? {
    guard let bytes = read(host) else { return nil }
    return try? RegistrationPayload.parse(bytes)
  }

  public func hosts() -> [String] {
    ((try? FileReader.files(in: settings.registrations, withSuffix: ".json")) ?? [])
      .map { String($0.dropLast(5)) }.filter(HostName.isValid)
  }

  /// Seconds since the epoch of the last accepted registration.
  public func modified(_ host: String) -> Int? {
    var status = stat()
    return stat(settings.registration(host), &status) == 0 ? Int(status.st_mtim.tv_sec) : nil
  }

  public func store(_ host: String, registration: [UInt8]) throws(ServerError) {
    try serverError { try AtomicFile.write(registration, to: settings.registration(host)) }
  }

  public func remove(_ host: String) throws(ServerError) {
    try serverError { try AtomicFile.remove(settings.registration(host)) }
  }

  /// Tells the watcher that an apply is due (it waits for this file with inotify).
  public func requestApply() throws(ServerError) {
    let fd = open(settings.applyMark, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o660)
    guard fd >= 0 else { throw ServerError("cannot write \(settings.applyMark): \(errnoText())") }
    _ = FileWriter.writeAll(Array("\(time(nil))\n".utf8), to: fd)
    close(fd)
  }
}
