// Writes the files made from the rule descriptions and the schema table, which are committed
// and checked by tests: one lintian .tag file per rule into lintian/tags/monitoring-info
// (stale ones of ours removed) and docs/format-reference.md. Run from the package root:
// `make generated`.
import MonitoringInfo

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, status: Int32) -> Never {
  StandardStream.error("generate-reference: \(message)\n")
  exit(status)
}

func writeFile(_ path: String, _ text: String) {
  guard let stream = fopen(path, "w") else { fail("cannot write \(path)", status: 1) }
  fputs(text, stream)
  fclose(stream)
}

let tagDirectory = "lintian/tags/monitoring-info"
guard CommandLine.arguments.count == 1, FileReader.isDirectory("lintian") else {
  fail("usage: generate-reference (run it from the package root)", status: 64)
}
mkdir(tagDirectory, 0o755)
let wanted = Set(Rule.all.map(LintianTagFile.fileName))
for name in (try? FileReader.files(in: tagDirectory, withSuffix: ".tag")) ?? [] where !wanted.contains(name) {
  unlink(tagDirectory + "/" + name)
}
for rule in Rule.all {
  writeFile(tagDirectory + "/" + LintianTagFile.fileName(rule), LintianTagFile.render(rule))
}
mkdir("docs", 0o755)
writeFile(FormatReference.path, FormatReference.markdown())
print("generate-reference: wrote \(Rule.all.count) tag files to \(tagDirectory) and \(FormatReference.path)")
