import Foundation
import Testing

/// The package lifecycle with real dpkg in a throw-away root: a stand-in consumer with the
/// client's two trigger interests records every `triggered` call, and each producer
/// operation must reach it. Also where a fragment with a password proves that it is never
/// readable by others and that dpkg-statoverride wins.
@Suite(.serialized) struct LifecycleTests {
  static let fragmentA = """
    [mi-producer-pop3]
    type = pop3
    port = 1110
    username = probe
    password = secret

    """
  static let fragmentB = fragmentA.replacingOccurrences(of: "1110", with: "2110")

  struct Versions {
    var debs: [String: URL] = [:]
    var workspace: URL
  }

  /// Builds every producer version once (in parallel) plus the consumer.
  static let versions: Result<Versions, Error> = Result {
    let workspace = try makeTemporaryDirectory("lifecycle")
    // version label -> (changelog version, fragment or nil, extra environment)
    let plan: [(String, String, String?, [String: String])] = [
      ("1.0", "1.0", fragmentA, [:]), ("1.1", "1.1", fragmentA, [:]), ("2.0", "2.0", fragmentB, [:]),
      ("3.0", "3.0", nil, [:]),
    ]
    let results = UnsafeMutableBufferPointer<Result<URL, Error>>.allocate(capacity: plan.count)
    defer { results.deallocate() }
    nonisolated(unsafe) let sharedResults = results
    DispatchQueue.concurrentPerform(iterations: plan.count) { index in
      let (label, version, fragment, env) = plan[index]
      sharedResults.initializeElement(at: index, to: Result {
        let dir = workspace.appendingPathComponent("build-\(label)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = try copyFixture("lifecycle", into: dir, as: "mi-producer")
        let debian = source.appendingPathComponent("debian")
        let changelog = try read(debian.appendingPathComponent("changelog"))
          .replacingOccurrences(of: "mi-producer (1.0)", with: "mi-producer (\(version))")
        try write(changelog, to: debian.appendingPathComponent("changelog"))
        let fragmentURL = debian.appendingPathComponent("mi-producer.monitoring-info")
        if let fragment {
          try write(fragment, to: fragmentURL)
        } else {
          try FileManager.default.removeItem(at: fragmentURL)
          try write("rm_conffile /etc/monitoring-info/mi-producer.conf 3.0~\n",
                    to: debian.appendingPathComponent("mi-producer.maintscript"))
        }
        let built = try buildPackage(source, extraEnvironment: env)
        guard built.log.succeeded else { throw TestFailure("build \(label) failed: \(built.log.stderr)") }
        return try built.deb("mi-producer")
      })
    }
    var versions = Versions(workspace: workspace)
    for (index, step) in plan.enumerated() { versions.debs[step.0] = try results[index].get() }

    let consumer = workspace.appendingPathComponent("consumer")
    let control = consumer.appendingPathComponent("DEBIAN")
    try write("Package: mi-consumer\nVersion: 1.0\nArchitecture: all\nMaintainer: Tests <tests@example.org>\nDescription: stand-in for auto-monitor-client\n", to: control.appendingPathComponent("control"))
    try write("interest-noawait /etc/monitoring-info\ninterest-noawait monitoring-info-changed\n", to: control.appendingPathComponent("triggers"))
    try write("#!/bin/sh\nset -e\necho \"$*\" >> \"$DPKG_ROOT/var/log/mi-consumer.log\"\n", to: control.appendingPathComponent("postinst"))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: control.appendingPathComponent("postinst").path)
    let deb = workspace.appendingPathComponent("mi-consumer_1.0_all.deb")
    let r = try run(["dpkg-deb", "--root-owner-group", "-b", consumer.path, deb.path])
    guard r.succeeded else { throw TestFailure("dpkg-deb: \(r.stderr)") }
    versions.debs["consumer"] = deb
    return versions
  }

  /// A throw-away dpkg database and root.
  struct Root {
    let path: URL
    init(_ label: String) throws {
      path = try makeTemporaryDirectory("root-\(label)")
      for dir in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/log"] {
        try FileManager.default.createDirectory(at: path.appendingPathComponent(dir), withIntermediateDirectories: true)
      }
      for file in ["var/lib/dpkg/status", "var/lib/dpkg/available"] {
        try write("", to: path.appendingPathComponent(file))
      }
    }

