import Foundation
import MonitoringInfo
import Testing

/// Runs the built `monitoring-info-lint` and checks stdout, stderr and the exit status.
@Suite struct LintCommandTests {
  static let linter = BuildPaths.executable("monitoring-info-lint")

  func lint(_ arguments: String...) throws -> ProcessResult {
    try runProgram(Self.linter.path, arguments, directory: TestSupport.fixtures)
  }

  @Test(arguments: OutputFormat.allCases)
  func eachFormatMatchesItsGolden(_ format: OutputFormat) throws {
    let result = try lint("--format=\(format.rawValue)", "invalid/crlf.conf", "invalid/ssl.conf")
    #expect(result.status == 2)
    try TestSupport.assertGolden(result.stdout, TestSupport.fixtures.appendingPathComponent("cli/crlf-ssl.\(format.rawValue)"))
    if format == .human {
      #expect(result.stderr == "monitoring-info-lint: 2 files checked: 7 errors, 1 warning\n")
    } else {
      #expect(result.stderr == "")
    }
  }

  @Test func jsonIsOneObjectWithTheDesignedFields() throws {
    let result = try lint("--format=json", "invalid/")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count > 20)
    for diagnostic in diagnostics {
      #expect(Set(diagnostic.keys).isSuperset(of: ["path", "line", "column", "severity", "tag", "message"]))
      #expect(Rule.named(diagnostic["tag"] as? String ?? "") != nil)
    }
    #expect(diagnostics.contains { $0["tag"] as? String == "monitoring-info-empty-fragment" && $0["line"] as? Int == 0 && $0["column"] as? Int == 0 })
  }

  @Test func cleanDirectoryExitsZeroAndSaysSo() throws {
    let result = try lint("valid")
    #expect(result.status == 0)
    #expect(result.stdout == "")
    #expect(result.stderr == "monitoring-info-lint: 8 files checked, no findings\n")
  }

  @Test func duplicateServiceAcrossFiles() throws {
    let result = try lint("--format=tsv", "valid/apache2.conf", "invalid/typical-mistakes.conf")
    #expect(result.stdout.contains("invalid/typical-mistakes.conf\t30\terror\tmonitoring-info-duplicate-service\tservice 'apache2' is also defined in valid/apache2.conf:2"))
  }

  @Test func failOnDecidesWhichFindingsFail() throws {
    #expect(try lint("invalid/empty.conf").status == 0)
    #expect(try lint("--fail-on=warning", "invalid/empty.conf").status == 2)
    #expect(try lint("--fail-on", "info", "valid").status == 0)
  }

  @Test func unreadablePathIsALinterFailure() throws {
    let result = try lint("valid/postgresql.conf", "no-such-file.conf")
    #expect(result.status == 1)
    #expect(result.stderr.contains("monitoring-info-lint: error: cannot read 'no-such-file.conf': No such file or directory"))
  }

  /// Nothing could be read: the error and status 1, and no "0 files checked, no findings"
  /// that would read like a clean result.
  @Test func nothingReadPrintsNoSummary() throws {
    for path in ["no-such-file.conf", "no-such-directory/"] {
      let result = try lint(path)
      #expect(result.status == 1)
      #expect(result.stdout == "")
      #expect(result.stderr == "monitoring-info-lint: error: cannot read '\(path)': No such file or directory\n")
    }
    // One file read: the summary stays, after the error.
    let partly = try lint("valid/postgresql.conf", "no-such-file.conf")
    #expect(partly.status == 1)
    #expect(partly.stderr.hasSuffix("No such file or directory\nmonitoring-info-lint: 1 file checked, no findings\n"), "\(partly.stderr)")
  }

  /// --binary-packages: the names of a source package's fragments against its binary packages,
  /// as the lintian check asks on a source package (the contents are not read).
  @Test func binaryPackagesCheckFragmentNames() throws {
    let source = FileManager.default.temporaryDirectory.appendingPathComponent("mi-names-\(UUID().uuidString)")
    let debian = source.appendingPathComponent("debian")
    try FileManager.default.createDirectory(at: debian, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: source) }
    let files = [
      "control", "mydaemon.monitoring-info", "mydeamon.monitoring-info", "monitoring-info", "mydaemon.ssl.monitoring-info",
      "mydaemon-doc.monitoring-info.amd64", "extra.monitoring-info", "webui.monitoring-info", "mydaemon.monitoring-info.debhelper",
    ]
    for name in files { try Data("not read\n".utf8).write(to: debian.appendingPathComponent(name)) }
    // debian/extra.monitoring-info is the first package's file for --name=extra.
    try Data("override_dh_monitoringinfo:\n\tdh_monitoringinfo\n\tdh_monitoringinfo -pmydaemon --name=extra\n".utf8)
      .write(to: debian.appendingPathComponent("rules"))
    let result = try runProgram(
      Self.linter.path, ["--format=tsv", "--binary-packages=mydaemon,mydaemon-doc"], directory: source)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    #expect(result.stdout == """
      debian/monitoring-info\t0\twarning\tmonitoring-info-unused-fragment\tnever installed: debian/mydaemon.monitoring-info, the first package's own file, takes precedence (move its services there and remove this file)
      debian/mydeamon.monitoring-info\t0\twarning\tmonitoring-info-unused-fragment\tnever installed: debian/control has no binary package 'mydeamon', only mydaemon, mydaemon-doc (did you mean 'debian/mydaemon.monitoring-info'?)
      debian/webui.monitoring-info\t0\twarning\tmonitoring-info-unused-fragment\tnever installed: debian/control has no binary package 'webui', only mydaemon, mydaemon-doc (name it debian/PACKAGE.monitoring-info after the package that runs the service)

      """)
    let human = try runProgram(Self.linter.path, ["--binary-packages=mydaemon,mydaemon-doc", "debian/"], directory: source)
    #expect(human.stderr == "monitoring-info-lint: 7 files checked: 3 warnings\n")
    #expect(try runProgram(Self.linter.path, ["--fail-on=warning", "--binary-packages=mydaemon"], directory: source).status == 2)
    let missing = try runProgram(Self.linter.path, ["--binary-packages=mydaemon", "nowhere"], directory: source)
    #expect(missing.status == 1)
    #expect(missing.stderr == "monitoring-info-lint: error: cannot read 'nowhere': No such file or directory\n")
  }

  @Test func usageErrorsExit64() throws {
    #expect(try lint("--format=xml", "valid").status == 64)
    #expect(try lint("--no-such-option").status == 64)
    let unknown = try lint("--explain", "monitoring-info-nope")
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("unknown tag 'monitoring-info-nope'"))
  }

  @Test func listTagsAndExplain() throws {
    let list = try lint("--list-tags")
    #expect(list.status == 0)
    #expect(list.stdout.split(separator: "\n").count == Rule.all.count)
    for rule in Rule.all { #expect(list.stdout.contains(rule.tag)) }
    let explain = try lint("--explain", "monitoring-info-unknown-key")
    #expect(explain.status == 0)
    #expect(explain.stdout.contains("url = /index.html"))
    #expect(explain.stdout.contains("accept_redirection (default true)"))
  }

  @Test func lintianFormatNamesThePackage() throws {
    let result = try lint("--format=lintian", "--package=dovecot-core", "invalid/crlf.conf")
    #expect(result.stdout.hasPrefix("E: dovecot-core: monitoring-info-unknown-type unknown type 'htp' (did you mean 'http'?) [invalid/crlf.conf:2]\n"))
  }
}
