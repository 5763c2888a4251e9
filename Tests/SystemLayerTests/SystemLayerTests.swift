import Foundation
import SystemLayer
import TestKit
import Testing

/// The system layer every program stands on, against the system itself.
@Suite struct SystemLayerTests {
  @Test func atomicWriteReplacesWholeFilesAndFollowsNoPlantedLink() throws {
    let directory = try temporaryDirectory("systemlayer")
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("state.json").path
    let victim = directory.appendingPathComponent("victim").path
    try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
    // The temporary name this process would use, planted as a link to the victim.
    symlink(victim, directory.appendingPathComponent(".state.json.\(getpid()).tmp").path)
    try AtomicFile.write(Array("one\n".utf8), to: target, mode: 0o600)
    try AtomicFile.write(Array("two\n".utf8), to: target, mode: 0o600)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "two\n")
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the planted link was followed")
    var info = stat()
    #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o600)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["state.json", "victim"])
    try AtomicFile.remove(target)
    try AtomicFile.remove(target)  // already gone: not an error
    #expect(throws: SystemError.self) { try AtomicFile.write([], to: directory.path + "/no/such/dir/file") }
  }

  @Test func subprocessFeedsInputAndKeepsTheOutputsApart() throws {
    let echo = try Subprocess.run("sh", ["-c", "cat; echo err >&2; exit 3"], input: Array(String(repeating: "x", count: 200_000).utf8))
    #expect(echo.status == 3 && echo.stdout.count == 200_000 && echo.stderrText == "err\n" && !echo.timedOut)
    let merged = try Subprocess.run("sh", ["-c", "echo out; echo err >&2"], mergeOutput: true)
    #expect(merged.stdoutText == "out\nerr\n" && merged.stderr.isEmpty)
    #expect(throws: SystemError.self) { try Subprocess.run("/nonexistent/program", []) }
  }

  /// A deadline ends the program and whatever it started (its process group).
  @Test func subprocessTimeoutKillsTheGroup() throws {
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("systemlayer-\(getpid()).pid").path
    defer { unlink(pidFile) }
    let started = SystemClock.monotonic()
    let result = try Subprocess.run("sh", ["-c", "sleep 30 & echo $! > \(pidFile); wait"], timeout: 0.5)
    #expect(result.timedOut && SystemClock.monotonic() - started < 5)
    let background = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingWhitespace))
    // Gone, or a zombie waiting for whoever adopted it.
    let gone = { kill(background, 0) != 0 || ((try? String(contentsOfFile: "/proc/\(background)/stat", encoding: .utf8))?.contains(") Z ") ?? true) }
    #expect(waitUntil(seconds: 5, gone), "the background child outlived the timeout")
  }

  @Test func clockFormatsAgreeWithDate() throws {
    let seconds = 1_796_574_183
    for (format, ours) in [("+%Y-%m-%dT%H:%M:%SZ", SystemClock.iso8601(seconds)), ("+%Y-%m-%d %H:%M:%S UTC", SystemClock.readable(seconds)),
                           ("+%a, %d %b %Y %H:%M:%S +0000", SystemClock.rfc5322(seconds))] {
      let reference = try runProgram("date", ["-u", "-d", "@\(seconds)", format], environment: ["LC_ALL": "C"])
      #expect(reference.stdout == ours + "\n")
    }
    let before = SystemClock.monotonic()
    #expect(SystemClock.monotonic() >= before && abs(SystemClock.now() - Int(Date().timeIntervalSince1970)) <= 1)
  }

  @Test func whitespaceTrimmingKnowsCRLF() {
    #expect(" \tvalue \r\n".trimmingWhitespace == "value")
    #expect("a b".trimmingWhitespace == "a b")
    #expect(" \r\n ".trimmingWhitespace == "")
    #expect(errnoText(ENOENT) == "No such file or directory")
    #expect(SystemError("open", "/x", code: ENOENT).description == "cannot open /x: No such file or directory")
  }

  @Test func keyValueFilesHaveOneSyntax() throws {
    let text = "# comment\n  ; another\n\nserver = monitor.example.org \r\npassword=a#b;c\nquoted = \"x\"\nexclude = a\nexclude = b\n"
    let entries = try KeyValueFile.parse(text, path: "client.conf")
    #expect(entries.map(\.key) == ["server", "password", "quoted", "exclude", "exclude"])
    #expect(entries.map(\.value) == ["monitor.example.org", "a#b;c", "\"x\"", "a", "b"])
    #expect(entries.map(\.line) == [4, 5, 6, 7, 8])
    #expect(throws: KeyValueFile.SyntaxError.self) { try KeyValueFile.parse("ok = 1\nno equals here\n", path: "x.conf") }
    do { _ = try KeyValueFile.parse("ok = 1\nno equals here\n", path: "x.conf") } catch {
      #expect(error.description == "x.conf:2: expected 'key = value', found 'no equals here'")
    }
    #expect(try KeyValueFile.parse("cfg_dir=/etc\ndefine odd\n", path: "nagios.cfg", skippingOtherLines: true).map(\.key) == ["cfg_dir"])
  }

  @Test func argumentScannerSplitsOptionsValuesAndWords() throws {
    var scanner = ArgumentScanner(["--config=/etc/x.conf", "-t", "5", "show", "--json", "--", "--not-an-option", "--key"])
    #expect(scanner.next() == .option("--config", inline: "/etc/x.conf"))
    #expect(try scanner.value(of: "--config") == "/etc/x.conf")
    #expect(scanner.next() == .option("-t", inline: nil))
    #expect(try scanner.value(of: "-t") == "5")
    #expect(scanner.next() == .word("show"))
    #expect(scanner.next() == .option("--json", inline: nil))
    #expect(scanner.next() == .word("--not-an-option"))
    #expect(scanner.next() == .word("--key"))
    #expect(scanner.next() == nil)
    var missing = ArgumentScanner(["--key"])
    _ = missing.next()
    #expect(throws: ArgumentScanner.UsageError("--key needs a value")) { try missing.value(of: "--key") }
  }
}
