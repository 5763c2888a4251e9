import Foundation
import Testing
import TestKit

/// What the package build produces: the packages, where their files go, the relations
/// dpkg-gencontrol cannot work out, and lintian with our own check loaded.
@Suite struct PackageContentTests {
  @Test func buildsEveryPackageOfTheTree() throws {
    let built = try PackageBuild.shared()
    #expect(!built.packages.isEmpty)
    #expect(built.packages.contains("dh-monitoringinfo"))
    #expect(built.packages.contains("auto-monitor-plugins"))
    for package in built.packages {
      for previous in [false, true] {
        #expect(FileManager.default.fileExists(atPath: built.deb(package, previous: previous).path), "\(package) previous=\(previous)")
      }
    }
  }

  @Test func dhMonitoringinfoShipsToolAddonLinterAndCheck() throws {
    let built = try PackageBuild.shared()
    let files = try listing(built.deb("dh-monitoringinfo"))
    for path in [
      "usr/bin/dh_monitoringinfo", "usr/libexec/monitoring-info/dh_monitoringinfo", "usr/bin/monitoring-info-lint",
      "usr/share/perl5/Debian/Debhelper/Sequence/monitoringinfo.pm",
      "usr/share/dh-monitoringinfo/lintian/lib/Lintian/Check/MonitoringInfo.pm",
      "usr/share/dh-monitoringinfo/lintian/profiles/monitoring-info/main.profile",
      "usr/share/dh-monitoringinfo/lintian/tags/monitoring-info/monitoring-info-unknown-key.tag",
      "usr/share/man/man1/dh_monitoringinfo.1.gz", "usr/share/man/man1/monitoring-info-lint.1.gz",
      "usr/share/doc/dh-monitoringinfo/format-reference.md.gz",
    ] {
      #expect(files.contains(path), "dh-monitoringinfo lacks \(path)")
    }
    #expect(try field(built.deb("dh-monitoringinfo"), "Provides") == "dh-sequence-monitoringinfo")
    #expect(try field(built.deb("dh-monitoringinfo"), "Depends").contains("debhelper (>= 13)"))
  }

  /// A package with a day-one default ships no fragment, so none of the fragment triggers fire
  /// for it: the client watches each such package's /usr/share/doc/PACKAGE (present in every
  /// Debian package, removed by `dpkg -r`) so its default follows install and removal.
  @Test func clientWatchesEveryPackageWithADefault() throws {
    let built = try PackageBuild.shared()
    let triggers = try shell("dpkg-deb --ctrl-tarfile \"$D\" | tar -xOf - ./triggers", ["D": built.deb("auto-monitor-client").path])
    let lines = Set(triggers.split(separator: "\n").map(String.init))
    #expect(lines.contains("interest-noawait /etc/monitoring-info"))
    #expect(lines.contains("interest-noawait monitoring-info-changed"))
    let defaults = try FileManager.default.contentsOfDirectory(atPath: BuildPaths.packageRoot.appendingPathComponent("defaults").path)
      .filter { $0.hasSuffix(".conf") }.map { String($0.dropLast(5)) }
    #expect(defaults.count >= 20)
    for package in defaults {
      #expect(lines.contains("interest-noawait /usr/share/doc/\(package)"), "no trigger for the default of \(package)")
    }
  }

  @Test func pluginsShipPluginAndCommandDefinition() throws {
    let built = try PackageBuild.shared()
    let deb = built.deb("auto-monitor-plugins")
    let files = try listing(deb)
    #expect(files.contains("usr/lib/nagios/plugins/check_monitoring_info"))
    #expect(files.contains("etc/nagios-plugins/config/check_monitoring_info.cfg"))
    // libssl is loaded with dlopen, so dpkg-shlibdeps cannot see it: the dependency is by hand.
    let depends = try field(deb, "Depends").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(depends.contains { $0.hasPrefix("libssl3") })
    // Static Swift standard library: nothing of the toolchain is needed at run time.
    #expect(!depends.contains { $0.contains("swift") })
    let conffiles = try shell("dpkg-deb --ctrl-tarfile \"$D\" | tar -xOf - ./conffiles", ["D": deb.path])
    #expect(conffiles.contains("/etc/nagios-plugins/config/check_monitoring_info.cfg"))
  }

