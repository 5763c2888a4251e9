// The command line of check_monitoring_info (Nagios plugin conventions), kept in the
// library so that tests can drive it; the executable only prints and exits.
import Glibc
import MonitoringInfo

public enum Plugin {
  public static let version = MonitoringInfoVersion.current
  public static let passwordVariable = PackageFacts.pluginPasswordVariable

  public static let usage = """
    Usage:
      check_monitoring_info --registration HOST|FILE --service NAME [-H ADDRESS] [options]
      check_monitoring_info TYPE -H HOST [--port N] [--ssl|--starttls] [--KEY VALUE ...] [options]

    TYPE is one of: \(CheckType.allCases.map(\.rawValue).joined(separator: " ")).
    KEY is any key of the monitoring-info format for that type (uri, accept_redirection,
    hostname, ssl_hostname, ignore_invalid_ssl, expire_before_days, email, mailflowid,
    username, seconds, id); '-' may stand for '_'. Boolean keys alone mean true.
    --ssl: TLS from the first byte; --starttls (smtp, imap, pop3, ldap): TLS switched on
    inside the protocol on its plain port.
    Passwords are never taken from the command line: --password-file FILE, or the
    environment variable \(passwordVariable).

    Options:
      -H, --host ADDRESS       host to check (registration mode: address to connect to)
      -t, --timeout SECONDS    give up after SECONDS (1-3600, default 10) with UNKNOWN
      --registrations DIR      registration store (default \(Registration.defaultDirectory))
      --ca-file FILE           trust the CAs in FILE instead of the system store
      --mailflow-dir DIR       mail-flow token store (default \(CheckContext.defaultMailflowDirectory))
      -h, --help               this text
      -V, --version            the version

    Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also usage errors and timeouts).

    """

  public enum Action { case help, version, check(label: String, spec: ServiceSpec, context: CheckContext) }

  /// What is known of a run before it fails: the status line's label (the check's type once
  /// known) and the secrets to mask in any message.
  public struct Invocation: Sendable {
    public var label = "MONITORING-INFO"
    public var secrets: [String] = []
    public init() {}

    mutating func learn(type: String) {
      if let known = CheckType(rawValue: type) { label = known.rawValue.uppercased() }
    }
  }

