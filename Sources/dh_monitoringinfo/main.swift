// dh_monitoringinfo: validate and install debian/PACKAGE.monitoring-info, add the trigger
// and ${misc:Recommends}. See debhelper/dh_monitoringinfo.pod.
import MonitoringInfo
import DebhelperSupport

#if canImport(Glibc)
import Glibc
#endif

let toolName = "dh_monitoringinfo"
let toolVersion = MonitoringInfoVersion.current
let producerTrigger = "monitoring-info-changed"
let consumerPackage = "auto-monitor-client"
let fragmentDirectory = "etc/monitoring-info"

func fail(_ message: String) -> Never {
  StandardStream.error("\(toolName): error: \(message)\n")
  exit(debhelperErrorStatus(environment: Environment.current()))
}

func run() throws {
  let dh: Debhelper
  do {
    dh = try Debhelper(
      toolName: toolName, toolVersion: toolVersion, arguments: Array(CommandLine.arguments.dropFirst()),
      environment: Environment.current())
  } catch {
    fail(error.description)
  }
  for warning in dh.warnings { dh.warning(warning) }
  if dh.nothingToDo { exit(0) }
  // Once a build: an override's further runs with --name would only repeat them.
  if dh.options.name == nil { for warning in unusedFragmentWarnings(dh) { dh.warning(warning) } }

  // Validate every fragment first, so that one bad file stops the build before anything is written.
  var work: [Fragment] = []
  var errors: [String] = []
  for package in dh.packages {
    guard let fragment = dh.pkgfile(package, "monitoring-info") else { continue }
    let bytes: [UInt8]
    do { bytes = try FileReader.read(fragment) } catch { fail(error.description) }
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
  if !errors.isEmpty {
    for message in errors.dropLast() { StandardStream.error("\(toolName): error: \(message)\n") }
    fail(errors.last!)
  }

  for fragment in work {
    let package = fragment.package
    if !dh.options.onlyScripts {
      // A password is readable by root only from the moment dpkg unpacks the file: it is in the
      // .deb with mode 0600 (the sequence addon runs this tool after dh_fixperms), so dpkg
      // creates even the .dpkg-new file 0600 and applies an administrator's statoverride itself.
      try dh.installFile(
        from: fragment.path, bytes: fragment.bytes, to: "\(dh.tmpdir(package))/\(fragmentDirectory)/\(fragment.conf)",
        mode: fragment.outcome.holdsCredentials ? 0o600 : 0o644)
      if fragment.outcome.holdsCredentials {
        // lintian warns about every file that is not 0644; this one is 0600 on purpose.
        try dh.addLintianOverride(
          package: package, "non-standard-file-perm 0600 != 0644 [\(fragmentDirectory)/\(fragment.conf)]")
      }
    }
    let triggersFile = dh.pkgfile(package, "triggers", useName: false)
    if let triggersFile, let bytes = try? FileSystem.read(triggersFile),
      let declared = triggerDeclaration(bytes, producerTrigger)
    {
      if declared.directive != "activate-noawait" {
        dh.warning(
          "\(triggersFile):\(declared.line): '\(declared.directive) \(producerTrigger)' makes dpkg wait for the monitoring client before \(package) counts as configured; use 'activate-noawait \(producerTrigger)' [\(Rule.triggerAwaits.tag)]")
      }
    } else {
      try dh.autotrigger(package: package, type: "activate-noawait", target: producerTrigger)
    }
    try dh.addsubstvar(package: package, substvar: "misc:Recommends", value: consumerPackage)
    if !(dh.control.packages.first { $0.name == package }?.recommends ?? "").contains("${misc:Recommends}") {
      dh.warning("debian/control: \(package) has no 'Recommends: ${misc:Recommends}', so \(consumerPackage) will not be recommended")
    }
  }
  try dh.writeLog()
}

let usage = """
  Usage: dh_monitoringinfo [debhelper options] [--name=NAME]

  Validates debian/PACKAGE.monitoring-info (debian/monitoring-info for the first package;
  arch- and OS-specific variants win), installs it as /etc/monitoring-info/PACKAGE.conf, adds
  the trigger 'activate-noawait monitoring-info-changed', and auto-monitor-client to
  ${misc:Recommends}. A fragment with a password is installed mode 0600 (readable by root
  only), with a lintian override for that mode; run after dh_fixperms, as the dh sequence
  does, so that this mode is what dpkg unpacks.

    --name=NAME        use debian/PACKAGE.NAME.monitoring-info and install NAME.conf
    -p, -N, -a, -i, -v, --no-act, -O...   the usual debhelper options (debhelper(7))

  Usually run by dh: Build-Depends: dh-sequence-monitoringinfo. Fragments are checked with
  the same rules as monitoring-info-lint(1). See dh_monitoringinfo(1) for the whole story.

  """

// debhelper tools answer --help before looking for debian/control.
if CommandLine.arguments.dropFirst().contains("--help") {
  StandardStream.output(usage)
  exit(0)
}

do {
  try run()
} catch {
  fail("\(error)")
}
