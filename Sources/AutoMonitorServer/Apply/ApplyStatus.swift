import Glibc
import MonitoringInfo

/// `status.json` in the backend's directory: the last apply's result and error, the quarantined
/// hosts, and running totals of verifications and reloads (what `auto-monitor-server status`
/// shows; a switch of backend starts them anew).
public enum ApplyStatus {
  public static func load(_ settings: ServerSettings) -> JSONValue? {
    guard let bytes = try? FileReader.read(settings.statusFile, limit: 1 << 22) else { return nil }
    return try? JSONValue.parse(bytes)
  }

  static func record(_ outcome: ApplyOutcome, settings: ServerSettings) {
    let previous = load(settings)
    var members: [String: JSONValue] = [
      "time": .number(Int(time(nil))),
      "result": .string(outcome.result.rawValue),
      "message": .string(outcome.message),
      "verifications": .number(outcome.verifications),
      "reloads": .number(outcome.reloads),
      "total_verifications": .number((previous?["total_verifications"]?.intValue ?? 0) + outcome.verifications),
      "total_reloads": .number((previous?["total_reloads"]?.intValue ?? 0) + outcome.reloads),
      "quarantined": .object(outcome.quarantined.mapValues { .string($0) }),
    ]
    if let error = outcome.error { members["error"] = .string(error) }
    // The last failure stays visible after later applies that changed nothing.
    if outcome.result == .failed {
      members["last_failure"] = .object(["time": .number(Int(time(nil))), "error": .string(outcome.error ?? outcome.message)])
    } else if outcome.result == .unchanged, let failure = previous?["last_failure"], previous?["result"]?.stringValue == "failed" {
      members["last_failure"] = failure
      members["result"] = .string("failed")
      members["error"] = previous?["error"]
    }
    try? AtomicFile.write(Array((JSONValue.object(members).serialized + "\n").utf8), to: settings.statusFile, mode: 0o644)
  }

  /// The watcher tries a failed apply again in `seconds`: `next_retry` (epoch seconds), until
  /// the next apply is recorded.
  static func noteRetry(_ settings: ServerSettings, in seconds: Int) {
    guard var members = load(settings)?.objectValue else { return }
    members["next_retry"] = .number(Int(time(nil)) + seconds)
    try? AtomicFile.write(Array((JSONValue.object(members).serialized + "\n").utf8), to: settings.statusFile, mode: 0o644)
  }
}
