import Foundation
import MonitoringInfo
import TestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real dpkg in a throw-away root (`dpkg --root --force-script-chrootless`): a test consumer
/// package with the client's two trigger interests whose postinst runs
/// `monitoring-info-sync --trigger`, and a producer built with dh_monitoringinfo (the
/// debhelper tests' lifecycle fixture). Every producer operation must change the registration
/// on the real server.
@Suite(.serialized) struct DpkgRootTests {
  @Test func everyPackageOperationChangesTheRegistration() throws {
    let debs = try ProducerPackages.producers.get()
    let rig = try ClientServerRig()
    defer { rig.stop() }
    let root = rig.root
    for directory in ["var/lib/dpkg/triggers", "var/log"] {
      try FileManager.default.createDirectory(atPath: root.path + "/" + directory, withIntermediateDirectories: true)
    }
    try root.write("var/lib/dpkg/available", "")
    try rig.enrollWithTicket()
    #expect(rig.registered == [:])
    try root.defaults("mi-producer", "[mi-producer-default]\ntype = tcp\nport = 7\n")

    var dpkgTimes: [Double] = []
    func dpkg(_ arguments: String...) throws {
      let start = Date()
      let result = try runProgram("dpkg", ["--root=\(root.path)", "--force-script-chrootless", "--log=/dev/null", "--force-depends"] + arguments)
      dpkgTimes.append(Date().timeIntervalSince(start))
      #expect(result.succeeded, "dpkg \(arguments): \(result.stdout)\(result.stderr)")
    }
    func registration(becomes expected: [String: [String: String]], _ step: String) {
      #expect(waitUntil(seconds: 20) { rig.registered == expected }, "\(step): \(String(describing: rig.registered)) state: \(root.state ?? "")")
    }
    let pop3A = ["port": "1110", "username": "probe", "password": "secret"]
    let pop3B = ["port": "2110", "username": "probe", "password": "secret"]

    try dpkg("-i", try ProducerPackages.consumer(in: root.path))
    try dpkg("-i", debs["1.0"]!)
    registration(becomes: ["mi-producer-pop3": pop3A], "install")
    try dpkg("-i", debs["2.0"]!)
    registration(becomes: ["mi-producer-pop3": pop3B], "upgrade with a changed fragment")
    try dpkg("-r", "mi-producer")
    registration(becomes: [:], "remove (the conffile stays)")
    #expect(FileManager.default.fileExists(atPath: root.path + "/etc/monitoring-info/mi-producer.conf"))
    try dpkg("-i", debs["2.0"]!)
    registration(becomes: ["mi-producer-pop3": pop3B], "reinstall")
    try dpkg("-i", debs["3.0"]!)
    // The fragment is gone, so the package's default stands in for it.
    registration(becomes: ["mi-producer-default": ["port": "7"]], "upgrade that drops the fragment")
    try dpkg("-P", "mi-producer")
    registration(becomes: [:], "purge")
    #expect(rig.server.user.isEmpty == false)
    // Nothing monitoring-related may make dpkg wait: each run is dpkg's own work plus a
    // trigger that returns at once (bench/client measures it).
    #expect(dpkgTimes.allSatisfy { $0 < 10 }, "\(dpkgTimes)")
  }
}
