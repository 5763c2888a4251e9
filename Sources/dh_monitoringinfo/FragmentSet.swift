import DebhelperSupport
import MonitoringInfo

/// One fragment this run installs.
struct Fragment {
  var package: String
  var path: String
  var bytes: [UInt8]
  /// The installed name, PACKAGE.conf or NAME.conf.
  var conf: String
  var outcome: FragmentOutcome
}

/// Everything that will be in /etc/monitoring-info from this source: what the packages'
/// build directories already hold (other packages, earlier `--name` runs) and what this run
/// installs, which replaces a file of the same name.
func fragmentSet(_ dh: Debhelper, _ work: [Fragment]) -> [FragmentCheck.Member] {
  var members: [FragmentCheck.Member] = []
  for package in dh.control.packages.map(\.name) {
    let new = work.filter { $0.package == package }
    let directory = (new.isEmpty ? "debian/\(package)" : dh.tmpdir(package)) + "/" + fragmentDirectory
    let replaced = Set(new.map(\.conf))
    for name in (try? FileReader.files(in: directory, withSuffix: ".conf")) ?? [] where !replaced.contains(name) {
      let path = directory + "/" + name
      guard let bytes = try? FileReader.read(path) else { continue }
      let report = FragmentValidator(hostName: nil).validate(SourceFile(path: path, bytes: bytes))
      members.append(.init(package: package, report: report, isNew: false))
    }
    members += new.map { .init(package: package, report: $0.outcome.report, isNew: true) }
  }
  return members
}

/// How a maintainer's triggers file names the trigger: the line number and the directive
/// (dh_installdeb would otherwise concatenate a duplicate line, which lintian rejects).
func triggerDeclaration(_ bytes: [UInt8], _ name: String) -> (line: Int, directive: String)? {
  let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
  for (index, line) in lines.enumerated() {
    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    if fields.count >= 2 && !fields[0].hasPrefix("#") && fields[1] == Substring(name) {
      return (index + 1, String(fields[0]))
    }
  }
  return nil
}
