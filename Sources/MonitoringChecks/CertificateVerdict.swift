// The three certificate checks of the format, each reported on its own:
// validity period (plus expire_before_days), name match, trusted chain.
import COpenSSL
import Glibc

public struct CertificateVerdict: Sendable {
  /// Human-readable problems, in the order: dates, name, chain. Empty means the certificate is good.
  public var problems: [String]
  /// Whole days until notAfter (negative when expired).
  public var daysLeft: Int?
  public var expireBeforeDays: Int?

  init(problems: [String], daysLeft: Int?, expireBeforeDays: Int?) {
    self.problems = problems; self.daysLeft = daysLeft; self.expireBeforeDays = expireBeforeDays
  }

  init(certificate cert: OpaquePointer, chainResult: Int, hostname: String, expireBeforeDays: Int?) {
    var problems: [String] = []
    var daysLeft: Int?
    if let notAfter = X509_get0_notAfter(cert) {
      var days: Int32 = 0, seconds: Int32 = 0
      if ASN1_TIME_diff(&days, &seconds, nil, notAfter) == 1 {
        daysLeft = Int(days)
        if days < 0 || (days == 0 && seconds < 0) {
          problems.append("certificate expired \(-Int(days)) days ago")
        } else if let limit = expireBeforeDays, Int(days) < limit {
          problems.append("certificate expires in \(days) days (expire_before_days \(limit))")
        }
      }
    }
    if let notBefore = X509_get0_notBefore(cert), X509_cmp_current_time(notBefore) > 0 {
      problems.append("certificate is not yet valid")
    }
    if !hostname.isEmpty && !CertificateVerdict.matches(cert, hostname) {
      problems.append("certificate does not match name '\(hostname)'")
    }
    if chainResult != Int(X509_V_OK) {
      let reason = X509_verify_cert_error_string(chainResult).map { String(cString: $0) } ?? "error \(chainResult)"
      problems.append("certificate not trusted (\(reason))")
    }
    self.init(problems: problems, daysLeft: daysLeft, expireBeforeDays: expireBeforeDays)
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
