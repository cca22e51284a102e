/*
 * plugins/frontend-common/ws_accept.h - the WebSocket opening handshake's key check
 * (RFC 6455 section 4.2.2): Sec-WebSocket-Accept is base64(SHA-1(key + the protocol's GUID)).
 * Pure functions, no state: any thread.
 */
#ifndef WS_ACCEPT_H
#define WS_ACCEPT_H

#include <stddef.h>
#include <stdint.h>

#define WS_ACCEPT_LEN 28 /* base64 of 20 bytes, without the NUL */

/* SHA-1 (FIPS 180-4) of `len` bytes into `out`. */
void ws_sha1(const void *data, size_t len, uint8_t out[20]);
/* Standard base64 with padding of `len` bytes into `out` (4 * ((len + 2) / 3) + 1 bytes with
 * the NUL). Returns the length written. */
size_t ws_base64(const uint8_t *in, size_t len, char *out);
/* Whether `key` is a valid Sec-WebSocket-Key: base64 of 16 bytes (24 characters). */
int ws_key_valid(const char *key);
/* Sec-WebSocket-Accept for `key` into `out` (WS_ACCEPT_LEN + 1 bytes). */
void ws_accept_value(const char *key, char out[WS_ACCEPT_LEN + 1]);

#endif /* WS_ACCEPT_H */
