#include "CLibCrypto.h"
#include <dlfcn.h>
#include <pthread.h>

typedef const void *(*md_fn)(void);
typedef unsigned char *(*sha256_fn)(const unsigned char *, size_t, unsigned char *);
typedef unsigned char *(*hmac_fn)(const void *, const void *, int, const unsigned char *, size_t,
                                  unsigned char *, unsigned int *);

static void *library;
static sha256_fn sha256;
static hmac_fn hmac;
static md_fn evp_sha256;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if (!library) return;
  sha256 = (sha256_fn)dlsym(library, "SHA256");
  hmac = (hmac_fn)dlsym(library, "HMAC");
  evp_sha256 = (md_fn)dlsym(library, "EVP_sha256");
}

int automon_sha256(const void *data, size_t length, unsigned char digest[32]) {
  pthread_once(&once, load);
  if (!sha256) return -1;
  sha256((const unsigned char *)data, length, digest);
  return 0;
}

int automon_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                        unsigned char digest[32]) {
  pthread_once(&once, load);
  if (!hmac || !evp_sha256 || key_length > 0x7fffffff) return -1;
  unsigned int size = 32;
  return hmac(evp_sha256(), key, (int)key_length, (const unsigned char *)data, length, digest, &size) ? 0 : -1;
}
