#if canImport(Glibc)
import Glibc
#endif

/// The name this host registers under: `host` from the configuration, else the canonical name
/// of the system's host name (what `hostname --fqdn` prints).
public enum HostIdentity {
  public static func name(configured: String?) -> String {
    if let configured { return configured }
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let short = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var hints = addrinfo()
    hints.ai_flags = AI_CANONNAME
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(short, nil, &hints, &result) == 0, let first = result else { return short }
    defer { freeaddrinfo(result) }
    guard let canonical = first.pointee.ai_canonname else { return short }
    let name = String(cString: canonical)
    return name.contains(".") || !short.contains(".") ? name : short
  }
}
