/*
 * notls.c: halve never speaks TLS, but libgit2 1.5 as Debian builds it
 * (with mbedTLS) parses the whole system CA bundle in git_libgit2_init():
 * 11 ms of CPU in every halve process, more than a `halve good` spends on
 * everything else (bench/run-linear.sh; callgrind showed 54% of a whole
 * `halve run` in mbedtls_x509_crt_parse_file). git loads certificates
 * only when it opens an https connection.
 *
 * This definition, in the executable, comes first in the dynamic
 * linker's lookup, so libgit2's call to load the bundle finds it and
 * loads nothing. Should halve ever open a TLS connection, certificate
 * checks would then fail closed (an empty CA chain), never open. A
 * libgit2 built with OpenSSL, or with mbedTLS linked in statically, never
 * calls it: then it is dead code and harmless.
 */
#include "config.h"

struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain,
				const char *path);

int
mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}
