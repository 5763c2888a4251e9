// Writes the files made from the rule descriptions and the schema table, which are committed
// and checked by tests: one lintian .tag file per rule into lintian/tags/monitoring-info
// (stale ones of ours removed), docs/format-reference.md, and the version of debian/changelog
// into Sources/MonitoringInfo/Version.swift and the manual pages. Run from the package root:
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

// The version, from the changelog into the Swift source and every manual page.
guard let changelog = try? FileReader.read(VersionStamp.changelogPath, limit: 1 << 22),
  let version = VersionStamp.version(changelog: String(decoding: changelog, as: UTF8.self))
else { fail("cannot read the version from \(VersionStamp.changelogPath)", status: 1) }
writeFile(VersionStamp.swiftPath, VersionStamp.swiftSource(version: version))
let pages = ((try? FileReader.files(in: VersionStamp.manualDirectory, withSuffix: "")) ?? [])
  .filter { $0.hasSuffix(".1") || $0.hasSuffix(".8") }
for page in pages {
  let path = VersionStamp.manualDirectory + "/" + page
  guard let bytes = try? FileReader.read(path, limit: 1 << 22) else { fail("cannot read \(path)", status: 1) }
  writeFile(path, VersionStamp.stamp(manualPage: String(decoding: bytes, as: UTF8.self), version: version))
}
print("generate-reference: version \(version) into \(VersionStamp.swiftPath) and \(pages.count) manual pages")
