import MonitoringInfo

/// Byte-for-byte equivalents of Dh_Lib's `autoscript`, `autotrigger` and `addsubstvar`,
/// plus `install_file`. Paths are relative to `Debhelper.root`.
extension Debhelper {
  func path(_ relative: String) -> String { root == "." ? relative : root + "/" + relative }

  /// Prints a command the way `doit` does under -v.
  public func verbosePrint(_ text: String) {
    if options.verbose { StandardStream.output("\t\(text)\n") }
  }

  /// `autoscript($package, $script, $snippet, { KEY => value })`: wraps the snippet and
  /// appends it to debian/PKG.SCRIPT.debhelper, or prepends it for postrm and prerm.
  public func autoscript(
    package: String, script: String, snippetName: String, snippet: [UInt8], substitutions: [String: String]
  ) throws {
    let outfile = path("debian/\(package).\(script).debhelper")
    let header = Array("# Automatically added by \(toolName)/\(toolVersion)\n".utf8)
    let footer = Array("# End automatically added section\n".utf8)
    let body = Self.substitute(snippet, substitutions)
    if (script == "postrm" || script == "prerm"), FileSystem.exists(outfile) {
      verbosePrint("[META] Prepend autosnippet \"\(snippetName)\" to \(script) [\(outfile).new]")
      if options.noAct { return }
      let existing = try FileSystem.read(outfile)
      try FileSystem.write(outfile + ".new", header + body + footer + existing)
      try renamePath(outfile + ".new", outfile)
    } else {
      verbosePrint("[META] Append autosnippet \"\(snippetName)\" to \(script) [\(outfile)]")
      if options.noAct { return }
      try FileSystem.write(outfile, header + body + footer, append: true)
    }
  }

  /// autoscript's hashref form: `s/#(KEY1|KEY2)#/value/eg` on every line.
  static func substitute(_ snippet: [UInt8], _ substitutions: [String: String]) -> [UInt8] {
    guard !substitutions.isEmpty else { return snippet }
    let keys = substitutions.keys.sorted(by: >).map { Array($0.utf8) }
    var out: [UInt8] = []
    out.reserveCapacity(snippet.count)
    var i = 0
    let hash = UInt8(ascii: "#")
    outer: while i < snippet.count {
      if snippet[i] == hash {
        for key in keys {
          let end = i + 1 + key.count
          if end < snippet.count, snippet[end] == hash, Array(snippet[(i + 1)..<end]) == key {
            out += Array(substitutions[String(decoding: key, as: UTF8.self)]!.utf8)
            i = end + 1
            continue outer
          }
        }
      }
      out.append(snippet[i])
      i += 1
    }
    return out
  }

  /// `autotrigger($package, $type, $target)`.
  public func autotrigger(package: String, type: String, target: String) throws {
    if options.noAct { return }
    let dir = path("debian/.debhelper/generated/\(package)")
    try FileSystem.makeDirectories(dir)
    let file = dir + "/triggers"
    var out: [UInt8] = []
    if let existing = try FileSystem.readIfExists(file) {
      for line in Self.lines(existing) where !Self.isTriggerLine(line, type: type, target: target) {
        out += line
      }
    }
    out += Array("# Triggers added by \(toolName)/\(toolVersion)\n\(type) \(target)\n".utf8)
    try FileSystem.write(file + ".new", out)
    try renamePath(file + ".new", file)
  }

