/// `E: PACKAGE: tag note [path:line]`, as lintian prints hints.
enum LintianRenderer {
  static func line(_ diagnostic: Diagnostic, package: String?) -> String {
    let path = singleLine(diagnostic.path)
    let pointer = diagnostic.line == 0 ? path : "\(path):\(diagnostic.line)"
    let name = singleLine(package ?? packageName(fromPath: diagnostic.path))
    return "\(diagnostic.severity.lintianCode): \(name): \(diagnostic.tag) \(singleLine(diagnostic.note)) [\(pointer)]\n"
  }

  /// `debian/apache2.monitoring-info` and `/etc/monitoring-info/apache2.conf` both name apache2.
  static func packageName(fromPath path: String) -> String {
    var name = Substring(path.split(separator: "/").last ?? Substring(path))
    for suffix in [".monitoring-info", ".conf"] where name.hasSuffix(suffix) {
      name = name.dropLast(suffix.count)
    }
    return name.isEmpty ? "monitoring-info" : String(name)
  }
}
