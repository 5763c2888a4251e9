import Foundation
import TestKit

/// Packages from the Debian archive for a throw-away host, which has no network: what this
/// machine lacks of `names` and their dependencies is downloaded into `cache` (kept between
/// runs, like apt's own cache), and the .deb files apt would install are returned, so that
/// `apt-get install FILES...` inside the host installs exactly that.
enum ArchivePackages {
  static func fetch(_ names: [String], cache: URL) throws -> [URL] {
    let variables = ["CACHE": cache.path, "NAMES": names.joined(separator: " ")]
    // Under one lock (apt gives up at once on a cache another test is downloading into), the
    // download and then apt's plan, which names the files. Package lists older than the
    // archive name files it no longer has: update once and retry.
    let plan = try shell(
      """
      mkdir -p "$CACHE/partial"
      exec 9>"$CACHE/.tests-lock" && flock 9
      log=$(mktemp)
      download() { apt-get install -q -y --download-only -o Dir::Cache::archives="$CACHE" $NAMES >"$log" 2>&1; }
      download || { apt-get update -q >>"$log" 2>&1 && download; } || { cat "$log" >&2; rm -f "$log"; exit 1; }
      rm -f "$log"
      apt-get install -s -q $NAMES
      """, variables)
    // "Inst NAME [OLD VERSION] (VERSION ARCHIVE... [ARCH])": the file apt keeps is
    // NAME_VERSION_ARCH.deb, an epoch's colon written %3a.
    return try plan.split(separator: "\n").filter { $0.hasPrefix("Inst ") }.map { line in
      let name = line.split(separator: " ")[1]
      guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else {
        throw TestFailure("cannot read apt-get's plan: \(line)")
      }
      let words = line[line.index(after: open)..<close].split(separator: " ")
      let version = words.first!.replacingOccurrences(of: ":", with: "%3a")
      let architecture = words.last!.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
      let file = cache.appendingPathComponent("\(name)_\(version)_\(architecture).deb")
      guard FileManager.default.fileExists(atPath: file.path) else {
        throw TestFailure("apt-get --download-only left no \(file.lastPathComponent) in \(cache.path)")
      }
      return file
    }
  }
}
