/// Why the client could not do its job (as opposed to findings in fragments, which it reports
/// and works around). The text names the file or the server and what to do.
public enum ClientError: Error, CustomStringConvertible, Sendable, Equatable {
  case configuration(String)
  case packageDatabase(String)
  case state(String)
  case transport(String)
  /// No connection to the server (`user@server:port`) could be made, and why.
  case unreachable(String, Unreachable)
  /// The server (`user@server:port`) cannot take the request now but will soon: retried
  /// within the run after a short random delay (BusyRetryPlan).
  case busy(String, ServerBusy)
  case server(String)
  /// The server holds this host's enrollment request and waits for its administrator.
  case enrollmentPending(String)
  case usage(String)

  public var description: String {
    switch self {
    case let .configuration(text): "configuration: \(text)"
    case let .packageDatabase(text): "dpkg database: \(text)"
    case let .state(text): "state directory: \(text)"
    case let .transport(text): "ssh: \(text)"
    case let .unreachable(destination, why): "cannot reach the server \(destination): \(why)"
    case let .busy(destination, why): "server \(destination) busy: \(why)"
    case let .server(text): "server: \(text)"
    case let .enrollmentPending(text): "server: \(text)"
    case let .usage(text): text
    }
  }
}
