import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

/// What dh_monitoringinfo does, as a library: validate each package's fragment, install it
/// (0600 with a lintian override when it holds a password), add the producer trigger unless the
/// maintainer declared it, and the client to `${misc:Recommends}`. The executable only calls
/// `run` and turns a `Failure` into `dh_monitoringinfo: error:` lines and debhelper's status.
public enum MonitoringInfoTool {
  public static let name = "dh_monitoringinfo"
  /// The package that consumes the fragments, recommended by every producer.
  public static let consumerPackage = "auto-monitor-client"

  /// The errors that stop the build, each one line for the maintainer.
  public struct Failure: Error {
    public var messages: [String]
  }

  /// The mode of the installed fragment: a password is readable by root only from the moment
  /// dpkg unpacks the file, so it is in the .deb 0600 (the sequence addon runs this tool after
  /// dh_fixperms), dpkg creates even the .dpkg-new file 0600 and applies an administrator's
  /// statoverride itself.
  public static func installMode(holdsCredentials: Bool) -> UInt32 { holdsCredentials ? 0o600 : 0o644 }

  /// The lintian override shipped with a 0600 fragment: lintian warns about every file that is
  /// not 0644, and this one is 0600 on purpose.
  public static func lintianOverride(conf: String) -> String {
    "non-standard-file-perm 0600 != 0644 [\(PackageFacts.fragmentDirectory)/\(conf)]"
  }

  /// The warning for a maintainer's own trigger declaration that makes dpkg wait, or nil.
  public static func triggerWarning(file: String, line: Int, directive: String, package: String) -> String? {
    guard directive != "activate-noawait" else { return nil }
    return "\(file):\(line): '\(directive) \(PackageFacts.producerTrigger)' makes dpkg wait for the monitoring client before \(package) counts as configured; use 'activate-noawait \(PackageFacts.producerTrigger)' [\(Rule.triggerAwaits.tag)]"
  }

  public static func run(arguments: [String], environment: [String: String]) throws(Failure) {
    let dh: Debhelper
    do {
      dh = try Debhelper(toolName: name, toolVersion: MonitoringInfoVersion.current, arguments: arguments, environment: environment)
    } catch { throw Failure(messages: [error.description]) }
    for warning in dh.warnings { dh.warning(warning) }
    if dh.nothingToDo { return }
    // Once a build: an override's further runs with --name would only repeat them.
    if dh.options.name == nil { for warning in unusedFragmentWarnings(dh) { dh.warning(warning) } }

    // Validate every fragment first, so that one bad file stops the build before anything is written.
    var work: [Fragment] = []
    var errors: [String] = []
    for package in dh.packages {
      guard let fragment = dh.pkgfile(package, "monitoring-info") else { continue }
      let bytes: [UInt8]
      do { bytes = try FileReader.read(fragment) } catch { throw Failure(messages: [error.description]) }
      let outcome = FragmentCheck.check(path: fragment, bytes: bytes)
      for warning in outcome.warnings { dh.warning(warning) }
      if dh.options.verbose { for note in outcome.notes { StandardStream.output("\t[info] \(note)\n") } }
      errors += outcome.errors
      work.append(Fragment(package: package, path: fragment, bytes: bytes, conf: "\(dh.pkgfilename(package)).conf", outcome: outcome))
    }
    if !work.isEmpty {
      let duplicates = FragmentCheck.duplicates(fragmentSet(dh, work))
      for warning in duplicates.warnings { dh.warning(warning) }
      errors += duplicates.errors
    }
    if !errors.isEmpty { throw Failure(messages: errors) }

    do {
      for fragment in work { try install(fragment, dh) }
      try dh.writeLog()
    } catch { throw Failure(messages: ["\(error)"]) }
  }

  static func install(_ fragment: Fragment, _ dh: Debhelper) throws {
    let package = fragment.package
    if !dh.options.onlyScripts {
      try dh.installFile(
        from: fragment.path, bytes: fragment.bytes, to: "\(dh.tmpdir(package))/\(PackageFacts.fragmentDirectory)/\(fragment.conf)",
        mode: mode_t(installMode(holdsCredentials: fragment.outcome.holdsCredentials)))
      if fragment.outcome.holdsCredentials {
        try dh.addLintianOverride(package: package, lintianOverride(conf: fragment.conf))
      }
    }
    let triggersFile = dh.pkgfile(package, "triggers", useName: false)
    if let triggersFile, let bytes = try? FileSystem.read(triggersFile), let declared = PackageFacts.triggerDeclaration(bytes) {
      if let warning = triggerWarning(file: triggersFile, line: declared.line, directive: declared.directive, package: package) {
        dh.warning(warning)
      }
    } else {
      try dh.autotrigger(package: package, type: "activate-noawait", target: PackageFacts.producerTrigger)
    }
    try dh.addsubstvar(package: package, substvar: "misc:Recommends", value: consumerPackage)
    if !(dh.control.packages.first { $0.name == package }?.recommends ?? "").contains("${misc:Recommends}") {
      dh.warning("debian/control: \(package) has no 'Recommends: ${misc:Recommends}', so \(consumerPackage) will not be recommended")
    }
  }
}