    @discardableResult
    func dpkg(_ arguments: String...) throws -> RunResult {
      let r = try run(["dpkg", "--root=\(path.path)", "--force-script-chrootless", "--log=/dev/null", "--force-depends"] + arguments)
      #expect(r.succeeded, "dpkg \(arguments): \(r.stdout)\(r.stderr)")
      return r
    }

    var consumerLog: [String] {
      ((try? read(path.appendingPathComponent("var/log/mi-consumer.log"))) ?? "").split(separator: "\n").map(String.init)
    }

    var fragment: URL { path.appendingPathComponent("etc/monitoring-info/mi-producer.conf") }

    func mode(_ url: URL) throws -> Int {
      (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    func status(_ package: String) throws -> String {
      try run(["dpkg-query", "--admindir=\(path.path)/var/lib/dpkg", "-W", "-f=${db:Status-Abbrev}", package]).stdout
    }

    /// Runs a producer operation and returns the consumer's new `triggered` calls.
    func triggered(by operation: () throws -> Void) throws -> [String] {
      let before = consumerLog.count
      try operation()
      return consumerLog.dropFirst(before).filter { $0.hasPrefix("triggered ") }
    }
  }

  @Test func everyOperationReachesTheConsumer() throws {
    let debs = try Self.versions.get().debs
    let root = try Root("full")
    defer { try? FileManager.default.removeItem(at: root.path) }
    try root.dpkg("-i", debs["consumer"]!.path)
    #expect(root.consumerLog == ["configure "])

    // Install: the fragment arrives, readable by root only (its mode in the package).
    var calls = try root.triggered { try root.dpkg("-i", debs["1.0"]!.path) }
    #expect(calls.count == 1 && calls[0].contains("monitoring-info-changed") && calls[0].contains("/etc/monitoring-info"), "\(calls)")
    #expect(try read(root.fragment) == Self.fragmentA)
    #expect(try root.mode(root.fragment) == 0o600)

    // Upgrade, same fragment.
    calls = try root.triggered { try root.dpkg("-i", debs["1.1"]!.path) }
    #expect(calls.count == 1 && calls[0].contains("monitoring-info-changed"), "\(calls)")
    #expect(try root.mode(root.fragment) == 0o600)

    // Upgrade, changed fragment: the new conffile comes 0600 too.
    calls = try root.triggered { try root.dpkg("-i", debs["2.0"]!.path) }
    #expect(calls.count == 1 && calls[0].contains("monitoring-info-changed"), "\(calls)")
    #expect(try read(root.fragment) == Self.fragmentB)
    #expect(try root.mode(root.fragment) == 0o600)

    // The admin deleted the fragment; reinstalling the same version leaves it deleted.
    try FileManager.default.removeItem(at: root.fragment)
    try root.dpkg("-i", debs["2.0"]!.path)
    #expect(!FileManager.default.fileExists(atPath: root.fragment.path))
    #expect(try root.status("mi-producer") == "ii ")

    // Remove: the conffile stays, only the explicit trigger tells the consumer.
    calls = try root.triggered { try root.dpkg("-r", "mi-producer") }
    #expect(calls == ["triggered monitoring-info-changed"], "\(calls)")
    #expect(try root.status("mi-producer") == "rc ")

    // Purge after remove: the file trigger tells the consumer.
    calls = try root.triggered { try root.dpkg("-P", "mi-producer") }
    #expect(calls == ["triggered /etc/monitoring-info"], "\(calls)")

    // Remove with the conffile present: it stays on disk; purge removes it.
    try root.dpkg("-i", debs["2.0"]!.path)
    #expect(FileManager.default.fileExists(atPath: root.fragment.path))
    calls = try root.triggered { try root.dpkg("-r", "mi-producer") }
    #expect(calls == ["triggered monitoring-info-changed"], "\(calls)")
    #expect(FileManager.default.fileExists(atPath: root.fragment.path))
    calls = try root.triggered { try root.dpkg("-P", "mi-producer") }
    #expect(calls == ["triggered /etc/monitoring-info"], "\(calls)")
    #expect(!FileManager.default.fileExists(atPath: root.fragment.path))

    // Upgrade to a version without fragment (rm_conffile): the old version's trigger fires.
    try root.dpkg("-i", debs["2.0"]!.path)
    calls = try root.triggered { try root.dpkg("-i", debs["3.0"]!.path) }
    #expect(calls.count == 1 && calls[0].contains("monitoring-info-changed"), "\(calls)")
    #expect(!FileManager.default.fileExists(atPath: root.fragment.path))
    #expect(try root.status("mi-producer") == "ii ")

    // Purge straight from installed (of a version with a fragment).
    try root.dpkg("-i", debs["2.0"]!.path)
    calls = try root.triggered { try root.dpkg("-P", "mi-producer") }
    #expect(calls.count == 1, "\(calls)")
    #expect(!FileManager.default.fileExists(atPath: root.fragment.path))
  }

  func mode(_ root: Root, _ relative: String) throws -> Int {
    try root.mode(root.path.appendingPathComponent(relative))
  }

  /// Between `dpkg --unpack` and configure the new conffile waits as `.dpkg-new`: with the
  /// mode in the package it is 0600 from the first moment (a postinst chmod left it 0644).
  @Test func passwordIsNeverWorldReadableBeforeConfigure() throws {
    let debs = try Self.versions.get().debs
    let root = try Root("unpack")
    defer { try? FileManager.default.removeItem(at: root.path) }
    let listing = try run(["dpkg-deb", "-c", debs["1.0"]!.path]).stdout
    #expect(listing.contains("-rw------- root/root"), "\(listing)")
    try root.dpkg("--unpack", debs["1.0"]!.path)
    #expect(try mode(root, "etc/monitoring-info/mi-producer.conf.dpkg-new") == 0o600)
    try root.dpkg("--configure", "mi-producer")
    #expect(try root.mode(root.fragment) == 0o600)
    // An upgrade with a changed fragment: again .dpkg-new until configure, again 0600.
    try root.dpkg("--unpack", debs["2.0"]!.path)
    #expect(try mode(root, "etc/monitoring-info/mi-producer.conf.dpkg-new") == 0o600)
    #expect(try root.mode(root.fragment) == 0o600)
    try root.dpkg("--configure", "mi-producer")
    #expect(try read(root.fragment) == Self.fragmentB)
    #expect(try root.mode(root.fragment) == 0o600)
  }

  /// Policy 10.9.1: an administrator's `dpkg-statoverride` (here: group adm may read, as a
  /// monitoring daemon's group would) survives reinstall and upgrade; nothing in the
  /// maintainer scripts resets it.
  @Test func statoverrideIsKeptAcrossReinstallAndUpgrade() throws {
    let debs = try Self.versions.get().debs
    let root = try Root("statoverride")
    defer { try? FileManager.default.removeItem(at: root.path) }
    try root.dpkg("-i", debs["1.0"]!.path)
    let override = try run([
      "dpkg-statoverride", "--root=\(root.path.path)", "--update", "--add", "root", "adm", "0640",
      "/etc/monitoring-info/mi-producer.conf",
    ])
    #expect(override.succeeded, "\(override.stderr)")
    #expect(try root.mode(root.fragment) == 0o640)

    try root.dpkg("-i", debs["1.0"]!.path)  // reinstall, same conffile
    #expect(try root.mode(root.fragment) == 0o640)
    try root.dpkg("--unpack", debs["2.0"]!.path)  // changed conffile: dpkg applies the override itself
    #expect(try mode(root, "etc/monitoring-info/mi-producer.conf.dpkg-new") == 0o640)
    try root.dpkg("--configure", "mi-producer")
    #expect(try read(root.fragment) == Self.fragmentB)
    #expect(try root.mode(root.fragment) == 0o640)
    let group = try FileManager.default.attributesOfItem(atPath: root.fragment.path)[.groupOwnerAccountName] as? String
    #expect(group == "adm")
  }
}
