// Writes one lintian .tag file per rule into the directory given as the only argument
// (lintian/tags/monitoring-info), removing stale ones of ours.
import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, status: Int32) -> Never {
  let line = "generate-lintian-tags: \(message)\n"
  _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
  exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
  fail("usage: generate-lintian-tags DIRECTORY", status: 64)
}
let directory = arguments[1]
mkdir(directory, 0o755)
let wanted = Set(Rule.all.map(LintianTagFile.fileName))
for name in (try? FileReader.files(in: directory, withSuffix: ".tag")) ?? [] where !wanted.contains(name) {
  unlink(directory + "/" + name)
}
for rule in Rule.all {
  let path = directory + "/" + LintianTagFile.fileName(rule)
  guard let stream = fopen(path, "w") else {
    fail("cannot write \(path)", status: 1)
  }
  fputs(LintianTagFile.render(rule), stream)
  fclose(stream)
}
print("generate-lintian-tags: wrote \(Rule.all.count) tag files to \(directory)")
