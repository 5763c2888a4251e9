import FuzzDriver
import MonitoringInfo

/// libFuzzer entry point: parse, validate and render any bytes, and trap on a diagnostic that
/// points outside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFragment(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let file = SourceFile(path: "fuzz.conf", bytes: bytes)
  let report = Linter().lint([file, SourceFile(path: "second.conf", bytes: bytes)])
  for diagnostic in report.diagnostics {
    if let range = diagnostic.range {
      precondition(range.start >= 0 && range.end <= size, "range outside the input")
      precondition(diagnostic.line >= 1 && diagnostic.column >= 1, "position outside the input")
    } else {
      precondition(diagnostic.line == 0 && diagnostic.column == 0)
    }
  }
  for format in OutputFormat.allCases {
    _ = format.render(report.diagnostics, files: [file])
  }
  return 0
}

@_cdecl("FuzzFragment_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  runFuzzer(argc, argv, fuzzFragment)
}