  /// The timeout option's value: seconds from 1 to 3600 (a decimal number, no exponent).
  public static func timeout(_ text: String) -> Double? {
    guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }),
          let t = Double(text), t >= 1, t <= 3600 else { return nil }
    return t
  }

  /// An address given with -H: a host name (the format's rules; a final dot is allowed here)
  /// or an IP address. Nothing else may reach a Host header or a certificate check.
  static func isValidAddress(_ host: String) -> Bool {
    HostName.isValid(host.hasSuffix(".") ? String(host.dropLast()) : host) || CertificateVerdict.isIPAddress(host)
  }

  /// Keys that stand alone for true: every boolean of the schema table.
  static let booleanKeys: Set<String> = CheckType.allCases.reduce(into: Set<String>()) {
    $0.formUnion($1.schema.keys.filter { $0.kind == .boolean }.map(\.name))
  }
  static let formatKeys: Set<String> = CheckType.allCases.reduce(into: Set<String>()) {
    $0.formUnion($1.schema.keys.map(\.name))
  }

  /// Parses arguments (without argv[0]); usage errors are UNKNOWN failures.
  public static func parse(_ arguments: [String], environment: [String: String],
                           invocation: inout Invocation) throws(CheckFailure) -> Action {
    var type: String?
    var host: String?
    var registration: String?, service: String?
    var directory = Registration.defaultDirectory
    var timeout = 10.0
    var caFile: String?, mailflowDirectory = CheckContext.defaultMailflowDirectory
    var passwordFile: String?
    var params: [String: String] = [:]

    var scanner = ArgumentScanner(arguments)
    func value(_ option: String) throws(CheckFailure) -> String {
      do { return try scanner.value(of: option) } catch { throw CheckFailure(.unknown, "option \(option) needs a value") }
    }
    while let item = scanner.next() {
      switch item {
      case .word(let name):
        guard type == nil && registration == nil else { throw CheckFailure(.unknown, "unexpected argument '\(name)'") }
        type = name
        invocation.learn(type: name)
      case .option(let name, let inline):
        switch name {
        case "-h", "--help": return .help
        case "-V", "--version": return .version
        case "-H", "--host", "--hostaddress": host = try value(name)
        case "-p": params["port"] = try value(name)
        case "-t", "--timeout":
          let text = try value(name)
          guard let t = Plugin.timeout(text) else {
            throw CheckFailure(.unknown, "invalid timeout '\(text)' (expected seconds, 1-3600)")
          }
          timeout = t
        case "--registration": registration = try value(name)
        case "--service": service = try value(name)
        case "--registrations": directory = try value(name)
        case "--ca-file": caFile = try value(name)
        case "--mailflow-dir": mailflowDirectory = try value(name)
        case "--password-file": passwordFile = try value(name)
        case "--password", "-P":
          throw CheckFailure(.unknown, "passwords are not accepted on the command line: use --password-file "
            + "or the environment variable \(passwordVariable)")
        default:
          guard name.hasPrefix("--") else { throw CheckFailure(.unknown, "unknown option \(name)") }
          let key = String(name.dropFirst(2).map { $0 == "-" ? "_" : $0 })
          guard formatKeys.contains(key) || key == "port" else { throw CheckFailure(.unknown, "unknown option \(name)") }
          params[key] = booleanKeys.contains(key) && inline == nil ? "true" : try value(name)
        }
      }
    }

    let context = CheckContext(timeout: timeout, caFile: caFile, mailflowDirectory: mailflowDirectory)
    if let registration {
      guard type == nil, params.isEmpty, passwordFile == nil else {
        throw CheckFailure(.unknown, "--registration takes its parameters from the registration, not the command line")
      }
      guard let service else { throw CheckFailure(.unknown, "--registration needs --service NAME") }
      if let host, !isValidAddress(host) { throw CheckFailure(.unknown, "invalid host address '\(host)'") }
      let spec = try Registration.load(registration, directory: directory)
        .spec(service: service, address: host, invocation: &invocation)
      return .check(label: spec.type.rawValue.uppercased(), spec: spec, context: context)
    }
    guard let type else { throw CheckFailure(.unknown, "no check type given (or --registration)") }
    if service != nil { throw CheckFailure(.unknown, "--service needs --registration") }
    if let passwordFile {
      params["password"] = try readSecret(passwordFile)
    } else if let secret = environment[passwordVariable], !secret.isEmpty {
      params["password"] = secret
    }
    if let password = params["password"] { invocation.secrets.append(password) }
    let needsHost = type != CheckType.mailflow.rawValue
    guard let host = host ?? (needsHost ? nil : "localhost") else { throw CheckFailure(.unknown, "-H HOST is required") }
    guard isValidAddress(host) else { throw CheckFailure(.unknown, "invalid host '\(host)'") }
    let spec = try ServiceSpec.make(name: type, type: type, host: host, params: params)
    return .check(label: spec.type.rawValue.uppercased(), spec: spec, context: context)
  }

  /// The first line of a file, without its line break.
  static func readSecret(_ path: String) throws(CheckFailure) -> String {
    let bytes: [UInt8]
    do { bytes = try Registration.readFile(path) } catch {
      throw CheckFailure(.unknown, "cannot read password file \(path)")
    }
    let line = bytes.split(separator: 10, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
    var text = String(decoding: line, as: UTF8.self)
    if text.hasSuffix("\r") { text.removeLast() }
    return text
  }

  /// Parses, runs, and returns the text to print and the exit status. `announce` learns the
  /// status line's label as soon as it is known (for the backstop alarm's line).
  public static func main(_ arguments: [String], environment: [String: String],
                          announce: (String) -> Void = { _ in }) -> (String, Int32) {
    var invocation = Invocation()
    do {
      switch try parse(arguments, environment: environment, invocation: &invocation) {
      case .help: return ("check_monitoring_info \(version)\n\n" + usage, 0)
      case .version: return ("check_monitoring_info \(version)\n", 0)
      case let .check(label, spec, context):
        announce(label)
        let result = Checker.run(spec, context)
        return (result.rendered(label: label, secrets: invocation.secrets) + "\n", result.status.rawValue)
      }
    } catch {
      let line = CheckResult(.unknown, error.message).rendered(label: invocation.label, secrets: invocation.secrets)
      return (line + "\n", 3)
    }
  }
}
