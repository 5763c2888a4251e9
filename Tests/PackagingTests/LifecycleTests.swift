import Foundation
import Testing
import TestKit

/// Install the previous build, upgrade to this one, remove, purge: each package in a dpkg root
/// of its own, with the maintainer scripts run for real (`DPKG_ROOT`).
@Suite struct LifecycleTests {
  @Test(arguments: try PackageBuild.expectedPackages)
  func installUpgradeRemovePurge(_ package: String) throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }

    try root.dpkg(["-i", built.deb(package, previous: true).path])
    #expect(try root.status(package) == "install ok installed \(built.previousVersion)")

    try root.dpkg(["-i", built.deb(package).path])
    #expect(try root.status(package) == "install ok installed \(built.version)")
    let shipped = try listing(built.deb(package)).filter { !$0.isEmpty && $0 != "." }
    for path in shipped {
      #expect(root.exists(path), "\(package): \(path) missing after the upgrade")
    }

    let conffiles = try shell(
      "dpkg-deb --ctrl-tarfile \"$D\" | tar -xOf - ./conffiles 2>/dev/null || true", ["D": built.deb(package).path]
    ).split(separator: "\n").map { String($0.dropFirst()) }
    try root.dpkg(["-r", package])
    // dpkg keeps a package's record after -r only when something of it stays (conffiles, a postrm).
    let removed = try root.status(package)
    if !conffiles.isEmpty { #expect(removed.hasPrefix("deinstall ok config-files"), "\(removed)") }
    #expect(removed.isEmpty || removed.hasPrefix("deinstall ok"), "\(removed)")
    for conffile in conffiles {
      #expect(root.exists(conffile), "\(package): conffile \(conffile) must survive dpkg -r")
    }
    let programs = shipped.filter { $0.hasPrefix("usr/bin/") || $0.hasPrefix("usr/sbin/") || $0.hasPrefix("usr/lib/nagios/plugins/") }
    for program in programs {
      #expect(!root.exists(program), "\(package): \(program) left after dpkg -r")
    }

    try root.dpkg(["-P", package])
    #expect(try root.status(package) == "")
    let left = try root.contents()
    #expect(left.isEmpty, "\(package): left after purge: \(left.sorted())")
  }

  /// The installed dh-monitoringinfo works from its installed paths: the wrapper finds the
  /// program in /usr/libexec, the linter runs, the addon module is where dh looks for it.
  @Test func installedToolsRun() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    try root.dpkg(["-i", built.deb("dh-monitoringinfo").path])

    let help = try runProgram(root.path.appendingPathComponent("usr/bin/dh_monitoringinfo").path, ["--help"])
    #expect(help.status == 0, "\(help.stderr)")
    #expect(help.stdout.contains("dh_monitoringinfo"))

    let example = BuildPaths.packageRoot.appendingPathComponent("examples/apache2.conf").path
    let lint = try runProgram(root.path.appendingPathComponent("usr/bin/monitoring-info-lint").path, [example])
    #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
    let broken = BuildPaths.packageRoot.appendingPathComponent("examples/typical-mistakes.conf").path
    let findings = try runProgram(root.path.appendingPathComponent("usr/bin/monitoring-info-lint").path, [broken])
    #expect(findings.status == 2)

    // dh finds the addon through Build-Depends: dh-sequence-monitoringinfo and runs the tool
    // right after dh_fixperms (so a password fragment keeps its mode 0600).
    let sample = try temporaryDirectory("mi-dh-sample")
    defer { try? FileManager.default.removeItem(at: sample) }
    try shell("cp -R \"$EX\"/. \"$S\"/", ["EX": BuildPaths.packageRoot.appendingPathComponent("examples/hello-monitored").path, "S": sample.path])
    let sequence = try shell(
      "cd \"$S\" && PATH=\"$R/usr/bin:$PATH\" PERL5LIB=\"$R/usr/share/perl5\" dh binary --no-act",
      ["S": sample.path, "R": root.path.path])
    let commands = sequence.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let fixperms = commands.firstIndex { $0.hasPrefix("dh_fixperms") }
    let ours = commands.firstIndex { $0.hasPrefix("dh_monitoringinfo") }
    #expect(fixperms != nil && ours == fixperms.map { $0 + 1 }, "\(sequence)")
  }

  /// The plugin runs from its installed path without the Swift toolchain's libraries.
  @Test func installedPluginRuns() throws {
    let built = try PackageBuild.shared()
    let root = try DpkgRoot()
    defer { root.remove() }
    try root.dpkg(["-i", built.deb("auto-monitor-plugins").path])
    let plugin = root.path.appendingPathComponent("usr/lib/nagios/plugins/check_monitoring_info").path
    let libraries = try shell("ldd \"$P\"", ["P": plugin])
    #expect(!libraries.contains("swift"), "\(libraries)")
    let usage = try runProgram(plugin, ["--help"])
    #expect(usage.stdout.contains("--registration"), "\(usage.stdout)\(usage.stderr)")
  }
}
