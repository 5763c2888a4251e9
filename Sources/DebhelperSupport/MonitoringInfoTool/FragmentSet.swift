
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
    let directory = (new.isEmpty ? "debian/\(package)" : dh.tmpdir(package)) + "/" + PackageFacts.fragmentDirectory
    let replaced = Set(new.map(\.conf))
    for name in (try? FileReader.files(in: directory, withSuffix: ".conf")) ?? [] where !replaced.contains(name) {
      let path = directory + "/" + name
      guard let bytes = try? FileReader.read(path) else { continue }
      let file = SourceFile(path: maintainerFile(dh, package, conf: name, bytes: bytes) ?? path, bytes: bytes)
      members.append(.init(package: package, report: FragmentValidator(hostName: nil).validate(file), isNew: false))
    }
    members += new.map { .init(package: package, report: $0.outcome.report, isNew: true) }
  }
  return members
}

/// The file in debian/ that an earlier run installed as `conf`: the one a run without --name,
/// or with --name=NAME for NAME.conf, finds, if it still holds the installed bytes. Messages
/// then point to what the maintainer edits; a file installed some other way keeps its own path.
func maintainerFile(_ dh: Debhelper, _ package: String, conf: String, bytes: [UInt8]) -> String? {
  let stem = String(conf.dropLast(".conf".count))
  let names: [String?] = stem == package ? [nil, stem] : [stem]
  for name in names {
    guard let path = dh.pkgfile(package, "monitoring-info", name: name),
      (try? FileReader.read(path)) == bytes
    else { continue }
    return path
  }
  return nil
}
