// dh_monitoringinfo: validate and install debian/PACKAGE.monitoring-info, add the trigger
// and ${misc:Recommends}. See debhelper/dh_monitoringinfo.pod; the work is MonitoringInfoTool's.
import MonitoringInfo
import DebhelperSupport

#if canImport(Glibc)
import Glibc
#endif

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
  try MonitoringInfoTool.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: Environment.current())
} catch {
  for message in error.messages { StandardStream.error("\(MonitoringInfoTool.name): error: \(message)\n") }
  exit(debhelperErrorStatus(environment: Environment.current()))
}
