import MonitoringInfo

/// The AuthorizedKeysCommand's answer for one key (`%u %t %k`): a bound key gets the receiver
/// as its forced command with `--client HOST`; any other key gets the receiver in enrollment
/// mode, which can only file a request. Both lines carry `restrict` (no pty, forwarding, agent,
/// X11, user rc). Nothing for another user or a key that does not look like one.
public struct AuthorizedKeys: Sendable {
  public let settings: ServerSettings
  public init(settings: ServerSettings) { self.settings = settings }

  public func line(user: String, type: String, blob: String) -> String? {
    guard user == settings.user, let key = SSHPublicKey(type: type, blob: blob) else { return nil }
    var command = settings.receiver
    if settings.configPath != ServerSettings.defaultPath { command += " --config " + settings.configPath }
    if let host = KeyBindings(settings: settings).host(for: key) {
      command += " --client " + host
    } else {
      command += " --unbound-key " + key.type + " " + key.blob
    }
    // The path and config path come from the administrator; refuse anything that would end the
    // quoted command early.
    guard !command.contains("\""), !command.contains("\\"), !command.contains("\n") else { return nil }
    return "restrict,command=\"\(command)\" \(key.line)\n"
  }
}