  /// Lintian at its default level (errors and warnings fail) on every package of the build,
  /// with the monitoring-info check loaded; the informational tags left are the ones the
  /// README explains, nothing new.
  @Test func lintianFindsNothing() throws {
    let built = try PackageBuild.shared()
    let includeDir = BuildPaths.packageRoot.appendingPathComponent("lintian").path
    let result = try runProgram(
      "lintian",
      ["--include-dir", includeDir, "--profile", "monitoring-info", "-I", "-E", "--pedantic",
       "--fail-on", "error,warning", built.changes.path])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let tags = Set(
      result.stdout.split(separator: "\n").compactMap { line -> String? in
        let words = line.split(separator: " ")
        return words.count >= 3 ? String(words[2]) : nil
      })
    #expect(tags.isSubset(of: explainedLintianTags), "new lintian tags: \(tags.subtracting(explainedLintianTags).sorted())\n\(result.stdout)")
  }

  /// Informational and experimental tags that stay, each explained in docs/architecture.md
  /// ("Packaging").
  let explainedLintianTags: Set<String> = [
    "hardening-no-fortify-functions", "spelling-error-in-binary", "spare-manual-page", "executable-in-usr-lib",
    "systemd-service-file-missing-hardening-features",
  ]

  /// The command definition the package installs is valid Nagios configuration: nagios4 -v
  /// accepts a host and a service using it.
  @Test func commandDefinitionVerifiesWithNagios() throws {
    let built = try PackageBuild.shared()
    let directory = try temporaryDirectory("mi-nagios-verify")
    defer { try? FileManager.default.removeItem(at: directory) }
    try shell("dpkg-deb -x \"$D\" \"$X\"", ["D": built.deb("auto-monitor-plugins").path, "X": directory.appendingPathComponent("root").path])
    let objects = """
      define host {
        host_name web.example.org
        address 198.18.0.2
        check_command check_monitoring_info
        max_check_attempts 1
        check_period 24x7
        contacts nobody
      }
      define service {
        host_name web.example.org
        service_description apache2
        check_command check_monitoring_info
        max_check_attempts 1
        check_interval 5
        retry_interval 1
        check_period 24x7
        notification_period 24x7
        contacts nobody
      }
      define timeperiod {
        timeperiod_name 24x7
        alias always
        monday 00:00-24:00
      }
      define contact {
        contact_name nobody
        host_notifications_enabled 0
        service_notifications_enabled 0
        host_notification_period 24x7
        service_notification_period 24x7
        host_notification_commands check_monitoring_info
        service_notification_commands check_monitoring_info
      }

      """
    try objects.write(to: directory.appendingPathComponent("objects.cfg"), atomically: true, encoding: .utf8)
    let main = """
      cfg_file=\(directory.path)/root/etc/nagios-plugins/config/check_monitoring_info.cfg
      cfg_file=\(directory.path)/objects.cfg
      check_result_path=\(directory.path)/results
      illegal_macro_output_chars=`~$&|'"<>
      lock_file=\(directory.path)/nagios.lock
      status_file=\(directory.path)/status.dat
      query_socket=\(directory.path)/nagios.qh
      log_file=\(directory.path)/nagios.log

      """
    try main.write(to: directory.appendingPathComponent("nagios.cfg"), atomically: true, encoding: .utf8)
    // nagios4 -v checks that the user it would run as (nagios) can write its result directory.
    try shell("chmod 0755 \"$D\" && mkdir -m 1777 \"$D/results\"", ["D": directory.path])
    let result = try runProgram("nagios4", ["-v", directory.appendingPathComponent("nagios.cfg").path])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("Total Errors:   0") && result.stdout.contains("Total Warnings: 0"), "\(result.stdout)")
  }
}

func listing(_ deb: URL) throws -> Set<String> {
  let output = try shell("dpkg-deb --fsys-tarfile \"$D\" | tar -tf -", ["D": deb.path])
  return Set(output.split(separator: "\n").map { line in
    var path = String(line)
    if path.hasPrefix("./") { path.removeFirst(2) }
    if path.hasSuffix("/") { path.removeLast() }
    return path
  })
}

func field(_ deb: URL, _ name: String) throws -> String {
  try shell("dpkg-deb -f \"$D\" \"$F\"", ["D": deb.path, "F": name]).trimmingCharacters(in: .whitespacesAndNewlines)
}
