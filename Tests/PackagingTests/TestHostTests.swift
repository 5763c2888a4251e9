import Foundation
import Testing
import TestKit

/// tools/testhost: two throw-away hosts on this machine, as the demo and the two-host
/// scenario use them. B reaches a server on A over the veth pair, each host's /etc is its own,
/// Avahi on A is found from B, and destroying them leaves no namespace, mount or process.
@Suite(.serialized) struct TestHostTests {
  let tool = BuildPaths.packageRoot.appendingPathComponent("tools/testhost").path
  let directory: String
  let a: String
  let b: String

  init() throws {
    let tag = String(UUID().uuidString.prefix(6)).lowercased()
    a = "a\(tag)"
    b = "b\(tag)"
    directory = try temporaryDirectory("mi-testhost").path
  }

  func runTool(_ arguments: [String], stdin: String? = nil) throws -> String {
    var environment = ProcessInfo.processInfo.environment
    environment["TESTHOST_DIR"] = directory
    let result = try runProgram(tool, arguments, environment: environment, stdin: stdin.map { Data($0.utf8) })
    guard result.succeeded else {
      throw TestFailure("testhost \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return result.stdout
  }

  @Test func twoHostsTalkAndVanish() throws {
    do {
      try runTool(["create", a, "198.18.0.1/24"])
      try runTool(["create", b, "198.18.0.2/24"])
      try runTool(["link", a, b])

      #expect(try runTool(["run", a, "hostname"]) == "\(a)\n")
      try runTool(["run", a, "sh", "-c", "python3 -m http.server --bind 198.18.0.1 8080 >/dev/null 2>&1 &"])
      let fetched = try runTool([
        "run", b, "sh", "-c",
        "for i in 1 2 3 4 5 6 7 8 9 10; do curl --noproxy '*' -fsS -o /dev/null http://\(a):8080/ && echo fetched && exit 0; sleep 0.3; done; exit 1",
      ])
      #expect(fetched == "fetched\n")
      // The hosts know no way out of their link (nothing is sent to find that out).
      let routes = try runTool(["run", b, "ip", "-4", "route"])
      // The end of the link in b is named after the host at the other end; besides the subnet,
      // a route to the peer alone (so a peer outside the subnet is reached too), nothing else.
      let lines = routes.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(lines.sorted() == ["198.18.0.0/24 dev th-\(a) proto kernel scope link src 198.18.0.2", "198.18.0.1 dev th-\(a) scope link"],
        "\(routes)")
      let outside = try runProgram(tool, ["run", b, "ip", "route", "get", "192.0.2.1"], environment: ["TESTHOST_DIR": directory])
      #expect(!outside.succeeded)

      let probe = "/etc/testhost-probe-\(a)"
      try runTool(["run", a, "sh", "-c", "echo written-in-A > \(probe)"])
      #expect(try runTool(["run", a, "cat", probe]) == "written-in-A\n")
      #expect(!FileManager.default.fileExists(atPath: probe))
      #expect(try runTool(["run", b, "sh", "-c", "test -e \(probe) && echo present || echo absent"]) == "absent\n")

      try runTool(["start-avahi", a])
      try runTool(["start-avahi", b])
      let service = """
        <?xml version="1.0" standalone="no"?>
        <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
        <service-group><name>probe</name>
        <service><type>_mi-probe._tcp</type><port>22</port><txt-record>user=automon</txt-record></service>
        </service-group>

        """
      try runTool(["run", a, "sh", "-c", "cat > /etc/avahi/services/mi-probe.service && kill -HUP $(cat /run/avahi-daemon/pid)"], stdin: service)
      let browsed = try runTool([
        "run", b, "sh", "-c",
        "for i in 1 2 3 4 5; do avahi-browse -rpt _mi-probe._tcp | grep '^=.*IPv4' && exit 0; sleep 1; done; exit 1",
      ])
      #expect(browsed.contains(";198.18.0.1;22;\"user=automon\""), "\(browsed)")
    } catch {
      _ = try? runTool(["destroy", a])
      _ = try? runTool(["destroy", b])
      throw error
    }

    try runTool(["destroy", a])
    try runTool(["destroy", b])
    let namespaces = try runProgram("ip", ["netns", "list"]).stdout
    #expect(!namespaces.contains(a) && !namespaces.contains(b), "\(namespaces)")
    let mountsAfter = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
    #expect(!mountsAfter.contains(directory), "\(mountsAfter)")
    let links = try runProgram("ip", ["-br", "link"]).stdout
    #expect(!links.contains("th-\(a)") && !links.contains("th-\(b)"))
    try? FileManager.default.removeItem(atPath: directory)
  }
}