  /// `m{\A TYPE \s+ TARGET (?:\s|\Z)}x`
  static func isTriggerLine(_ line: [UInt8], type: String, target: String) -> Bool {
    let t = Array(type.utf8), g = Array(target.utf8)
    guard line.starts(with: t) else { return false }
    var i = t.count
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d || $0 == 0x0c || $0 == 0x0b }
    guard i < line.count, isSpace(line[i]) else { return false }
    while i < line.count, isSpace(line[i]) { i += 1 }
    guard line[i...].starts(with: g) else { return false }
    i += g.count
    return i == line.count || isSpace(line[i])
  }

  /// Splits keeping the newline on each line (Perl's `<$fd>`).
  static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0a {
      result.append(Array(bytes[start...i]))
      start = i + 1
    }
    if start < bytes.count { result.append(Array(bytes[start...])) }
    return result
  }

  /// `addsubstvar($package, $substvar, $deppackage)`.
  public func addsubstvar(package: String, substvar: String, value: String) throws {
    let file = path("debian/\(package).substvars")
    var lines: [[UInt8]] = []
    var changed = false
    var present = false
    let key = Array(substvar.utf8)
    if let existing = try FileSystem.readIfExists(file) {
      for var line in Self.lines(existing) {
        if line.last == 0x0a { line.removeLast() }
        let updated = Self.updateSubstvarLine(line, key: key, value: value, present: &present)
        if updated != line { changed = true }
        lines.append(updated)
      }
    }
    if !present {
      lines.append(key + Array("=\(value)".utf8))
      changed = true
    }
    if changed && !options.noAct {
      var out: [UInt8] = []
      for line in lines { out += line; out.append(0x0a) }
      try FileSystem.write(file + ".new", out)
      try renamePath(file + ".new", file)
    }
  }

  /// `rename_path`, which logs the move as `mv FROM TO` under -v.
  func renamePath(_ from: String, _ to: String) throws {
    verbosePrint("mv \(from) \(to)")
    try FileSystem.rename(from, to)
  }

  static func updateSubstvarLine(_ line: [UInt8], key: [UInt8], value: String, present: inout Bool) -> [UInt8] {
    guard line.starts(with: key) else { return line }
    var i = key.count
    var assignment: [UInt8] = []
    if i < line.count, line[i] == UInt8(ascii: "?") { assignment.append(line[i]); i += 1 }
    guard i < line.count, line[i] == UInt8(ascii: "=") else { return line }
    assignment.append(line[i])
    i += 1
    present = true
    let current = String(decoding: line[i...], as: UTF8.self)
    var items = Set(perlSplit(current, ", "))
    if !items.isEmpty && items.contains(value) { return line }
    items.insert(value)
    let joined = items.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.joined(separator: ", ")
    return key + assignment + Array(joined.utf8)
  }

  /// Perl's `split(", ", $s)`: trailing empty fields dropped.
  static func perlSplit(_ s: String, _ separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(s)
    while let range = rest.range(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    while let last = parts.last, last.isEmpty { parts.removeLast() }
    return parts
  }

  /// `install_dir` + `install_file` (`install -p -m0644`), or another mode; `bytes` are the
  /// source's contents when the caller has read them already.
  public func installFile(from source: String, bytes: [UInt8]? = nil, to destination: String, mode: UInt32 = 0o644) throws {
    let directory = String(destination[..<(destination.lastIndex(of: "/") ?? destination.startIndex)])
    verbosePrint("install -m0755 -d \(directory)")
    verbosePrint("install -p -m0\(String(mode, radix: 8)) \(source) \(destination)")
    if options.noAct { return }
    try FileSystem.makeDirectories(path(directory))
    let bytes = try bytes ?? FileSystem.read(path(source))
    try FileSystem.write(path(destination), bytes, mode: 0o600)
    try FileSystem.chmod(path(destination), mode)
    try FileSystem.copyTimes(from: path(source), to: path(destination))
  }

  /// Adds `PACKAGE: HINT` to the package's lintian overrides
  /// (`usr/share/lintian/overrides/PACKAGE`, where dh_lintian installs the maintainer's own,
  /// which are kept) unless that override is there already.
  public func addLintianOverride(package: String, _ hint: String) throws {
    let directory = "\(tmpdir(package))/usr/share/lintian/overrides"
    let file = "\(directory)/\(package)"
    let line = "\(package): \(hint)"
    let existing = try FileSystem.readIfExists(path(file)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let present = existing.split(separator: "\n").contains { entry in
      let trimmed = entry.drop { $0 == " " }
      return trimmed == line || trimmed == hint
    }
    if present { return }
    verbosePrint("echo '\(line)' >> \(file)")
    if options.noAct { return }
    try FileSystem.makeDirectories(path(directory))
    let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
    try FileSystem.write(path(file), Array((separator + line + "\n").utf8), append: true, mode: 0o644)
    // dh_fixperms has run already (this tool runs after it): the mode is set here, whatever the umask.
    try FileSystem.chmod(path(file), 0o644)
  }

  /// Appends the tool's name to debian/PKG.debhelper.log for each acted-on package.
  public func writeLog() throws {
    guard writesLog else { return }
    for package in packages {
      try FileSystem.write(path("debian/\(package).debhelper.log"), Array("\(toolName)\n".utf8), append: true)
    }
  }

  public func warning(_ message: String) {
    StandardStream.error("\(toolName): warning: \(message)\n")
  }
}
