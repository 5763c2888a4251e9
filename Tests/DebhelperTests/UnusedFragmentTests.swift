import Foundation
import Testing

/// Fragments in debian/ that debhelper's lookup never uses: named for a package that does not
/// exist, or a bare debian/monitoring-info beside the first package's own file. The build goes
/// on with a warning; a file that is used, or belongs to a package this run does not build, is
/// never warned about.
@Suite struct UnusedFragmentTests {
  static let tag = "[monitoring-info-unused-fragment]"

  /// A copy of a fixture with files removed, added and renamed in debian/.
  func tree(
    _ fixture: String, _ label: String, remove: [String] = [], files: [String: String] = [:],
    rename: [String: String] = [:]
  ) throws -> (URL, URL) {
    let dir = try makeTemporaryDirectory(label)
    let source = try copyFixture(fixture, into: dir, as: fixture == "lifecycle" ? "mi-producer" : nil)
    let debian = source.appendingPathComponent("debian")
    for name in remove { try FileManager.default.removeItem(at: debian.appendingPathComponent(name)) }
    for (from, to) in rename {
      try FileManager.default.moveItem(at: debian.appendingPathComponent(from), to: debian.appendingPathComponent(to))
    }
    for (name, text) in files { try write(text, to: debian.appendingPathComponent(name)) }
    if FileManager.default.fileExists(atPath: debian.appendingPathComponent("rules").path) {
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: debian.appendingPathComponent("rules").path)
    }
    return (dir, source)
  }

  func warnings(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init).filter { $0.hasSuffix(Self.tag) }
  }

  /// The case: the only fragment names a package that does not exist. dh must start the
  /// tool (nothing matches the package's own names) and the tool must say so; the build goes on.
  @Test func misspeltPackageIsWarnedAboutInABuild() throws {
    let (dir, source) = try tree("lifecycle", "misspelt", rename: ["mi-producer.monitoring-info": "mi-prodcuer.monitoring-info"])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(built.log.succeeded, "\(built.log.stderr)")
    #expect(warnings(built.log.stderr) == [
      "dh_monitoringinfo: warning: debian/mi-prodcuer.monitoring-info: never installed: debian/control has no binary package 'mi-prodcuer', only mi-producer (did you mean 'debian/mi-producer.monitoring-info'?) \(Self.tag)",
    ], "\(built.log.stderr)")
    #expect(try !built.listing("mi-producer").contains("monitoring-info"))
  }

  @Test func unrelatedNameGetsNoSuggestionButTheFix() throws {
    let (dir, source) = try tree("multi", "unrelated", files: ["webserver.monitoring-info": "[web]\ntype = ssh\n"])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(["dh_monitoringinfo"], in: source)
    #expect(r.succeeded, "\(r.stderr)")
    #expect(warnings(r.stderr) == [
      "dh_monitoringinfo: warning: debian/webserver.monitoring-info: never installed: debian/control has no binary package 'webserver', only mi-web, mi-data, mi-arch, mi-named, mi-plain (name it debian/PACKAGE.monitoring-info after the package that runs the service) \(Self.tag)",
    ], "\(r.stderr)")
  }

  /// A --name fragment whose package part is misspelt, and an arch-specific one.
  @Test func misspeltPackageInNamedAndArchitectureFiles() throws {
    let (dir, source) = try tree("multi", "named", files: [
      "mi-nmaed.mi-extra.monitoring-info": "[x]\ntype = ssh\n", "mi-acrh.monitoring-info.amd64": "[y]\ntype = ssh\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(["dh_monitoringinfo", "-pmi-web"], in: source)
    #expect(r.succeeded, "\(r.stderr)")
    #expect(warnings(r.stderr) == [
      "dh_monitoringinfo: warning: debian/mi-acrh.monitoring-info.amd64: never installed: debian/control has no binary package 'mi-acrh', only mi-web, mi-data, mi-arch, mi-named, mi-plain (did you mean 'debian/mi-arch.monitoring-info.amd64'?) \(Self.tag)",
      "dh_monitoringinfo: warning: debian/mi-nmaed.mi-extra.monitoring-info: never installed: debian/control has no binary package 'mi-nmaed.mi-extra', only mi-web, mi-data, mi-arch, mi-named, mi-plain (did you mean 'debian/mi-named.mi-extra.monitoring-info'?) \(Self.tag)",
    ], "\(r.stderr)")
  }

  /// debian/monitoring-info is the first package's only as a last resort: beside
  /// debian/FIRST.monitoring-info it is never read, and it has no architecture variants.
  @Test func bareFileThatTheLookupNeverReaches() throws {
    let own = "[mi-web-own]\ntype = ssh\n"
    let (dir, source) = try tree("multi", "bare", files: ["mi-web.monitoring-info": own, "monitoring-info.linux": own])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(["dh_monitoringinfo"], in: source)
    #expect(r.succeeded, "\(r.stderr)")
    #expect(warnings(r.stderr) == [
      "dh_monitoringinfo: warning: debian/monitoring-info: never installed: debian/mi-web.monitoring-info, the first package's own file, takes precedence (move its services there and remove this file) \(Self.tag)",
      "dh_monitoringinfo: warning: debian/monitoring-info.linux: never installed: debhelper reads debian/monitoring-info only without a suffix (for one architecture or OS, name it 'debian/mi-web.monitoring-info.linux') \(Self.tag)",
    ], "\(r.stderr)")
    #expect(try read(source.appendingPathComponent("debian/mi-web/etc/monitoring-info/mi-web.conf")) == own)
  }

  /// The multi fixture uses every form of name (the bare file, arch variants for other
  /// architectures, a --name file, packages without fragments): whatever this run builds,
  /// nothing is warned about.
  @Test(arguments: [
    [], ["-a"], ["-i"], ["-pmi-data"], ["-Nmi-web"], ["-pmi-named", "--name=mi-extra"],
  ])
  func filesOfExistingPackagesAreNotWarnedAbout(_ arguments: [String]) throws {
    let (dir, source) = try tree("multi", "quiet")
    defer { try? FileManager.default.removeItem(at: dir) }
    for architecture in ["amd64", "arm64", "i386"] {
      let r = try run(["dh_monitoringinfo", "--no-act"] + arguments, in: source, environment: Tree.environment(["DEB_HOST_ARCH": architecture]))
      #expect(r.succeeded, "\(arguments) \(architecture): \(r.stderr)")
      #expect(warnings(r.stderr).isEmpty, "\(arguments) \(architecture): \(r.stderr)")
    }
  }

  /// Packages that this build leaves out (architecture, build profile) still exist.
  @Test func packagesLeftOutOfTheBuildStillExist() throws {
    let fragment = "[s]\ntype = ssh\n"
    let (dir, source) = try tree("selection", "left-out", files: [
      "s-i386only.monitoring-info": fragment, "s-noprofile.monitoring-info": fragment, "s-hurd.monitoring-info.hurd": fragment,
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(["dh_monitoringinfo", "--no-act"], in: source,
                    environment: Tree.environment(["DEB_HOST_ARCH": "amd64", "DEB_BUILD_PROFILES": "nocheck"]))
    #expect(r.succeeded, "\(r.stderr)")
    #expect(r.stderr.isEmpty, "\(r.stderr)")
  }

  /// debian/NAME.monitoring-info is the first package's file for `--name=NAME`: a build whose
  /// debian/rules uses it installs it, and no run of the build warns about it.
  @Test func mainPackageFileForANameIsNotWarnedAbout() throws {
    let (dir, source) = try tree("lifecycle", "main-name", files: [
      "rules": "#!/usr/bin/make -f\n%:\n\tdh $@\n\noverride_dh_monitoringinfo:\n\tdh_monitoringinfo\n\tdh_monitoringinfo -pmi-producer --name=mi-producer-extra\n",
      "mi-producer-extra.monitoring-info": "[mi-producer-extra]\ntype = ssh\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(built.log.succeeded, "\(built.log.stderr)")
    #expect(!built.log.stderr.contains("monitoring-info-unused-fragment"), "\(built.log.stderr)")
    #expect(try built.fileContents("mi-producer", "/etc/monitoring-info/mi-producer-extra.conf") == "[mi-producer-extra]\ntype = ssh\n")
  }
}
