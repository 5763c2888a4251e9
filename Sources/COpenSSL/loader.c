// Loads libssl.so.3 on first use and forwards the OpenSSL functions the checks call.
// Each function below has the exact prototype from the OpenSSL headers; the binary does
// not link libssl, so these definitions are the ones the Swift code binds to.
#include "shim.h"
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

static void *copenssl_symbol(const char *name) {
  static void *handle;
  if (!handle) handle = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
  void *fn = handle ? dlsym(handle, name) : NULL;
  if (!fn) {
    static const char prefix[] = "MONITORING-INFO UNKNOWN - cannot load OpenSSL (libssl.so.3): ";
    const char *why = handle ? name : dlerror();
    if (!why) why = "unknown error";
    (void)!write(1, prefix, sizeof prefix - 1);
    (void)!write(1, why, strlen(why));
    (void)!write(1, "\n", 1);
    _exit(3);
  }
  return fn;
}

#define FORWARD(ret, name, params, args)                                   \
  ret name params {                                                       \
    static ret(*fn) params;                                               \
    if (!fn) fn = (ret(*) params)copenssl_symbol(#name);                  \
    return fn args;                                                       \
  }
#define FORWARD_VOID(name, params, args)                                   \
  void name params {                                                      \
    static void(*fn) params;                                              \
    if (!fn) fn = (void(*) params)copenssl_symbol(#name);                 \
    fn args;                                                              \
  }

FORWARD(const SSL_METHOD *, TLS_client_method, (void), ())
FORWARD(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *m), (m))
FORWARD_VOID(SSL_CTX_free, (SSL_CTX *c), (c))
FORWARD(long, SSL_CTX_ctrl, (SSL_CTX *c, int cmd, long larg, void *parg), (c, cmd, larg, parg))
FORWARD_VOID(SSL_CTX_set_verify, (SSL_CTX *c, int mode, SSL_verify_cb cb), (c, mode, cb))
FORWARD(X509_VERIFY_PARAM *, SSL_CTX_get0_param, (SSL_CTX *c), (c))
FORWARD(int, X509_VERIFY_PARAM_set_flags, (X509_VERIFY_PARAM *p, unsigned long flags), (p, flags))
FORWARD(int, SSL_CTX_load_verify_locations, (SSL_CTX *c, const char *file, const char *path), (c, file, path))
FORWARD(int, SSL_CTX_set_default_verify_paths, (SSL_CTX *c), (c))
FORWARD(SSL *, SSL_new, (SSL_CTX *c), (c))
FORWARD_VOID(SSL_free, (SSL *s), (s))
FORWARD(int, SSL_set_fd, (SSL *s, int fd), (s, fd))
FORWARD(long, SSL_ctrl, (SSL *s, int cmd, long larg, void *parg), (s, cmd, larg, parg))
FORWARD(int, SSL_connect, (SSL *s), (s))
FORWARD(int, SSL_read, (SSL *s, void *buf, int num), (s, buf, num))
FORWARD(int, SSL_write, (SSL *s, const void *buf, int num), (s, buf, num))
FORWARD(int, SSL_get_error, (const SSL *s, int ret), (s, ret))
FORWARD(X509 *, SSL_get1_peer_certificate, (const SSL *s), (s))
FORWARD(long, SSL_get_verify_result, (const SSL *s), (s))
FORWARD(unsigned long, ERR_get_error, (void), ())
FORWARD_VOID(ERR_clear_error, (void), ())
FORWARD_VOID(ERR_error_string_n, (unsigned long e, char *buf, size_t len), (e, buf, len))
FORWARD_VOID(X509_free, (X509 *x), (x))
FORWARD(const ASN1_TIME *, X509_get0_notAfter, (const X509 *x), (x))
FORWARD(const ASN1_TIME *, X509_get0_notBefore, (const X509 *x), (x))
FORWARD(int, ASN1_TIME_diff, (int *pday, int *psec, const ASN1_TIME *from, const ASN1_TIME *to), (pday, psec, from, to))
FORWARD(int, X509_cmp_current_time, (const ASN1_TIME *t), (t))
FORWARD(int, X509_check_host, (X509 *x, const char *chk, size_t chklen, unsigned int flags, char **peername),
        (x, chk, chklen, flags, peername))
FORWARD(int, X509_check_ip_asc, (X509 *x, const char *address, unsigned int flags), (x, address, flags))
FORWARD(const char *, X509_verify_cert_error_string, (long n), (n))
FORWARD(STACK_OF(X509) *, SSL_get0_verified_chain, (const SSL *s), (s))
FORWARD(STACK_OF(X509) *, SSL_get_peer_cert_chain, (const SSL *s), (s))
FORWARD(int, OPENSSL_sk_num, (const OPENSSL_STACK *st), (st))
FORWARD(void *, OPENSSL_sk_value, (const OPENSSL_STACK *st, int i), (st, i))
FORWARD(X509_NAME *, X509_get_subject_name, (const X509 *x), (x))
FORWARD(char *, X509_NAME_oneline, (const X509_NAME *a, char *buf, int size), (a, buf, size))
