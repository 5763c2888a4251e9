import DebhelperSupport
import MonitoringInfo
import Foundation
import Testing

/// The files dh_monitoringinfo writes are byte-identical to what debhelper's own Dh_Lib
/// (`autoscript`, `autotrigger`, `addsubstvar`) writes for the same operations.
@Suite struct ParityTests {
  static let version = MonitoringInfoVersion.current

  /// Runs the Perl reference (Reference/dh_lib_reference.pl) in `directory`.
  @discardableResult
  func reference(_ operations: [String], in directory: URL, snippets: URL, environment: [String: String] = [:]) throws -> RunResult {
    let r = try run(
      ["perl", Tree.reference.appendingPathComponent("dh_lib_reference.pl").path, Self.version] + operations,
      in: directory, environment: Tree.environment(environment.merging(["DH_AUTOSCRIPTDIR": snippets.path]) { $1 }))
    #expect(r.succeeded, "reference failed: \(r.stderr)")
    return r
  }

  /// Under DH_VERBOSE Dh_Lib logs each trigger and substvar update as the `mv` of its .new
  /// file; dh_monitoringinfo logs the same lines, in the same order.
  @Test func verboseLogsTriggerAndSubstvarLikeDhLib() throws {
    let dir = try makeTemporaryDirectory("verbose")
    defer { try? FileManager.default.removeItem(at: dir) }
    let ours = try copyFixture("multi", into: dir, as: "ours")
    let theirs = try copyFixture("multi", into: dir, as: "theirs")
    try seed(ours)
    try seed(theirs)
    let verbose = ["DH_VERBOSE": "1"]
    let r = try run(["dh_monitoringinfo"], in: ours, environment: Tree.environment(verbose))
    #expect(r.succeeded, "\(r.stderr)")
    var operations: [String] = []
    for package in ["mi-web", "mi-data", "mi-arch", "mi-named"] {
      operations += ["autotrigger", package, "activate-noawait", "monitoring-info-changed",
                     "addsubstvar", package, "misc:Recommends", "auto-monitor-client"]
    }
    let expected = try reference(operations, in: theirs, snippets: Tree.reference.appendingPathComponent("snippets"), environment: verbose)
    let moves = r.stdout.split(separator: "\n").filter { $0.hasPrefix("\tmv ") }
    #expect(moves.count >= 7)
    #expect(moves == expected.stdout.split(separator: "\n"), "ours:\n\(r.stdout)\nDh_Lib:\n\(expected.stdout)")
  }

  /// The generated files debhelper later merges: *.debhelper, generated triggers, substvars.
  func generatedFiles(_ source: URL) throws -> [String: Data] {
    try snapshot(source.appendingPathComponent("debian")).filter { path, _ in
      path.hasSuffix(".debhelper") || path.hasPrefix(".debhelper/generated/") && !path.hasSuffix("/")
        || path.hasSuffix(".substvars")
    }
  }

  func seed(_ source: URL) throws {
    let debian = source.appendingPathComponent("debian")
    try write("# Automatically added by dh_other/1\n:\n# End automatically added section\n",
              to: debian.appendingPathComponent("mi-data.postinst.debhelper"))
    try write("misc:Recommends=zed, apache2\nmisc:Depends=\n", to: debian.appendingPathComponent("mi-web.substvars"))
    try write("misc:Recommends?=auto-monitor-client", to: debian.appendingPathComponent("mi-data.substvars"))
    try write("# Triggers added by dh_other/1\ninterest-noawait /usr/lib/foo\nactivate-noawait monitoring-info-changed\n",
              to: debian.appendingPathComponent(".debhelper/generated/mi-web/triggers"))
  }

