/*
 * tests/fuzz/fuzz_har.c - HAR recordings (host/task/fetch_har.c): load a HAR for replay, answer
 * the fetch() calls of the later fields from it while recording, and write the recording back
 * out as HAR (which must load again). Input: HAR JSON, then (URL, options, body) triples, all
 * separated by FUZZ_SEP lines.
 */
#include <stdio.h>

#include "fetch_calls.h"
#include "task/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    fuzz_fields ff;
    fuzz_split(data, size, 1 + 3 * 2, &ff);
    char in[4200], out[4200];
    snprintf(in, sizeof in, "%s/in.har", fuzz_scratch());
    snprintf(out, sizeof out, "%s/out.har", fuzz_scratch());
    FUZZ_CHECK(fuzz_write_file(in, ff.f[0], ff.len[0]) == 0);

    rt_fetch_config cfg = rt_fetch_config_defaults();
    rt_fetcher *f = rt_fetcher_new(&cfg);
    FUZZ_CHECK(f != NULL);
    rt_error err = {{0}};
    /* Calls are made only when the recording loaded: a fetcher without one goes live. */
    if (rt_fetcher_replay_har(f, in, &err) == RATCHET_OK) {
        rt_fetcher_record(f, 1);
        fuzz_fetch_calls(f, &ff, 1);
        if (rt_fetcher_write_har(f, out, &err) == RATCHET_OK) {
            rt_fetcher *g = rt_fetcher_new(&cfg);
            FUZZ_CHECK(g != NULL);
            if (rt_fetcher_replay_har(g, out, &err) != RATCHET_OK)
                fuzz_check_failed(err.msg, __FILE__, __LINE__); /* our own HAR must load */
            rt_fetcher_free(g);
        }
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    rt_fetcher_free(f);
    fuzz_fields_free(&ff);
    return 0;
}
