// The hostile-server harness: one small server (Fixtures/hostile-server.py) with many
// behaviours, the plugin run as a child and measured (exit status, output, wall time,
// peak memory from wait4), and the checks every result must pass: one status line that
// starts with the check's type, no control character, no '|' but the one before the
// plugin's own perfdata, under 32 MiB, within its time limit.
import Foundation
import TestKit
import Testing

/// A hostile server on 127.0.0.1 with one behaviour; `log` holds what the plugin sent.
final class HostileServer {
  let port = allocatePort()
  let log: String
  let server: Server

  init(_ behaviour: String) throws {
    let dir = try makeTempDirectory("hostile")
    log = dir + "/received"
    server = try Server("hostile-\(behaviour)", Paths.python,
      [Paths.fixtures.appendingPathComponent("hostile-server.py").path, behaviour, "\(port)", log],
      port: port, directory: dir)
  }

  /// Everything the plugin sent so far.
  var received: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

  deinit { server.stop() }
}

/// One plugin run as measured by the harness.
struct Measurement: CustomStringConvertible {
  var status: Int32
  var output: [UInt8]
  var seconds: Double
  var peakKiB: Int

  var text: String { String(decoding: output, as: UTF8.self) }
  var description: String { "[\(status)] \(Int(seconds * 1000)) ms, \(peakKiB) KiB: \(text.debugDescription)" }
}

/// Runs the plugin and measures it. GNU time forks the plugin from its own small process and
/// reads its peak RSS with wait4: a child spawned from this test process directly would
/// inherit the test process's high-water mark across exec.
func measurePlugin(_ arguments: [String], environment: [String: String] = [:]) throws -> Measurement {
  let dir = try makeTempDirectory("measure")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let started = Date()
  let pid = try spawn("/usr/bin/time", ["-f", "%M", "-o", dir + "/rss", Paths.plugin] + arguments,
                      output: dir + "/out", environment: environment)
  let status = waitFor(pid)
  let seconds = Date().timeIntervalSince(started)
  let output = (try? Data(contentsOf: URL(fileURLWithPath: dir + "/out"))).map { [UInt8]($0) } ?? []
  let rss = (try? String(contentsOfFile: dir + "/rss", encoding: .utf8)) ?? ""
  let peak = rss.split(separator: "\n").last.flatMap { Int($0) } ?? Int.max
  return Measurement(status: status, output: output, seconds: seconds, peakKiB: peak)
}

enum Harness {
  static let memoryLimitKiB = 32 * 1024
  static let perfdataLabels: Set<String> = ["time", "size", "cert_days_left", "tokens", "oldest"]

  /// Appends one line per case to $HOSTILE_REPORT (for the before/after table of the issue).
  static func record(_ name: String, _ m: Measurement) {
    guard let path = ProcessInfo.processInfo.environment["HOSTILE_REPORT"] else { return }
    let line = "\(name)\t\(m.status)\t\(Int(m.seconds * 1000)) ms\t\(m.peakKiB / 1024) MiB\t"
      + "\(m.text.prefix(110).debugDescription)\n"
    let lock = NSLock()
    lock.lock(); defer { lock.unlock() }
    if let handle = FileHandle(forWritingAtPath: path) {
      handle.seekToEndOfFile(); handle.write(line.data(using: .utf8)!); handle.closeFile()
    } else {
      try? line.write(toFile: path, atomically: false, encoding: .utf8)
    }
  }

  /// The plugin contract for any input: one status line `LABEL STATE - text[ | perfdata]`.
  static func expectWellFormed(_ m: Measurement, _ name: String, label: String, status: Set<Int32>,
                               seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    record(name, m)
    #expect(status.contains(m.status), "\(name): exit status \(m): expected \(status.sorted())",
            sourceLocation: sourceLocation)
    #expect(m.peakKiB < memoryLimitKiB, "\(name): peak memory \(m.peakKiB) KiB", sourceLocation: sourceLocation)
    #expect(m.seconds < seconds, "\(name): took \(m.seconds) s (limit \(seconds) s)", sourceLocation: sourceLocation)
    #expect(m.output.last == 10 && m.output.filter { $0 == 10 }.count == 1,
            "\(name): not exactly one line: \(m)", sourceLocation: sourceLocation)
    let line = m.output.dropLast()
    #expect(!line.contains { $0 < 0x20 || $0 == 0x7f }, "\(name): control byte in \(m)", sourceLocation: sourceLocation)
    let text = String(decoding: line, as: UTF8.self)
    #expect(!text.unicodeScalars.contains { (0x80...0x9f).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 },
            "\(name): C1 control or line separator in \(m)", sourceLocation: sourceLocation)
    let states = ["OK", "WARNING", "CRITICAL", "UNKNOWN"]
    #expect(states.contains { text.hasPrefix("\(label) \($0) - ") }, "\(name): status line \(m)",
            sourceLocation: sourceLocation)
    let parts = text.split(separator: "|", omittingEmptySubsequences: false)
    #expect(parts.count <= 2, "\(name): foreign '|' in \(m)", sourceLocation: sourceLocation)
    if parts.count == 2 {
      for item in parts[1].split(separator: " ") {
        let label = item.split(separator: "=").first.map(String.init) ?? ""
        #expect(perfdataLabels.contains(label), "\(name): foreign perfdata '\(item)' in \(m)",
                sourceLocation: sourceLocation)
      }
    }
  }
}

/// One observed case: a behaviour of the hostile server and what the plugin must make of it.
struct HostileCase: Sendable, CustomTestStringConvertible {
  var type: String
  var behaviour: String
  var status: Set<Int32>
  var arguments: [String] = []
  var timeout = 3
  /// The most the run may take: a bounded reply ends long before the timeout; a silent server
  /// ends at the timeout, with slack for a loaded machine (the backstop alarm would say
  /// "plugin timed out" instead, which the cases tell apart).
  var within: Double? = nil
  var limit: Double { within ?? Double(timeout) + 1.5 }
  /// Text the line must contain.
  var contains: String? = nil
  var testDescription: String { "\(type) \(behaviour)" }
}
