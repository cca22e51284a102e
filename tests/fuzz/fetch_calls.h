/*
 * tests/fuzz/fetch_calls.h - shared by fuzz_har.c and fuzz_mock.c: run the fetch() calls a
 * script would make, described by the input's later fields (three per call: URL, options
 * JSON, body JSON; an empty field stands for an absent argument), against a fetcher that
 * answers from mocks or a recording only (never the network: the caller makes sure).
 */
#ifndef RATCHET_FUZZ_FETCH_CALLS_H
#define RATCHET_FUZZ_FETCH_CALLS_H

#include <stdlib.h>

#include "fuzz_common.h"
#include "task/fetch.h"

static void fuzz_fetch_calls(rt_fetcher *f, const fuzz_fields *ff, size_t first)
{
    for (size_t i = first; i < ff->n; i += 3) {
        ratchet_fetch_call call = {.abi = RATCHET_ABI_INIT(ratchet_fetch_call)};
        call.url = ff->f[i];
        call.options_json = i + 1 < ff->n && ff->len[i + 1] ? ff->f[i + 1] : NULL;
        call.body_json = i + 2 < ff->n && ff->len[i + 2] ? ff->f[i + 2] : NULL;
        ratchet_status rc = rt_fetch_callback(f, &call);
        FUZZ_CHECK(rc == RATCHET_OK);
        /* either an answer or an error, never both, never neither */
        FUZZ_CHECK((call.response_json != NULL) != (call.error_name != NULL));
        FUZZ_CHECK((call.error_name != NULL) == (call.error_message != NULL));
        free(call.response_json);
        free(call.error_name);
        free(call.error_message);
    }
}

#endif
