import Glibc
import MonitoringInfo

/// The Icinga 2 REST API, through curl (the API is HTTPS with Icinga's own CA). The password
/// and the request go to curl on standard input (`--config -`), never on its command line.
struct Icinga2API {
  let settings: Icinga2Settings
  /// The name the API's certificate must carry: the setting, else Icinga's NodeName (the name
  /// `icinga2 api setup` makes the certificate for), looked up once.
  let serverName: String?

  init(settings: Icinga2Settings) {
    self.settings = settings
    serverName = settings.apiServerName ?? Icinga2Zone.variable("NodeName", settings)
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// `GET`-with-body (`X-HTTP-Method-Override`), so filters need no URL encoding.
  func query(_ path: String, _ body: JSONValue) throws(Failure) -> JSONValue {
    try request(path, body: body, override: "GET")
  }

  func post(_ path: String, _ body: JSONValue) throws(Failure) -> JSONValue {
    try request(path, body: body, override: nil)
  }

  func request(_ path: String, body: JSONValue, override: String?, timeout: Double = 30) throws(Failure) -> JSONValue {
    guard let secret = try? FileReader.read(settings.apiPasswordFile, limit: 4096) else {
      throw Failure("cannot read the API password from \(settings.apiPasswordFile)")
    }
    let password = String(decoding: secret.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    var config = ""
    if let name = serverName, let endpoint = Self.endpoint(settings.api) {
      // Icinga's certificate names the node, not the address: connect to the address, check the name.
      config += "url = " + Self.quoted("https://\(name):\(endpoint.port)" + path) + "\n"
      config += "connect-to = " + Self.quoted("\(name):\(endpoint.port):\(endpoint.host):\(endpoint.port)") + "\n"
    } else {
      config += "url = " + Self.quoted(settings.api + path) + "\n"
    }
    config += "user = " + Self.quoted(settings.apiUser + ":" + password) + "\n"
    config += "cacert = " + Self.quoted(settings.caFile) + "\n"
    config += "request = \"POST\"\n"
    config += "header = \"Accept: application/json\"\n"
    if let override { config += "header = " + Self.quoted("X-HTTP-Method-Override: " + override) + "\n" }
    config += "data = " + Self.quoted(body.serialized) + "\n"
    let result: Subprocess.Result
    do {
      result = try Subprocess.run("curl", ["--silent", "--show-error", "--max-time", "\(Int(timeout))", "--config", "-"],
        input: Array(config.utf8), timeout: timeout + 5)
    } catch { throw Failure("cannot run curl: \(error)") }
    guard result.status == 0 else {
      throw Failure("the Icinga 2 API at \(settings.api) does not answer: \(result.stderrText.trimmingWhitespace)")
    }
    guard let reply = try? JSONValue.parse(result.stdout) else {
      throw Failure("the Icinga 2 API at \(settings.api) sent no JSON: \(String(result.stdoutText.prefix(200)))")
    }
    if let error = reply["error"]?.intValue, error >= 400 {
      throw Failure("the Icinga 2 API refused \(path): \(reply["status"]?.stringValue ?? "error \(error)")")
    }
    return reply
  }

  /// A curl config string: double quotes, with `\` and `"` escaped.
  static func quoted(_ text: String) -> String { backslashQuoted(text) }

  /// Host and port of `https://HOST:PORT`.
  static func endpoint(_ url: String) -> (host: String, port: String)? {
    guard url.hasPrefix("https://") else { return nil }
    let rest = url.dropFirst(8).prefix { $0 != "/" }
    guard let colon = rest.lastIndex(of: ":") else { return (String(rest), "443") }
    return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
  }
}

extension Icinga2API.Failure {
  init(_ description: String) { self.description = description }
}
