// dh_monitoringinfo: validate and install debian/PACKAGE.monitoring-info, add the trigger,
// the maintainer-script snippet and ${misc:Recommends}. See debhelper/dh_monitoringinfo.pod.
import MonitoringInfo
import DebhelperSupport

#if canImport(Glibc)
import Glibc
#endif

let toolName = "dh_monitoringinfo"
let toolVersion = MonitoringInfoVersion.current
let producerTrigger = "monitoring-info-changed"
let consumerPackage = "auto-monitor-client"

func fail(_ message: String) -> Never {
  StandardStream.error("\(toolName): error: \(message)\n")
  exit(255)
}

/// Where the maintainer-script snippets live: $DH_MONITORINGINFO_TEMPLATES (set by the
/// wrapper), the source tree above the binary, or the installed location.
func templatesDirectory() -> String {
  if let dir = Environment.get("DH_MONITORINGINFO_TEMPLATES"), !dir.isEmpty { return dir }
  var buffer = [CChar](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  if n > 0 {
    var dir = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    for _ in 0..<5 {
      guard let slash = dir.lastIndex(of: "/") else { break }
      dir = String(dir[..<slash])
      if FileSystem.isDirectory(dir + "/templates/debhelper") { return dir + "/templates" }
    }
  }
  return "/usr/share/monitoring-info/templates"
}

func snippet(_ name: String) -> [UInt8] {
  let path = templatesDirectory() + "/debhelper/" + name
  guard let bytes = try? FileSystem.readIfExists(path) else {
    fail("Could not find autoscript \(name) (search path: \(templatesDirectory())/debhelper)")
  }
  return bytes
}

/// True when a maintainer's triggers file already names the trigger (dh_installdeb would
/// otherwise concatenate a duplicate, which lintian rejects).
func declaresTrigger(_ bytes: [UInt8], _ name: String) -> Bool {
  String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { line in
    let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    return fields.count >= 2 && !fields[0].hasPrefix("#") && fields[1] == Substring(name)
  }
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

  // Validate every fragment first, so that one bad file stops the build before anything is written.
  var work: [(package: String, fragment: String, outcome: FragmentOutcome)] = []
  var errors: [String] = []
  for package in dh.packages {
    guard let fragment = dh.pkgfile(package, "monitoring-info") else { continue }
    let bytes: [UInt8]
    do { bytes = try FileSystem.read(fragment) } catch { fail("cannot read \(fragment): \(error)") }
    let outcome = FragmentCheck.check(path: fragment, bytes: bytes)
    for warning in outcome.warnings { dh.warning(warning) }
    if dh.options.verbose { for note in outcome.notes { StandardStream.output("\t[info] \(note)\n") } }
    errors += outcome.errors
    work.append((package, fragment, outcome))
  }
  if !errors.isEmpty {
    for message in errors.dropLast() { StandardStream.error("\(toolName): error: \(message)\n") }
    fail(errors.last!)
  }

  for (package, fragment, outcome) in work {
    let conf = "\(dh.pkgfilename(package)).conf"
    if !dh.options.onlyScripts {
      try dh.installFile(from: fragment, to: "\(dh.tmpdir(package))/etc/monitoring-info/\(conf)")
    }
    let maintainerTriggers = dh.pkgfile(package, "triggers", useName: false).flatMap { try? FileSystem.read($0) }
    if !(maintainerTriggers.map { declaresTrigger($0, producerTrigger) } ?? false) {
      try dh.autotrigger(package: package, type: "activate-noawait", target: producerTrigger)
    }
    if outcome.holdsCredentials && !dh.options.noScripts {
      if let postinst = dh.pkgfile(package, "postinst", useName: false),
        let text = try? FileSystem.read(postinst), !text.contains("#DEBHELPER#".utf8)
      {
        dh.warning("\(postinst) lacks #DEBHELPER#: /etc/monitoring-info/\(conf) will stay world-readable")
      }
      let name = "postinst-monitoringinfo-private"
      try dh.autoscript(
        package: package, script: "postinst", snippetName: name, snippet: snippet(name),
        substitutions: ["CONF": conf, "PACKAGE": package])
    }
    try dh.addsubstvar(package: package, substvar: "misc:Recommends", value: consumerPackage)
    if !(dh.control.packages.first { $0.name == package }?.recommends ?? "").contains("${misc:Recommends}") {
      dh.warning("debian/control: \(package) has no 'Recommends: ${misc:Recommends}', so \(consumerPackage) will not be recommended")
    }
  }
  try dh.writeLog()
}

extension Array where Element == UInt8 {
  func contains(_ needle: String.UTF8View) -> Bool {
    let n = Array(needle)
    guard n.count <= count else { return false }
    for i in 0...(count - n.count) where self[i] == n[0] && Array(self[i..<(i + n.count)]) == n { return true }
    return false
  }
}

let usage = """
  Usage: dh_monitoringinfo [debhelper options] [-n] [--name=NAME]

  Validates debian/PACKAGE.monitoring-info (debian/monitoring-info for the first package;
  arch- and OS-specific variants win), installs it as /etc/monitoring-info/PACKAGE.conf, adds
  the trigger 'activate-noawait monitoring-info-changed', a postinst snippet that makes a
  fragment with a password mode 0600, and auto-monitor-client to ${misc:Recommends}.

    -n, --no-scripts   do not add the postinst snippet
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
