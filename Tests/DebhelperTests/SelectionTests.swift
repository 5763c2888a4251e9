import DebhelperSupport
import Foundation
import Testing

/// Package selection and option parsing agree with debhelper's own `dh_listpackages`.
@Suite struct SelectionTests {
  static let source = Tree.fixtures.appendingPathComponent("selection")

  struct Case: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var environment: [String: String] = [:]
    var testDescription: String {
      let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.replacingOccurrences(of: "\u{1e}", with: "<1e>"))" }
      return (env + arguments).joined(separator: " ").isEmpty ? "(defaults)" : (env + arguments).joined(separator: " ")
    }
  }

  static let argumentCases: [[String]] = [
    [], ["-a"], ["-i"], ["-ia"], ["--indep", "--arch"], ["-ps-all"], ["-p", "s-any", "-ps-all"],
    ["--package=s-linux"], ["-Ns-all"], ["-a", "-Ns-any"], ["-i", "-Ns-all"], ["--no-package", "s-all"],
    ["-ps-i386only"], ["-ps-i386only", "-ps-all"], ["-pnosuch"], ["-Nnosuch"], ["-O-Ns-all"],
    ["-O--buildsystem=cmake"], ["-O--no-such-option", "-i"], ["--no-such-option"], ["-s"], ["--ind"],
    ["-v", "--no-act", "-n"], ["-ps-any", "-Ns-any"], ["-i", "-ps-any"], ["--", "-a"], ["-ps-noprofile"],
  ]

  static let environmentCases: [[String: String]] = [
    ["DEB_HOST_ARCH": "arm64"], ["DEB_HOST_ARCH": "armhf"], ["DEB_HOST_ARCH": "i386"],
    ["DEB_HOST_ARCH": "hurd-i386"], ["DEB_HOST_ARCH": "armel", "DEB_TARGET_ARCH": "arm64"],
    ["DEB_BUILD_PROFILES": "nocheck"], ["DEB_BUILD_PROFILES": "stage1 nodoc"],
    ["DEB_BUILD_PROFILES": "stage1 cross"], ["DEB_BUILD_PROFILES": "pkg.fixture.extra"],
    ["DH_OPTIONS": "-Ns-all"], ["DH_OPTIONS": "-a --no-such-option"],
    ["DH_INTERNAL_OPTIONS": "-a\u{1e}-O--buildsystem=none"], ["DH_INTERNAL_OPTIONS": "-ps-all\u{1e}-ps-any"],
    ["DH_INTERNAL_OPTIONS": "-O-Ns-all"],
  ]

  static let cases: [Case] =
    argumentCases.map { Case(arguments: $0) }
    + environmentCases.flatMap { env in
      [[], ["-a"], ["-i"], ["-ps-stage1"], ["-ps-any"]].map { Case(arguments: $0, environment: env) }
    }

  @Test(arguments: cases) func matchesDhListpackages(_ c: Case) throws {
    let reference = try run(["dh_listpackages"] + c.arguments, in: Self.source, environment: Tree.environment(c.environment))
    let expected: [String]? = reference.succeeded
      ? reference.stdout.split(separator: "\n").map(String.init) : nil

    var environment = c.environment
    environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
    let actual: [String]?
    do {
      let dh = try Debhelper(toolName: "dh_monitoringinfo", toolVersion: "test", arguments: c.arguments,
                             environment: environment, root: Self.source.path)
      actual = dh.nothingToDo ? [] : dh.packages
    } catch {
      actual = nil
    }
    #expect(actual == expected, "dh_listpackages said: \(reference.stdout)\(reference.stderr)")
  }

  @Test func sharedOptionsAreParsed() throws {
    let dh = try Debhelper(toolName: "dh_monitoringinfo", toolVersion: "test",
                           arguments: ["-v", "--no-act", "-n", "--name=extra", "-Ptmp/x", "-ps-all", "-O--mainpackage=s-all"],
                           environment: ["DEB_HOST_ARCH": "amd64"], root: Self.source.path)
    #expect(dh.options.verbose && dh.options.noAct && dh.options.noScripts)
    #expect(dh.options.name == "extra")
    #expect(dh.tmpdir("s-all") == "tmp/x")
    #expect(dh.mainPackage == "s-all")
    #expect(dh.pkgfilename("s-all") == "extra")
  }

  @Test func environmentSwitches() throws {
    let verbose = try Debhelper(toolName: "t", toolVersion: "1", arguments: [],
                                environment: ["DEB_HOST_ARCH": "amd64", "DH_VERBOSE": "1", "DH_QUIET": "1"],
                                root: Self.source.path)
    #expect(verbose.options.verbose && !verbose.options.quiet)
    let quiet = try Debhelper(toolName: "t", toolVersion: "1", arguments: [],
                              environment: ["DEB_HOST_ARCH": "amd64", "DH_QUIET": "1", "DH_NO_ACT": "1"],
                              root: Self.source.path)
    #expect(!quiet.options.verbose && quiet.options.quiet && quiet.options.noAct)
    #expect(throws: DebhelperError.self) {
      try Debhelper(toolName: "t", toolVersion: "1", arguments: ["-Pdir"], environment: ["DEB_HOST_ARCH": "amd64"],
                    root: Self.source.path)
    }
  }

  @Test func architectureWildcardsFollowDpkg() {
    let table = ArchitectureTable()
    #expect(table.matches("armhf", "any-arm"))
    #expect(table.matches("armel", "any-arm"))
    #expect(!table.matches("arm64", "any-arm"))
    #expect(table.matches("amd64", "linux-any"))
    #expect(table.matches("hurd-i386", "hurd-any"))
    #expect(!table.matches("hurd-i386", "linux-any"))
    #expect(table.matches("x32", "any-amd64"))
    #expect(table.matches("musl-linux-amd64", "musl-any-any"))
    #expect(table.os(of: "kfreebsd-amd64") == "kfreebsd")
  }
}
