
import MonitoringInfo

/// Warnings for the files in debian/ that no run of this tool would install: named for a
/// package debian/control does not have, or a debian/monitoring-info the lookup never reaches.
/// Every package of debian/control counts, also those this run does not build (-a, -i, -p, -N,
/// architecture, build profile): they exist. See docs/format-reference.md
/// (monitoring-info-unused-fragment).
func unusedFragmentWarnings(_ dh: Debhelper) -> [String] {
  let debian = "\(dh.root)/debian"
  let entries = FileSystem.listDirectory(debian).filter {
    $0.contains("monitoring-info") && FileSystem.isRegularFile("\(debian)/\($0)")
  }
  guard !entries.isEmpty else { return [] }
  // debian/NAME.monitoring-info is the main package's file for a run with --name=NAME.
  let names = ((try? FileSystem.readIfExists("\(debian)/rules")) ?? nil).map(UnusedFragments.names(inRules:)) ?? []
  return UnusedFragments.find(
    entries: entries, packages: dh.control.packages.map(\.name), mainPackage: dh.mainPackage, names: names
  ).map { "\($0.gnuDescription) [\($0.tag)]" }
}
