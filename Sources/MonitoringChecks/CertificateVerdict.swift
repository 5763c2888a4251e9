// The three certificate checks of the format, each reported on its own:
// validity period (plus expire_before_days), name match, trusted chain.
import COpenSSL
import Glibc

public struct CertificateVerdict: Sendable {
  /// Human-readable problems, in the order: dates, name, chain. Empty means the certificate is good.
  public var problems: [String]
  /// Whole days until the earliest notAfter of the chain (negative when expired).
  public var daysLeft: Int?
  public var expireBeforeDays: Int?

  init(problems: [String], daysLeft: Int?, expireBeforeDays: Int?) {
    self.problems = problems; self.daysLeft = daysLeft; self.expireBeforeDays = expireBeforeDays
  }

  /// `chain` is the verified chain, leaf first (the peer's chain when it did not verify).
  /// Every certificate's dates count: an expired intermediate breaks the service as surely as
  /// an expired leaf, and `expire_before_days` is measured against the earliest expiry.
  init(certificate cert: OpaquePointer, chain: [OpaquePointer], chainResult: Int, hostname: String,
       expireBeforeDays: Int?) {
    var problems: [String] = []
    var earliest: (days: Int, seconds: Int, name: String)?
    for (index, member) in ([cert] + chain.dropFirst()).enumerated() {
      let which = index == 0 ? "certificate" : "certificate '\(CertificateVerdict.subject(member))' in the chain"
      if let notBefore = X509_get0_notBefore(member), X509_cmp_current_time(notBefore) > 0 {
        problems.append("\(which) is not yet valid")
      }
      guard let notAfter = X509_get0_notAfter(member) else { continue }
      var days: Int32 = 0, seconds: Int32 = 0
      guard ASN1_TIME_diff(&days, &seconds, nil, notAfter) == 1 else { continue }
      if let e = earliest, (e.days, e.seconds) <= (Int(days), Int(seconds)) { continue }
      earliest = (Int(days), Int(seconds), which)
    }
    if let e = earliest {
      if e.days < 0 || (e.days == 0 && e.seconds < 0) {
        problems.insert("\(e.name) expired \(-e.days) days ago", at: 0)
      } else if let limit = expireBeforeDays, e.days < limit {
        problems.insert("\(e.name) expires in \(e.days) days (expire_before_days \(limit))", at: 0)
      }
    }
    if !hostname.isEmpty && !CertificateVerdict.matches(cert, hostname) {
      problems.append("certificate does not match name '\(hostname)'")
    }
    if chainResult != Int(X509_V_OK) {
      let reason = X509_verify_cert_error_string(chainResult).map { String(cString: $0) } ?? "error \(chainResult)"
      problems.append("certificate not trusted (\(reason))")
    }
    self.init(problems: problems, daysLeft: earliest?.days, expireBeforeDays: expireBeforeDays)
  }

  /// The subject's common name part as OpenSSL prints it ("/CN=...").
  static func subject(_ cert: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard let name = X509_get_subject_name(cert), X509_NAME_oneline(name, &buffer, Int32(buffer.count)) != nil else {
      return "?"
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// SAN first (wildcards in the left-most label), CN only when there is no DNS SAN.
  static func matches(_ cert: OpaquePointer, _ name: String) -> Bool {
    if isIPAddress(name) { return X509_check_ip_asc(cert, name, 0) == 1 }
    return X509_check_host(cert, name, name.utf8.count, 0, nil) == 1
  }

  static func isIPAddress(_ name: String) -> Bool {
    var v4 = in_addr(), v6 = in6_addr()
    return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
  }

  public var perfdata: Perfdata? {
    guard let daysLeft else { return nil }
    return Perfdata("cert_days_left", String(daysLeft), critical: expireBeforeDays.map { "\($0):" } ?? "")
  }
}
