import ArgumentParser
import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

@main
struct Lint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitoring-info-lint",
    abstract: "Check monitoring-info fragments for bad types, keys and values.",
    discussion: """
      A directory means the *.conf files in it; services defined twice across the files are \
      reported too. Exit status: 0 no finding at or above --fail-on, 2 some, 1 the linter \
      failed (e.g. a file could not be read), 64 usage error.
      """,
    version: MonitoringInfoVersion.current)

  @Option(help: "Output format: human, lintian, tsv or json.")
  var format: OutputFormat = .human

  @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit status 2: error, warning or info.")
  var failOn: Severity = .error

  @Option(help: "Package name for --format=lintian (default: from each file's name).")
  var package: String?

  @Flag(name: .customLong("list-tags"), help: "List every tag with its severity and summary.")
  var listTags = false

  @Option(help: ArgumentHelp("Explain a tag, with examples.", valueName: "tag"))
  var explain: String?

  @Option(
    name: .customLong("binary-packages"),
    help: ArgumentHelp(
      """
      Check a source package instead: report fragments in the PATHs (its debian/ directory, \
      default debian) that are named for none of these binary packages (comma-separated, in \
      debian/control's order); their contents are not read.
      """, valueName: "list"))
  var binaryPackages: String?

  @Flag(
    name: .customLong("package-facts"),
    help: ArgumentHelp(
      """
      Check the files as a built package's fragments too (run in the unpacked package's root): \
      a fragment in etc/monitoring-info/ needs 'activate-noawait monitoring-info-changed' in \
      the package's triggers (--triggers), and one with a password must not be readable by \
      everyone (--mode).
      """))
  var packageFacts = false

  @Option(help: ArgumentHelp("With --package-facts: the package's triggers control file, if it has one.", valueName: "file"))
  var triggers: String?

  @Option(
    help: ArgumentHelp("With --package-facts: a fragment's permission bits in the package (PATH=0644).", valueName: "path=mode"))
  var mode: [String] = []

  @Argument(help: "Files or directories to check (default: /etc/monitoring-info).")
  var paths: [String] = []

  func run() throws {
    if listTags { return print(TagListing.list(), terminator: "") }
    if let explain {
      guard let rule = Rule.named(explain) else {
        throw ValidationError("unknown tag '\(explain)'; see --list-tags")
      }
      return print(TagListing.explain(rule), terminator: "")
    }
    var report: LintReport
    if let binaryPackages {
      let packages = binaryPackages.split(separator: ",").map(String.init)
      guard !packages.isEmpty else { throw ValidationError("--binary-packages needs at least one package") }
      report = UnusedFragments.lint(debianDirectories: paths.isEmpty ? ["debian"] : paths, packages: packages)
    } else {
      report = Linter().lint(paths: paths.isEmpty ? ["/etc/monitoring-info"] : paths)
    }
    if packageFacts {
      var modes: [String: UInt32] = [:]
      for item in mode {
        guard let equals = item.lastIndex(of: "="), let bits = UInt32(item[item.index(after: equals)...], radix: 8) else {
          throw ValidationError("--mode needs PATH=OCTAL, not '\(item)'")
        }
        modes[String(item[..<equals])] = bits
      }
      var bytes: [UInt8]?
      if let triggers {
        do { bytes = try FileReader.read(triggers, limit: 1 << 20) } catch { throw ValidationError("--triggers: \(error)") }
      }
      report.crossFileDiagnostics += PackageFacts.findings(files: report.files.map(\.file), triggers: bytes, modes: modes)
    }
    let diagnostics = report.diagnostics
    StandardStream.output(format.render(diagnostics, files: report.files.map(\.file), package: package))
    for failure in report.failures { printError("error: \(failure)") }
    // A summary after "cannot read" with nothing read would look like a clean result.
    let nothingRead = report.files.isEmpty && report.namesChecked == 0 && !report.failures.isEmpty
    if format == .human && !nothingRead { printError(summary(report, diagnostics)) }
    let status: Int32 = !report.failures.isEmpty ? 1 : diagnostics.contains { $0.severity >= failOn } ? 2 : 0
    // Exit with the report still alive: freeing thousands of parsed files one by one would
    // only cost time (7% of bench/lint).
    withExtendedLifetime(report) { Glibc.exit(status) }
  }

  private func summary(_ report: LintReport, _ diagnostics: [Diagnostic]) -> String {
    let counts = Severity.allCases.reversed().compactMap { severity -> String? in
      let count = diagnostics.filter { $0.severity == severity }.count
      return count == 0 ? nil : "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
    }
    let count = report.files.count + report.namesChecked
    let files = "\(count) file\(count == 1 ? "" : "s") checked"
    return counts.isEmpty ? "\(files), no findings" : "\(files): \(counts.joined(separator: ", "))"
  }

  private func printError(_ text: String) {
    StandardStream.error("monitoring-info-lint: \(text)\n")
  }
}

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
