/*
 * rs_out.h - storage-common: what storage-sqlite and storage-postgres share to answer with
 * the same JSON. The host table, a JSON writer over a host buffer, and a row reader through
 * which one emitter writes a record from a sqlite3_stmt or a PGresult row alike.
 *
 * Names start with `rs_` (ratchet storage). The library is static, built with hidden
 * visibility and linked into each storage plugin; nothing here is part of the plugin ABI.
 * Threading: every function is reentrant; rs_host is written once by rs_init before use.
 */
#ifndef RS_OUT_H
#define RS_OUT_H

#include <stddef.h>
#include <stdint.h>

#include <ratchet/plugin.h>

/* The latest time JSON can show (9999-12-31T23:59:59.999Z); later ones are refused on input. */
#define RS_TIME_MAX_MS INT64_C(253402300799999)

/* The host table for everything below (allocation, buffers, set_error). */
extern const ratchet_host_api *rs_host;

/* Set rs_host; each plugin's entry function calls it with the table it was given (in a
 * static build both plugins pass the same table). */
void rs_init(const ratchet_host_api *host);

/* ---- rows ----------------------------------------------------------------------------- */

struct rs_row;

/* How a backend reads column `col` (0-based) of the current row. Strings belong to the
 * backend's result and stay valid while the row does. */
typedef struct rs_row_ops {
    int (*is_null)(const struct rs_row *r, int col);
    int64_t (*int64)(const struct rs_row *r, int col);    /* 0 for SQL NULL */
    const char *(*text)(const struct rs_row *r, int col); /* NULL for SQL NULL */
    int (*boolean)(const struct rs_row *r, int col);      /* 0 for SQL NULL */
    double (*real)(const struct rs_row *r, int col);      /* 0 for SQL NULL */
} rs_row_ops;

/* One result row: `src` is the backend's statement or result (not owned), `row` its index
 * where the backend needs one. */
typedef struct rs_row {
    const rs_row_ops *ops;
    const void *src;
    int row;
} rs_row;

/* ---- the JSON writer ------------------------------------------------------------------ */

/* Writes into a caller-owned host buffer; the first failure sticks in `st` and later calls do
 * nothing, so a record is written without checks and rs_out_done reports once. */
typedef struct rs_out {
    ratchet_buf *buf;
    ratchet_status st;
    int comma; /* a value was written in the current object/array */
} rs_out;

void rs_out_init(rs_out *o, ratchet_buf *buf);
/* Append `s` as it is (already JSON). */
void rs_out_raw(rs_out *o, const char *s);
/* Open '{' or '[' under `key` (NULL: an array item or the top level); close with rs_out_end. */
void rs_out_begin(rs_out *o, const char *key, char bracket);
void rs_out_end(rs_out *o, char bracket);
/* Write `"key":` (NULL: an array item, the comma only). */
void rs_out_key(rs_out *o, const char *key);
void rs_out_str(rs_out *o, const char *key, const char *s); /* null when s is NULL */
void rs_out_int(rs_out *o, const char *key, int64_t v);
void rs_out_bool(rs_out *o, const char *key, int v);
void rs_out_json(rs_out *o, const char *key, const char *json); /* raw JSON; null when NULL */
/* RFC 3339 with milliseconds; null when ms is 0. A time past year 9999 fails the writer. */
void rs_out_time(rs_out *o, const char *key, int64_t ms);
/* Column forms: SQL NULL gives JSON null (a time: 0 gives null; a boolean: false). */
void rs_out_col_str(rs_out *o, const char *key, const rs_row *r, int col);
void rs_out_col_int(rs_out *o, const char *key, const rs_row *r, int col);
void rs_out_col_json(rs_out *o, const char *key, const rs_row *r, int col);
void rs_out_col_time(rs_out *o, const char *key, const rs_row *r, int col);
void rs_out_col_bool(rs_out *o, const char *key, const rs_row *r, int col);
/* The writer's status; on failure set_error on ctx ("out of memory writing JSON", or the time
 * out of range). What was written stays in the buffer (the caller frees it). */
ratchet_status rs_out_done(ratchet_ctx *ctx, rs_out *o);

/* A record emitter: writes one row as a JSON object (or array item). */
typedef void (*rs_emit_fn)(rs_out *o, const rs_row *r);

#endif /* RS_OUT_H */
