/*
 * rs_calls.h - storage-common: checks of the ABI structs the engine passes to the storage
 * plugins, and walking its arrays of versioned structs.
 */
#ifndef RS_CALLS_H
#define RS_CALLS_H

#include <stddef.h>

#include <ratchet/plugin.h>

/* Entry i of an array whose entries are `stride` bytes apart (see rs_stride). */
#define RS_NTH(arr, type, i, stride) ((type *)(void *)((char *)(arr) + (i) * (stride)))
#define RS_NTH_C(arr, type, i, stride)                                                             \
    ((const type *)(const void *)((const char *)(arr) + (i) * (stride)))

/* Stride of a caller's array of ABI structs: the first entry's struct_size when it plausibly
 * covers ours (a newer host appends fields), else our own size. */
size_t rs_stride(const ratchet_abi *first, size_t ours);
/* set_error "<call>[<i>]: <why>"; returns RATCHET_ERR. */
ratchet_status rs_bad(ratchet_ctx *ctx, const char *call, size_t i, const char *why);
/* Check one submission (ids, priority, times, retries, idempotency key, JSON texts); RATCHET_ERR
 * after set_error naming "call[index]". */
ratchet_status rs_job_check(ratchet_ctx *ctx, const ratchet_job_submit *j, const char *call,
                            size_t index);
/* Check one entry of job_finish (kind, owner, retry time, JSON texts) likewise. */
ratchet_status rs_finish_check(ratchet_ctx *ctx, const ratchet_job_finish *f, size_t index);
/* rs_job_check ("job_submit[i]") / rs_finish_check on each of n entries (n >= 1) of a caller's
 * array; the first failure. */
ratchet_status rs_job_check_all(ratchet_ctx *ctx, const ratchet_job_submit *jobs, size_t n);
ratchet_status rs_finish_check_all(ratchet_ctx *ctx, const ratchet_job_finish *fins, size_t n);
/* The finish's analysis_json (since 1.8), NULL when the caller's struct predates it. */
const char *rs_finish_analysis(const ratchet_job_finish *f);
/* Free a claimed job's host-allocated texts (input_json, meta_json) and clear them. */
void rs_claimed_clear(ratchet_claimed_job *cj);
/* RATCHET_OK when ms (the argument called `name`) is a time 1970..9999, else RATCHET_ERR after
 * set_error "<name> is outside 1970..9999". */
ratchet_status rs_time_arg(ratchet_ctx *ctx, const char *name, int64_t ms);
/* job_claim's arguments: an owner (not empty) and a positive lease, else RATCHET_ERR. */
ratchet_status rs_claim_args(ratchet_ctx *ctx, const char *owner, int64_t lease_ms);
/* A write by id that changed nothing: RATCHET_NOTFOUND after set_error "<kind> <id> does not
 * exist" when s is RATCHET_OK and changes is 0; otherwise s unchanged. */
ratchet_status rs_not_found(ratchet_ctx *ctx, ratchet_status s, int64_t changes, const char *kind,
                            int64_t id);

#endif /* RS_CALLS_H */
