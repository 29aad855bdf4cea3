// OpenSSL's libcrypto (Debian libssl-dev): only the EVP digest API, for sha256.
#include <openssl/evp.h>
