// SHA-256 and HMAC-SHA-256 from the system OpenSSL's libcrypto, loaded on first use (dlopen)
// so the registration receiver does not pay for loading libcrypto on every run.
#ifndef CLIBCRYPTO_H
#define CLIBCRYPTO_H
#include <stddef.h>

/// 0 on success, -1 when libcrypto.so.3 cannot be loaded.
int automon_sha256(const void *data, size_t length, unsigned char digest[32]);
int automon_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                        unsigned char digest[32]);
#endif
