/* sl_sha256.h - SHA-256 (FIPS 180-4), for naming builds by what went into
 * them: two submissions share a build only when their files are the
 * same, which no one can arrange with a weaker hash. */
#ifndef SL_SHA256_H
#define SL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sl_sha256 {
	uint32_t state[8];	 /* the hash so far */
	uint64_t length;	 /* bytes taken in */
	unsigned char block[64]; /* bytes waiting for a full block */
	size_t used;		 /* bytes in block */
};

void sl_sha256_init(struct sl_sha256 *h);
void sl_sha256_add(struct sl_sha256 *h, const void *data, size_t len);
/* The digest as 64 lowercase hex digits and a NUL. */
void sl_sha256_hex(struct sl_sha256 *h, char out[65]);

#endif
