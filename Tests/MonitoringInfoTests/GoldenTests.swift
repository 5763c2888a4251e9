import Foundation
import MonitoringInfo
import Testing

/// The human output for each invalid fixture, against `Fixtures/invalid/NAME.human`.
@Suite struct GoldenTests {
  static let invalid = try! FileManager.default.contentsOfDirectory(atPath: TestSupport.fixtures.appendingPathComponent("invalid").path)
    .filter { $0.hasSuffix(".conf") }.sorted()
  static let valid = try! FileManager.default.contentsOfDirectory(atPath: TestSupport.fixtures.appendingPathComponent("valid").path)
    .filter { $0.hasSuffix(".conf") }.sorted()

  @Test(arguments: invalid)
  func rendersDiagnostics(_ name: String) throws {
    let directory = TestSupport.fixtures.appendingPathComponent("invalid")
    let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    let file = SourceFile(path: name, bytes: bytes)
    let report = FragmentValidator().validate(file)
    #expect(!report.diagnostics.isEmpty)
    let rendered = OutputFormat.human.render(report.diagnostics, files: [file])
    let golden = directory.appendingPathComponent(String(name.dropLast(".conf".count)) + ".human")
    try TestSupport.assertGolden(rendered, golden)
  }

  @Test(arguments: valid)
  func validFixturesAreClean(_ name: String) throws {
    let url = TestSupport.fixtures.appendingPathComponent("valid").appendingPathComponent(name)
    let report = FragmentValidator(hostName: "host.example.org").validate(try SourceFile.read(path: url.path))
    #expect(report.diagnostics.map(\.gnuDescription) == [])
    #expect(!report.services.isEmpty)
  }

  @Test func validFixturesCoverEveryType() throws {
    let directory = TestSupport.fixtures.appendingPathComponent("valid").path
    let report = Linter().lint(paths: [directory])
    #expect(report.failures.isEmpty)
    #expect(Set(report.files.flatMap(\.services).map(\.type)) == Set(ServiceType.allCases))
  }
}
