/// What a binary package must do about the fragments it ships, beyond their contents: activate
/// the producer trigger without awaiting, and not ship a password readable by everyone. The one
/// definition, used by dh_monitoringinfo while it builds the package and by the lintian check,
/// which hands the built package's facts to `monitoring-info-lint --triggers FILE --mode
/// PATH=MODE` instead of repeating these rules in Perl.
public enum PackageFacts {
  /// The explicit trigger every package with a fragment activates.
  public static let producerTrigger = "monitoring-info-changed"
  /// Where fragments are installed (relative to the root).
  public static let fragmentDirectory = "etc/monitoring-info"
  /// The environment variable check_monitoring_info takes a password from (never argv).
  public static let pluginPasswordVariable = "CHECK_MONITORING_INFO_PASSWORD"

  /// How a triggers file names `name`: the line and its directive (`activate-noawait`,
  /// `activate`, ...), or nil when no line does. Comment lines do not count.
  public static func triggerDeclaration(_ bytes: [UInt8], _ name: String = producerTrigger) -> (line: Int, directive: String)? {
    let lines = String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    for (index, line) in lines.enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if fields.count >= 2 && !fields[0].hasPrefix("#") && fields[1] == Substring(name) {
        return (index + 1, String(fields[0]))
      }
    }
    return nil
  }

  /// The fragment sets a password: a `password` key with a value in any section, valid or not
  /// (an invalid fragment exposes it all the same).
  public static func setsPassword(_ file: SourceFile) -> Bool {
    let (fragment, _) = FragmentParser().parse(file)
    return fragment.sections.contains { $0.entries.contains { $0.key == "password" && !$0.value.isEmpty } }
  }

  /// A fragment placed where the client reads it (`etc/monitoring-info/NAME`, no deeper).
  public static func isPlaced(_ path: String) -> Bool {
    var relative = Substring(path)
    if relative.hasPrefix("./") { relative = relative.dropFirst(2) }
    guard relative.hasPrefix(fragmentDirectory + "/") else { return false }
    return !relative.dropFirst(fragmentDirectory.count + 1).contains("/")
  }

  /// The package findings for fragments of a built package: the trigger (given `triggers`,
  /// the package's triggers file, or nil when it has none) on the first placed fragment, and
  /// world-readable passwords (`modes`: permission bits by path).
  public static func findings(files: [SourceFile], triggers: [UInt8]?, modes: [String: UInt32]) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    if let first = files.first(where: { isPlaced($0.path) }) {
      let declared = triggers.flatMap { triggerDeclaration($0) }
      switch declared?.directive {
      case "activate-noawait": break
      case let directive? where directive == "activate" || directive == "activate-await":
        diagnostics.append(Diagnostic(rule: .triggerAwaits, in: first, at: nil, message: "\(directive) \(producerTrigger)"))
      default:
        diagnostics.append(Diagnostic(rule: .fragmentWithoutTrigger, in: first, at: nil, message: "activate-noawait \(producerTrigger)"))
      }
    }
    for file in files {
      guard let mode = modes[file.path], mode & 0o004 != 0, setsPassword(file) else { continue }
      diagnostics.append(Diagnostic(rule: .worldReadableCredentials, in: file, at: nil, message: octal(mode)))
    }
    return diagnostics
  }

  /// `0644`, as lintian prints permissions.
  static func octal(_ mode: UInt32) -> String {
    let digits = String(mode & 0o7777, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
