/// Lints a set of files and directories (a directory means its `*.conf` files) and checks
/// across them for services defined twice, as the client would see them on one host.
public struct Linter: Sendable {
  public let validator: FragmentValidator

  public init(validator: FragmentValidator = FragmentValidator()) {
    self.validator = validator
  }

  public func lint(paths: [String]) -> LintReport {
    var report = LintReport()
    var files: [String] = []
    for path in paths {
      guard FileReader.isDirectory(path) else {
        files.append(path)
        continue
      }
      do {
        let base = path.hasSuffix("/") ? path : path + "/"
        files += try FileReader.files(in: path, withSuffix: ".conf").map { base + $0 }
      } catch {
        report.failures.append(error)
      }
    }
    for result in ParallelMap.map(files, minimumPerThread: 256, readAndValidate) {
      switch result {
      case let .success(file): report.files.append(file)
      case let .failure(error): report.failures.append(error)
      }
    }
    report.crossFileDiagnostics = duplicateServices(report.files)
    return report
  }

  public func lint(_ files: [SourceFile]) -> LintReport {
    var report = LintReport()
    report.files = files.map(validator.validate)
    report.crossFileDiagnostics = duplicateServices(report.files)
    return report
  }

  private func readAndValidate(_ path: String) -> Result<FragmentReport, MonitoringInfoError> {
    Result { () throws(MonitoringInfoError) in validator.validate(try SourceFile.read(path: path)) }
  }

  private func duplicateServices(_ files: [FragmentReport]) -> [Diagnostic] {
    Self.duplicateServices(in: files).map(\.diagnostic)
  }

  /// `monitoring-info-duplicate-service` for every section whose name an earlier file used,
  /// with the indices of both files (dh_monitoringinfo weighs a clash by the packages that
  /// ship the two files).
  public static func duplicateServices(in files: [FragmentReport]) -> [DuplicateService] {
    // Where each name was first defined, and the last file that used it: a repeat within one
    // file is a duplicate section (the validator's finding), reported here at most once a file.
    var owner: [String: (file: Int, offset: Int, lastFile: Int)] = [:]
    owner.reserveCapacity(files.reduce(0) { $0 + $1.sections.count })
    var duplicates: [DuplicateService] = []
    for (index, report) in files.enumerated() {
      for section in report.sections where section.hasValidName {
        guard let first = owner[section.name] else {
          owner[section.name] = (index, section.nameRange.start, index)
          continue
        }
        guard first.lastFile != index else { continue }
        owner[section.name]!.lastFile = index
        let firstFile = files[first.file].file
        let diagnostic = Diagnostic(
          rule: .duplicateService, in: report.file, at: section.nameRange,
          message: "service '\(section.name)' is also defined in \(firstFile.path):\(firstFile.location(of: first.offset).line)",
          help: "service names must be unique on a host; rename one")
        duplicates.append(DuplicateService(diagnostic: diagnostic, file: index, firstFile: first.file))
      }
    }
    return duplicates
  }
}

/// A service defined again in `file` after `firstFile` (indices into the linted files).
public struct DuplicateService: Sendable {
  public let diagnostic: Diagnostic
  public let file: Int
  public let firstFile: Int
}

/// The findings of one lint run, and the files the linter could not read.
public struct LintReport: Sendable {
  public var files: [FragmentReport] = []
  public var crossFileDiagnostics: [Diagnostic] = []
  public var failures: [MonitoringInfoError] = []
  /// Findings about fragments' names in a source package's debian/ (`UnusedFragments`), and
  /// how many fragments were named there; their contents are not read.
  public var nameDiagnostics: [Diagnostic] = []
  public var namesChecked = 0

  /// Every finding, file by file in file order, cross-file ones with the file they are in.
  public var diagnostics: [Diagnostic] {
    guard !crossFileDiagnostics.isEmpty else { return files.flatMap(\.diagnostics) + nameDiagnostics }
    // Grouped once: filtering per file would be quadratic when many files repeat a name.
    let crossFile = Dictionary(grouping: crossFileDiagnostics, by: \.path)
    return files.flatMap { file in
      guard let extra = crossFile[file.file.path] else { return file.diagnostics }
      return (file.diagnostics + extra).sortedByPosition()
    } + nameDiagnostics
  }
}
