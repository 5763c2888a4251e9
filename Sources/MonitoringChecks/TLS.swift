// A TLS client session over a connected socket, with the system OpenSSL.
// The handshake never aborts on a bad certificate: the certificate is judged
// afterwards (CertificateVerdict) so each problem can be reported on its own.
import COpenSSL
import Glibc
import SystemLayer

final class TLSTransport: Transport {
  let socket: Socket
  private let ctx: OpaquePointer
  private let ssl: OpaquePointer

  /// - caFile: PEM bundle that replaces the system CA store (/etc/ssl/certs) when given.
  init(_ socket: Socket, serverName: String, caFile: String?) throws(CheckFailure) {
    self.socket = socket
    guard let ctx = SSL_CTX_new(TLS_client_method()) else {
      throw CheckFailure(.unknown, "cannot create TLS context: \(TLSTransport.lastError())")
    }
    self.ctx = ctx
    _ = copenssl_ctx_set_min_proto_version(ctx, copenssl_tls1_version())
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
    // Time is judged separately, so that an expired certificate does not hide an untrusted chain.
    X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx), UInt(X509_V_FLAG_NO_CHECK_TIME))
    if let caFile {
      if SSL_CTX_load_verify_locations(ctx, caFile, nil) != 1 {
        SSL_CTX_free(ctx)
        throw CheckFailure(.unknown, "cannot load CA file \(caFile): \(TLSTransport.lastError())")
      }
    } else {
      SSL_CTX_set_default_verify_paths(ctx)
    }
    guard let ssl = SSL_new(ctx) else {
      SSL_CTX_free(ctx)
      throw CheckFailure(.unknown, "cannot create TLS session: \(TLSTransport.lastError())")
    }
    self.ssl = ssl
    SSL_set_fd(ssl, socket.fd)
    if !serverName.isEmpty && !CertificateVerdict.isIPAddress(serverName) {
      _ = copenssl_set_tlsext_host_name(ssl, serverName)
    }
  }

  deinit {
    SSL_free(ssl)
    SSL_CTX_free(ctx)
  }

  static func lastError() -> String {
    let code = ERR_get_error()
    if code == 0 { return "unknown TLS error" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Waits as OpenSSL asks after a non-blocking call returned `rc`; false at a clean end of stream.
  private func retry(_ rc: Int32, _ what: String, _ deadline: Deadline) throws(CheckFailure) -> Bool {
    let code = SSL_get_error(ssl, rc)
    switch code {
    case SSL_ERROR_WANT_READ: try socket.wait(for: Int16(POLLIN), deadline, what); return true
    case SSL_ERROR_WANT_WRITE: try socket.wait(for: Int16(POLLOUT), deadline, what); return true
    case SSL_ERROR_ZERO_RETURN: return false
    case SSL_ERROR_SYSCALL:
      let e = errno
      ERR_clear_error()
      if e == 0 || e == EAGAIN { return false }  // peer closed without close_notify
      throw CheckFailure(.critical, "TLS \(what) failed: \(errnoText(e))")
    default:
      throw CheckFailure(.critical, "TLS \(what) failed: \(TLSTransport.lastError())")
    }
  }

  func handshake(_ deadline: Deadline) throws(CheckFailure) {
    while true {
      ERR_clear_error()
      let rc = SSL_connect(ssl)
      if rc == 1 { return }
      if try !retry(rc, "handshake with \(socket.peer)", deadline) {
        throw CheckFailure(.critical, "TLS handshake with \(socket.peer) failed: connection closed")
      }
    }
  }

  func read(max: Int, _ deadline: Deadline) throws(CheckFailure) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: max)
    while true {
      ERR_clear_error()
      let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32(max)) }
      if n > 0 { return Array(buffer.prefix(Int(n))) }
      if try !retry(n, "read from \(socket.peer)", deadline) { return [] }
    }
  }

  func write(_ bytes: [UInt8], _ deadline: Deadline) throws(CheckFailure) {
    var offset = 0
    while offset < bytes.count {
      ERR_clear_error()
      let n = bytes.withUnsafeBytes {
        SSL_write(ssl, $0.baseAddress! + offset, Int32(bytes.count - offset))
      }
      if n > 0 { offset += Int(n); continue }
      if try !retry(n, "write to \(socket.peer)", deadline) {
        throw CheckFailure(.critical, "connection closed by \(socket.peer)")
      }
    }
  }

  /// The peer's certificate judged against `hostname`.
  func verdict(hostname: String, expireBeforeDays: Int?) -> CertificateVerdict {
    guard let cert = SSL_get1_peer_certificate(ssl) else {
      return CertificateVerdict(problems: ["server sent no certificate"], daysLeft: nil, expireBeforeDays: expireBeforeDays)
    }
    defer { X509_free(cert) }
    // Both stacks belong to the session: no reference is taken or freed here.
    var chain: [OpaquePointer] = []
    if let stack = SSL_get0_verified_chain(ssl) ?? SSL_get_peer_cert_chain(ssl) {
      for i in 0..<copenssl_x509_stack_count(stack) {
        if let member = copenssl_x509_stack_at(stack, i) { chain.append(member) }
      }
    }
    return CertificateVerdict(certificate: cert, chain: chain, chainResult: SSL_get_verify_result(ssl),
                              hostname: hostname, expireBeforeDays: expireBeforeDays)
  }
}
