import Glibc
import MonitoringInfo

/// The live generation an apply builds on. Host files are read only when asked for (an apply
/// usually needs a few of ten thousand), and read once.
final class PreviousGeneration {
  /// Per host, the identity of the host file its generation file was rendered from.
  static let manifestName = "rendered-from.list"

  let directory: String?
  let names: Set<String>
  let templates: [UInt8]?
  let overrides: [UInt8]?
  private var cache: [String: [UInt8]] = [:]

  init(directory: String?) {
    self.directory = directory
    guard let directory else {
      names = []
      templates = nil
      overrides = nil
      return
    }
    let files = (try? FileReader.files(in: directory + "/hosts", withSuffix: ".cfg")) ?? []
    names = Set(files.map { String($0.dropLast(4)) })
    templates = try? FileReader.read(directory + "/templates/templates.cfg", limit: 1 << 22)
    // A generation from before overrides were recorded counts as "no overrides".
    overrides = (try? FileReader.read(directory + "/templates/overrides.applied", limit: 1 << 20)) ?? []
  }

  func file(_ host: String) -> [UInt8]? {
    guard let directory, names.contains(host) else { return nil }
    if let bytes = cache[host] { return bytes }
    guard let bytes = try? FileReader.read(directory + "/hosts/" + host + ".cfg", limit: 1 << 22) else { return nil }
    cache[host] = bytes
    return bytes
  }

  /// `HOST IDENTITY` lines; a missing or damaged list only means every host is rendered again.
  func manifest() -> [String: String] {
    guard let directory, let bytes = try? FileReader.read(directory + "/templates/" + Self.manifestName, limit: 1 << 26) else {
      return [:]
    }
    var result: [String: String] = [:]
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      let fields = line.split(separator: UInt8(ascii: " "))
      guard fields.count == 2 else { continue }
      result[String(decoding: fields[0], as: UTF8.self)] = String(decoding: fields[1], as: UTF8.self)
    }
    return result
  }
}