  @Test func toolOutputMatchesDhLib() throws {
    let dir = try makeTemporaryDirectory("parity")
    defer { try? FileManager.default.removeItem(at: dir) }
    let ours = try copyFixture("multi", into: dir, as: "ours")
    let theirs = try copyFixture("multi", into: dir, as: "theirs")
    try seed(ours)
    try seed(theirs)

    #expect(try run(["dh_monitoringinfo"], in: ours).succeeded)
    #expect(try run(["dh_monitoringinfo", "-pmi-named", "--name=mi-extra"], in: ours).succeeded)

    var operations: [String] = []
    for package in ["mi-web", "mi-data", "mi-arch", "mi-named"] {
      operations += ["autotrigger", package, "activate-noawait", "monitoring-info-changed"]
      operations += ["addsubstvar", package, "misc:Recommends", "auto-monitor-client"]
    }
    operations += ["autotrigger", "mi-named", "activate-noawait", "monitoring-info-changed",
                   "addsubstvar", "mi-named", "misc:Recommends", "auto-monitor-client"]
    try reference(operations, in: theirs, snippets: Tree.reference.appendingPathComponent("snippets"))

    let expected = try generatedFiles(theirs)
    let actual = try generatedFiles(ours)
    #expect(expected.count >= 8)
    #expect(actual.keys.sorted() == expected.keys.sorted())
    for (path, data) in expected {
      #expect(actual[path] == data, "\(path) differs:\n\(String(decoding: actual[path] ?? Data(), as: UTF8.self))\n--- Dh_Lib:\n\(String(decoding: data, as: UTF8.self))")
    }
  }

  /// The writers themselves, on the cases the tool does not reach: prepending to postrm and
  /// prerm, unknown placeholders, `?=` substvars, a substvars file without final newline.
  @Test func writersMatchDhLib() throws {
    let dir = try makeTemporaryDirectory("writers")
    defer { try? FileManager.default.removeItem(at: dir) }
    let ours = try copyFixture("multi", into: dir, as: "ours")
    let theirs = try copyFixture("multi", into: dir, as: "theirs")
    for tree in [ours, theirs] {
      let debian = tree.appendingPathComponent("debian")
      try write("misc:Recommends=\nmisc:Suggests=b, a", to: debian.appendingPathComponent("mi-web.substvars"))
      try write("x-misc:Recommends=1\nmisc:Recommends?=foo (>= 1)\n", to: debian.appendingPathComponent("mi-data.substvars"))
      try write("activate-noawait monitoring-info-changed-not\nactivate-noawait  monitoring-info-changed\t# old\n",
                to: debian.appendingPathComponent(".debhelper/generated/mi-data/triggers"))
    }
    let snippets = Tree.reference.appendingPathComponent("snippets")
    let snippet = try Array(Data(contentsOf: snippets.appendingPathComponent("postrm-parity-test")))
    let dh = try Debhelper(toolName: "dh_monitoringinfo", toolVersion: Self.version, arguments: [],
                           environment: ["DEB_HOST_ARCH": "amd64"], root: ours.path)
    var operations: [String] = []
    for (package, script, conf) in [("mi-web", "postrm", "a.conf"), ("mi-web", "postrm", "b.conf"),
                                    ("mi-web", "prerm", "c.conf"), ("mi-data", "postinst", "d.conf"),
                                    ("mi-data", "postinst", "e.conf")] {
      try dh.autoscript(package: package, script: script, snippetName: "postrm-parity-test", snippet: snippet,
                        substitutions: ["CONF": conf, "PACKAGE": package])
      operations += ["autoscript", package, script, "postrm-parity-test", "CONF=\(conf),PACKAGE=\(package)"]
    }
    for package in ["mi-web", "mi-data"] {
      try dh.autotrigger(package: package, type: "activate-noawait", target: "monitoring-info-changed")
      operations += ["autotrigger", package, "activate-noawait", "monitoring-info-changed"]
      for value in ["auto-monitor-client", "aaa", "auto-monitor-client"] {
        try dh.addsubstvar(package: package, substvar: "misc:Recommends", value: value)
        operations += ["addsubstvar", package, "misc:Recommends", value]
      }
    }
    try reference(operations, in: theirs, snippets: snippets)
    let expected = try generatedFiles(theirs)
    let actual = try generatedFiles(ours)
    #expect(expected.count == 7)
    #expect(actual.keys.sorted() == expected.keys.sorted())
    for (path, data) in expected {
      #expect(actual[path] == data, "\(path) differs:\n\(String(decoding: actual[path] ?? Data(), as: UTF8.self))\n--- Dh_Lib:\n\(String(decoding: data, as: UTF8.self))")
    }
  }
}
