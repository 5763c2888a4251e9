import CAptPkg
#if canImport(Glibc)
import Glibc
#endif

/// One binary package stanza of debian/control, as debhelper sees it.
public struct BinaryPackage: Equatable, Sendable {
  public var name: String
  public var architecture: String
  public var buildProfiles: String?
  /// `X-DH-Build-For-Type`: "host" (default) or "target".
  public var crossType: String
  /// The Recommends field as written (substvars unexpanded), or nil.
  public var recommends: String? = nil
}

/// The parts of debian/control a debhelper tool needs.
public struct ControlFile: Sendable {
  public var source: String
  public var buildDepends: String
  public var packages: [BinaryPackage]

  public static func read(path: String) throws(DebhelperError) -> ControlFile {
    guard FileSystem.exists(path) else {
      throw .message("\"\(path)\" not found. Are you sure you are in the correct directory?")
    }
    guard let file = capt_tagfile_open(path) else {
      throw .message("cannot read \(path): \(lastAptError())")
    }
    defer { capt_tagfile_close(file) }
    var source: String?
    var buildDepends = ""
    var packages: [BinaryPackage] = []
    var seen: Set<String> = []
    while true {
      let rc = capt_tagfile_step(file)
      if rc < 0 { throw .message("cannot parse \(path): \(lastAptError())") }
      if rc == 0 { break }
      func field(_ name: String) -> String? {
        var start: UnsafePointer<CChar>?
        var length = 0
        guard capt_tagfile_find(file, name, &start, &length) == 1, let start else { return nil }
        let raw = UnsafeRawBufferPointer(start: start, count: length)
        return normalizeFieldValue(String(decoding: raw, as: UTF8.self))
      }
      if source == nil {
        guard let value = field("Source") else {
          throw .message("could not find Source: line in control file.")
        }
        source = value
        buildDepends = [field("Build-Depends"), field("Build-Depends-Arch"), field("Build-Depends-Indep")]
          .compactMap { $0 }.joined(separator: ", ")
        continue
      }
      guard let name = field("Package"), !name.isEmpty else {
        throw .message("Binary paragraph is missing mandatory \"Package\"-field in \(path)")
      }
      if !seen.insert(name).inserted { throw .message("debian/control has a duplicate entry for \(name)") }
      let crossType = field("X-DH-Build-For-Type") ?? "host"
      if crossType != "host" && crossType != "target" {
        throw .message("Unknown value of X-DH-Build-For-Type \"\(crossType)\" for package \(name)")
      }
      packages.append(BinaryPackage(
        name: name, architecture: field("Architecture") ?? "", buildProfiles: field("Build-Profiles"),
        crossType: crossType, recommends: field("Recommends")))
    }
    guard let source else { throw .message("could not find Source: line in control file.") }
    return ControlFile(source: source, buildDepends: buildDepends, packages: packages)
  }

  /// The compat level from `debhelper-compat (= N)` or debian/compat; nil when neither says.
  public func compatLevel(compatFile: String) -> Int? {
    for relation in buildDepends.split(separator: ",") {
      let text = relation.trimmingWhitespace
      guard text.hasPrefix("debhelper-compat") else { continue }
      let digits = text.drop(while: { !$0.isNumber }).prefix(while: { $0.isNumber })
      if let level = Int(digits) { return level }
    }
    if let bytes = try? FileSystem.readIfExists(compatFile) {
      let text = String(decoding: bytes, as: UTF8.self)
      let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
      if let level = Int(firstLine.trimmingWhitespace) { return level }
    }
    return nil
  }
}

/// Joins continuation lines with single spaces and trims, like debhelper's reader does for
/// the single-line fields it uses (Architecture, Build-Profiles, Package).
func normalizeFieldValue(_ raw: String) -> String {
  raw.split(whereSeparator: { $0 == "\n" })
    .map { line -> String in
      var line = line.trimmingWhitespace
      if line == "." { line = "" }
      return line
    }
    .filter { !$0.isEmpty }
    .joined(separator: " ")
}

private func lastAptError() -> String {
  guard let pointer = capt_last_error() else { return "unknown error" }
  defer { free(pointer) }
  return String(cString: pointer)
}

public enum DebhelperError: Error, CustomStringConvertible, Equatable {
  case message(String)
  public var description: String {
    switch self { case let .message(text): text }
  }
}
