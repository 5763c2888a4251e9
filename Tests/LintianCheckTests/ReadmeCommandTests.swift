import Foundation
import TestKit
import Testing

// The lintian commands README.md shows under "### By hand", run as written (our include dir
// for the paths, a test package for the package) on this machine, where the tests run as
// root: they must work and print nothing on stderr.
@Suite("lintian check: the README's commands")
struct ReadmeCommandTests {
  /// The `lintian ...` commands of the first shell block under "### By hand", continuation
  /// lines joined.
  static func byHandCommands() throws -> [String] {
    let readme = try String(contentsOf: Paths.repo.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.components(separatedBy: "\n### By hand\n").dropFirst().first)
    let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?
      .components(separatedBy: "\n```").first)
    return block.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
      .map(String.init).filter { $0.hasPrefix("lintian ") }
  }

  @Test func byHandCommandsRunCleanly() throws {
    let commands = try Self.byHandCommands()
    #expect(commands.count >= 3, "\(commands)")
    let work = try temporaryDirectory("mi-readme")
    defer { try? FileManager.default.removeItem(at: work) }
    let testCase = try #require(Case.all.first { $0.name == "mi-clean" })
    let deb = try buildPackage(testCase, in: work)
    for command in commands {
      var words = command
        .replacingOccurrences(of: "\"$PWD/lintian\"", with: Paths.includeDir.path)
        .replacingOccurrences(of: "/usr/share/dh-monitoringinfo/lintian", with: Paths.includeDir.path)
        .split(separator: " ").map(String.init)
      words[words.count - 1] = deb.path  // the package the README names
      let result = try runProgram(
        "lintian", ["--no-cfg"] + words.dropFirst(), environment: try lintianEnvironment(mode: .built, home: work))
      // 2: Debian's own checks find errors in the bare test package; 1 would be lintian failing.
      #expect(result.status == 0 || result.status == 2, "\(command): \(result.stdout)\(result.stderr)")
      #expect(!result.stdout.contains("monitoring-info-"), "\(command): \(result.stdout)")
      #expect(result.stderr.isEmpty, "\(command):\n\(result.stderr)")
    }
  }
}
