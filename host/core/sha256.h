/*
 * host/core/sha256.h - SHA-256 (FIPS 180-4), for API key hashes and checksums.
 */
#ifndef RT_SHA256_H
#define RT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_sha256 {
    uint32_t h[8];
    uint64_t bytes; /* total length so far */
    unsigned char block[64];
    size_t fill; /* bytes waiting in block */
} rt_sha256;

void rt_sha256_init(rt_sha256 *s);
void rt_sha256_update(rt_sha256 *s, const void *data, size_t len);
void rt_sha256_final(rt_sha256 *s, unsigned char digest[32]);
/* The digest of `len` bytes as 64 lowercase hex digits and a NUL. */
void rt_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
