/// dpkg's architecture matching (Dpkg::Arch::debarch_is), driven by dpkg's own
/// cputable and tupletable so that wildcards like `linux-any` or `any-arm` agree with dpkg.
public struct ArchitectureTable: Sendable {
  /// Debian architecture name -> (abi, libc, os, cpu).
  var tuples: [String: [String]] = [:]

  public static let systemDirectory = "/usr/share/dpkg"

  public init(directory: String = ArchitectureTable.systemDirectory) {
    var cpus: [String] = []
    if let bytes = try? FileSystem.readIfExists(directory + "/cputable") {
      for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
        if let cpu = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first { cpus.append(String(cpu)) }
      }
    }
    guard let bytes = try? FileSystem.readIfExists(directory + "/tupletable") else { return }
    var reverse: Set<String> = []
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 2 else { continue }
      let tuple = String(fields[0]), arch = String(fields[1])
      if tuple.contains("<cpu>") {
        for cpu in cpus {
          let t = tuple.replacingAll("<cpu>", with: cpu), a = arch.replacingAll("<cpu>", with: cpu)
          if tuples[a] != nil || reverse.contains(t) { continue }
          tuples[a] = t.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
          reverse.insert(t)
        }
      } else {
        tuples[arch] = tuple.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        reverse.insert(tuple)
      }
    }
  }

  public func tuple(_ arch: String) -> [String]? {
    var arch = arch
    if arch.hasPrefix("linux-") {
      arch = String(arch.dropFirst(6).prefix(while: { $0 != "-" }))
    }
    return tuples[arch]
  }

  func wildcardTuple(_ alias: String) -> [String]? {
    let parts = alias.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
    guard parts.contains("any") else { return tuple(alias) }
    switch parts.count {
    case 4: return parts
    case 3: return ["any"] + parts
    case 2: return ["any", "any"] + parts
    default: return ["any", "any", "any", "any"]
    }
  }

  /// `debarch_is(real, alias)`.
  public func matches(_ real: String, _ alias: String) -> Bool {
    if alias == real || alias == "any" { return true }
    guard let r = tuple(real), let a = wildcardTuple(alias), r.count == 4, a.count == 4 else { return false }
    return (0..<4).allSatisfy { a[$0] == r[$0] || a[$0] == "any" }
  }

  /// debhelper's `samearch`: does `arch` match any item of a white-space separated list?
  public func matchesAny(_ arch: String, list: String) -> Bool {
    list.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains { matches(arch, String($0)) }
  }

  /// The OS part of an architecture, as DEB_HOST_ARCH_OS.
  public func os(of arch: String) -> String? { tuple(arch)?[2] }
}

/// Build-Profiles restriction formulas (Dpkg::BuildProfiles).
public enum BuildProfiles {
  public static func parse(_ field: String) -> [[String]] {
    var s = Substring(field.trimmingWhitespace)
    if s.hasPrefix("<") && s.hasSuffix(">") { s = s.dropFirst().dropLast() }
    var lists: [[String]] = []
    var current = ""
    var i = s.startIndex
    // Split on ">\s+<" (with optional spaces around).
    while i < s.endIndex {
      if s[i] == ">" {
        lists.append(current.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        current = ""
        i = s.index(after: i)
        while i < s.endIndex, s[i] == " " || s[i] == "\t" || s[i] == "<" { i = s.index(after: i) }
        continue
      }
      current.append(s[i])
      i = s.index(after: i)
    }
    lists.append(current.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    return lists.filter { !$0.isEmpty }
  }

  public static func evaluate(_ formula: [[String]], active: Set<String>) -> Bool {
    formula.contains { list in
      list.allSatisfy { term in
        term.hasPrefix("!") ? !active.contains(String(term.dropFirst())) : active.contains(term)
      }
    }
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = self[...]
    while let range = rest.range(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}

extension Substring {
  func range(of target: String) -> Range<Index>? {
    let t = Array(target.utf8)
    let u = self.utf8
    var i = u.startIndex
    while i != u.endIndex {
      var j = i, k = 0
      while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
      if k == t.count { return i..<j }
      i = u.index(after: i)
    }
    return nil
  }
}
