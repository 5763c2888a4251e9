import Foundation
import TestKit
import MonitoringInfo
import Testing

@Suite struct LinterTests {
  /// Enough files that the linter spreads them over threads; the report must still be in
  /// file-name order and the same as one file at a time.
  @Test func manyFilesGiveTheSameReportAsOneAtATime() throws {
    let directory = try temporaryDirectory("mi-many")
    defer { try? FileManager.default.removeItem(at: directory) }
    for index in 0..<1_200 {
      let text = index % 7 == 0 ? "[s\(index)]\ntype = htp\n" : "[s\(index % 1_000)]\ntype = tcp\nport = \(index + 1)\n"
      try text.write(to: directory.appendingPathComponent("f\(index).conf"), atomically: false, encoding: .utf8)
    }
    try "not a fragment".write(to: directory.appendingPathComponent("ignored.txt"), atomically: false, encoding: .utf8)
    let report = Linter().lint(paths: [directory.path])
    let names = report.files.map { URL(fileURLWithPath: $0.file.path).lastPathComponent }
    #expect(names.count == 1_200)
    #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    let oneByOne = report.files.map { FragmentValidator().validate(try! SourceFile.read(path: $0.file.path)).diagnostics }
    #expect(report.files.map(\.diagnostics) == oneByOne)
    #expect(report.diagnostics.filter { $0.tag == "monitoring-info-unknown-type" }.count == 172)
    // s0..s199 appear twice (files f0..f199 and f1000..f1199), less those whose type is wrong.
    #expect(report.crossFileDiagnostics.count > 100)
  }

  @Test func directoryThatCannotBeReadIsAFailure() {
    let report = Linter().lint(paths: ["/nonexistent-monitoring-info-dir/x.conf"])
    #expect(report.failures == [.unreadable(path: "/nonexistent-monitoring-info-dir/x.conf", reason: "No such file or directory")])
  }
}

@Suite struct DuplicateServiceTests {
  @Test func reportedOncePerFileAndNamingTheFirstDefinition() {
    let report = Linter().lint([
      SourceFile(path: "a.conf", text: "[web]\ntype = http\n"),
      SourceFile(path: "b.conf", text: "[web]\ntype = http\n[web]\ntype = tcp\nport = 1\n"),
      SourceFile(path: "c.conf", text: "[other]\ntype = ssh\n\n[web]\ntype = ssh\n"),
    ])
    #expect(report.crossFileDiagnostics.map(\.gnuDescription) == [
      "b.conf:1:2: service 'web' is also defined in a.conf:1 (service names must be unique on a host; rename one)",
      "c.conf:4:2: service 'web' is also defined in a.conf:1 (service names must be unique on a host; rename one)",
    ])
    #expect(report.diagnostics.filter { $0.path == "b.conf" }.map(\.tag) == [
      "monitoring-info-duplicate-service", "monitoring-info-duplicate-section",
    ])
  }
}
