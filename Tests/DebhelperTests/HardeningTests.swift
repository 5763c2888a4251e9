import Foundation
import Testing

/// dh_monitoringinfo on what real packages do: option errors as debhelper reports them,
/// services defined twice in the fragments being built, triggers that make dpkg wait.
@Suite struct HardeningTests {
  /// An unknown package: the same two lines and the same exit status as debhelper's own tools
  /// (25 when neither stdout nor stderr is a terminal, as in a build log; 255 with colours off).
  @Test(arguments: [[:], ["DH_COLORS": "never"], ["NO_COLOR": ""], ["DPKG_COLORS": "never"]])
  func unknownPackageFailsLikeDebhelper(_ colours: [String: String]) throws {
    let dir = try makeTemporaryDirectory("unknown-package")
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = try copyFixture("multi", into: dir)
    var environment = Tree.environment()
    for key in ["DH_COLORS", "DPKG_COLORS", "NO_COLOR"] { environment[key] = colours[key] }
    for arguments in [["-pnonexistent"], ["--no-package", "nonexistent"], ["--no-such-option"]] {
      let ours = try run(["dh_monitoringinfo"] + arguments, in: source, environment: environment)
      let theirs = try run(["dh_installlogrotate"] + arguments, in: source, environment: environment)
      #expect(theirs.status != 0)
      #expect(ours.status == theirs.status, "\(arguments) \(colours): ours \(ours.status), debhelper \(theirs.status)")
      #expect(ours.status == (colours.isEmpty ? 25 : 255))
      #expect(ours.stderr == theirs.stderr.replacingOccurrences(of: "dh_installlogrotate", with: "dh_monitoringinfo"))
    }
  }

  /// A source tree from the lifecycle fixture with extra packages and files.
  func source(_ label: String, packages: [String] = [], files: [String: String]) throws -> (URL, URL) {
    let dir = try makeTemporaryDirectory(label)
    let source = try copyFixture("lifecycle", into: dir, as: "mi-producer")
    let debian = source.appendingPathComponent("debian")
    var control = try read(debian.appendingPathComponent("control"))
    for package in packages {
      control += "\nPackage: \(package)\nArchitecture: all\nRecommends: ${misc:Recommends}\nDescription: fixture\n second package.\n"
    }
    try write(control, to: debian.appendingPathComponent("control"))
    for (name, text) in files { try write(text, to: debian.appendingPathComponent(name)) }
    return (dir, source)
  }

  static let rulesWithSecondFragment = """
    #!/usr/bin/make -f
    %:
    \tdh $@

    override_dh_monitoringinfo:
    \tdh_monitoringinfo
    \tdh_monitoringinfo -pmi-producer --name=mi-producer-extra

    """

  @Test func sameServiceTwiceInOnePackageFailsTheBuild() throws {
    let (dir, source) = try source("dup-within", files: [
      "rules": Self.rulesWithSecondFragment,
      "mi-producer.mi-producer-extra.monitoring-info": "# second fragment\n[mi-producer-pop3]\ntype = tcp\nport = 9\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(!built.log.succeeded)
    #expect(built.log.stderr.contains(
      "dh_monitoringinfo: error: debian/mi-producer.mi-producer-extra.monitoring-info:2:2: service 'mi-producer-pop3' is also defined in debian/mi-producer.monitoring-info:1 (service names must be unique on a host; rename one)\n"),
      "\(built.log.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".deb") }.isEmpty)
  }

  @Test func sameServiceInTwoPackagesIsAWarning() throws {
    let (dir, source) = try source("dup-across", packages: ["mi-other"], files: [
      "mi-other.monitoring-info": "[mi-producer-pop3]\ntype = tcp\nport = 9\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(built.log.succeeded, "\(built.log.stderr)")
    let warnings = built.log.stderr.split(separator: "\n").filter { $0.contains("service 'mi-producer-pop3' is also defined") }
    #expect(warnings == [
      "dh_monitoringinfo: warning: debian/mi-other.monitoring-info:1:2: service 'mi-producer-pop3' is also defined in debian/mi-producer.monitoring-info:1 (service names must be unique on a host; rename one); mi-producer and mi-other clash if installed together",
    ], "\(built.log.stderr)")
  }

  /// The other fragment was installed by an earlier run (dh binary-indep, then binary-arch; or
  /// an override calling the tool per package): the messages still name the files in debian/
  /// the maintainer edits, whichever of the two this run installs, never the staging tree.
  @Test func diagnosticsNameTheMaintainersFiles() throws {
    let (dir, source) = try source("dup-earlier", packages: ["mi-other"], files: [
      "mi-other.monitoring-info": "# the other one\n[mi-producer-pop3]\ntype = tcp\nport = 9\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = try run(["dh_monitoringinfo", "-pmi-other"], in: source)
    #expect(first.succeeded && first.stderr.isEmpty, "\(first.stderr)")
    let second = try run(["dh_monitoringinfo", "-pmi-producer"], in: source)
    #expect(second.succeeded, "\(second.stderr)")
    #expect(second.stderr == """
      dh_monitoringinfo: warning: debian/mi-other.monitoring-info:2:2: service 'mi-producer-pop3' is also defined in debian/mi-producer.monitoring-info:1 (service names must be unique on a host; rename one); mi-producer and mi-other clash if installed together

      """)
    #expect(!second.stderr.contains("/etc/monitoring-info/"))

    // Within one package, with the first fragment from an earlier run.
    try write(Self.rulesWithSecondFragment, to: source.appendingPathComponent("debian/rules"))
    try write("[mi-producer-pop3]\ntype = ssh\n", to: source.appendingPathComponent("debian/mi-producer.mi-producer-extra.monitoring-info"))
    let named = try run(["dh_monitoringinfo", "-pmi-producer", "--name=mi-producer-extra"], in: source)
    #expect(named.status != 0)
    #expect(named.stderr.contains(
      "dh_monitoringinfo: error: debian/mi-producer.mi-producer-extra.monitoring-info:1:2: service 'mi-producer-pop3' is also defined in debian/mi-producer.monitoring-info:1 (service names must be unique on a host; rename one)\n"),
      "\(named.stderr)")
    #expect(!named.stderr.contains("/etc/monitoring-info/"), "\(named.stderr)")
  }

  @Test(arguments: ["activate", "activate-await"])
  func awaitingTriggerIsWarnedAbout(_ directive: String) throws {
    let (dir, source) = try source("await", files: [
      "mi-producer.triggers": "# ours\n\(directive) monitoring-info-changed\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(built.log.succeeded, "\(built.log.stderr)")
    #expect(built.log.stderr.contains(
      "dh_monitoringinfo: warning: debian/mi-producer.triggers:2: '\(directive) monitoring-info-changed' makes dpkg wait for the monitoring client before mi-producer counts as configured; use 'activate-noawait monitoring-info-changed' [monitoring-info-trigger-awaits]\n"),
      "\(built.log.stderr)")
    // The maintainer's line is kept and not doubled.
    let triggers = try #require(try built.controlFile("mi-producer", "triggers"))
    #expect(triggers.split(separator: "\n").filter { !$0.hasPrefix("#") } == ["\(directive) monitoring-info-changed"])
  }

  @Test func noawaitTriggerIsNotWarnedAbout() throws {
    let (dir, source) = try source("noawait", files: [
      "mi-producer.triggers": "activate-noawait monitoring-info-changed\n",
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let built = try buildPackage(source)
    #expect(built.log.succeeded, "\(built.log.stderr)")
    #expect(!built.log.stderr.contains("monitoring-info-trigger-awaits"))
  }
}
