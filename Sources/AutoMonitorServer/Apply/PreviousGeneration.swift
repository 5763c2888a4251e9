import Glibc
import MonitoringInfo

/// The live generation an apply builds on: `hosts/HOST.SUFFIX`, `templates/templates.SUFFIX`,
/// the generated files beside them, the overrides applied and the manifest. Host files are read
/// only when asked for (an apply usually needs a few of ten thousand), and read once.
final class PreviousGeneration {
  /// Per host, the identity of the registration its generation file was rendered from.
  static let manifestName = "rendered-from.list"
  static let overridesName = "overrides.applied"

  let directory: String?
  let suffix: String
  let names: Set<String>
  let templates: [UInt8]?
  let overrides: [UInt8]?
  private var cache: [String: [UInt8]] = [:]

  init(directory: String?, suffix: String) {
    self.directory = directory
    self.suffix = suffix
    guard let directory else {
      names = []
      templates = nil
      overrides = nil
      return
    }
    let files = (try? FileReader.files(in: directory + "/hosts", withSuffix: suffix)) ?? []
    names = Set(files.map { String($0.dropLast(suffix.utf8.count)) })
    templates = try? FileReader.read(directory + "/templates/templates" + suffix, limit: 1 << 22)
    // A generation from before overrides were recorded counts as "no overrides".
    overrides = (try? FileReader.read(directory + "/templates/" + Self.overridesName, limit: 1 << 20)) ?? []
  }

  /// A generated file beside the templates (nil when absent).
  func generated(_ name: String) -> [UInt8]? {
    guard let directory else { return nil }
    return try? FileReader.read(directory + "/templates/" + name, limit: 1 << 22)
  }

  func file(_ host: String) -> [UInt8]? {
    guard let directory, names.contains(host) else { return nil }
    if let bytes = cache[host] { return bytes }
    guard let bytes = try? FileReader.read(directory + "/hosts/" + host + suffix, limit: 1 << 22) else { return nil }
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
