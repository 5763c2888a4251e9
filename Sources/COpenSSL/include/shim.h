// The system OpenSSL (libssl-dev) for Swift. Function-like macros are not
// imported by Swift, so the ones we need are wrapped as static inline functions.
// libssl is not linked: loader.c loads it on first use (dlopen), so that a check
// without TLS does not pay about a millisecond for loading OpenSSL (bench/plugin).
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/rand.h>

static inline long copenssl_set_tlsext_host_name(SSL *ssl, const char *name) {
  return SSL_set_tlsext_host_name(ssl, name);
}

static inline int copenssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
  return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int copenssl_tls1_version(void) { return TLS1_VERSION; }

static inline void copenssl_free(void *p) { OPENSSL_free(p); }

static inline int copenssl_x509_stack_count(STACK_OF(X509) *chain) { return sk_X509_num(chain); }

static inline X509 *copenssl_x509_stack_at(STACK_OF(X509) *chain, int i) { return sk_X509_value(chain, i); }

#endif
