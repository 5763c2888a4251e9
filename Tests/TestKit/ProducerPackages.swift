import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The packages of the client's dpkg-root tests and of bench/client-e2e: a producer built with
/// dh_monitoringinfo from the debhelper tests' lifecycle fixture (1.0, 2.0 with another port,
/// 3.0 dropping the fragment), and a stand-in for auto-monitor-client with its triggers.
public enum ProducerPackages {
  public static let fragmentA = "[mi-producer-pop3]\ntype = pop3\nport = 1110\nusername = probe\npassword = secret\n"
  public static let fragmentB = fragmentA.replacingOccurrences(of: "1110", with: "2110")

  public static func environment() -> [String: String] {
    var env = ProcessInfo.processInfo.environment.filter { key, _ in
      !key.hasPrefix("DH_") && !key.hasPrefix("DEB_") && !["MAKEFLAGS", "MFLAGS", "MAKELEVEL"].contains(key)
    }
    env["PATH"] = Client.packageRoot + "/bin:" + (env["PATH"] ?? "/usr/bin:/bin")
    env["PERL5LIB"] = Client.packageRoot + "/debhelper/perl5"
    env["DH_MONITORINGINFO_BIN"] = BuildPaths.executable("dh_monitoringinfo").path
    env["DH_MONITORINGINFO_TEMPLATES"] = Client.packageRoot + "/templates"
    env["LC_ALL"] = "C.UTF-8"
    return env
  }

  /// The producer's versions, built once: label -> .deb.
  public static let producers: Result<[String: String], Error> = Result {
    let workspace = try TestRoot("producers").path
    var debs: [String: String] = [:]
    for (version, fragment) in [("1.0", fragmentA), ("2.0", fragmentB), ("3.0", nil)] as [(String, String?)] {
      let build = workspace + "/build-\(version)"
      let source = build + "/mi-producer"
      try FileManager.default.createDirectory(atPath: build, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: Client.packageRoot + "/Tests/DebhelperTests/Fixtures/lifecycle", toPath: source)
      let changelog = source + "/debian/changelog"
      try String(contentsOfFile: changelog, encoding: .utf8).replacingOccurrences(of: "mi-producer (1.0)", with: "mi-producer (\(version))")
        .write(toFile: changelog, atomically: true, encoding: .utf8)
      if let fragment {
        try fragment.write(toFile: source + "/debian/mi-producer.monitoring-info", atomically: true, encoding: .utf8)
      } else {
        try FileManager.default.removeItem(atPath: source + "/debian/mi-producer.monitoring-info")
        try "rm_conffile /etc/monitoring-info/mi-producer.conf 3.0~\n".write(toFile: source + "/debian/mi-producer.maintscript", atomically: true, encoding: .utf8)
      }
      let built = try runProgram("dpkg-buildpackage", ["-us", "-uc", "-b", "-d"], environment: environment(), directory: URL(fileURLWithPath: source))
      guard built.succeeded else { throw TestFailure("build \(version): \(built.stdout)\(built.stderr)") }
      debs[version] = build + "/mi-producer_\(version)_all.deb"
    }
    return debs
  }

  /// The stand-in for auto-monitor-client: the triggers and postinst the real package needs.
  public static func consumer(in directory: String) throws -> String {
    let tree = directory + "/consumer"
    try FileManager.default.createDirectory(atPath: tree + "/DEBIAN", withIntermediateDirectories: true)
    try "Package: mi-client-test\nVersion: 1.0\nArchitecture: all\nMaintainer: Tests <tests@example.org>\nDescription: test consumer with auto-monitor-client's triggers\n"
      .write(toFile: tree + "/DEBIAN/control", atomically: true, encoding: .utf8)
    // /usr/share/doc: every package ships its copyright there, so installing or removing a
    // package that has a default but no fragment of its own (apache2 today) reaches the client.
    try "interest-noawait /etc/monitoring-info\ninterest-noawait monitoring-info-changed\ninterest-noawait /usr/share/doc\n"
      .write(toFile: tree + "/DEBIAN/triggers", atomically: true, encoding: .utf8)
    try """
      #!/bin/sh
      set -e
      case "$1" in
        configure|triggered) \(Client.binary) --trigger --root "${DPKG_ROOT:-/}" ;;
      esac

      """.write(toFile: tree + "/DEBIAN/postinst", atomically: true, encoding: .utf8)
    chmod(tree + "/DEBIAN/postinst", 0o755)
    let deb = directory + "/mi-client-test_1.0_all.deb"
    let built = try runProgram("dpkg-deb", ["--root-owner-group", "-b", tree, deb])
    guard built.succeeded else { throw TestFailure("dpkg-deb: \(built.stderr)") }
    return deb
  }
}
