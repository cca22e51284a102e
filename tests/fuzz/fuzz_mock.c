/*
 * tests/fuzz/fuzz_mock.c - a test file's mock.http (host/task/fetch_mock.c): parse the mocks,
 * then answer the fetch() calls of the later fields from them. Input: mock JSON (an array or
 * an object), then (URL, options, body) triples, all separated by FUZZ_SEP lines.
 */
#include <json-c/json.h>

#include "fetch_calls.h"
#include "task/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    fuzz_fields ff;
    fuzz_split(data, size, 1 + 3 * 2, &ff);
    struct json_tokener *tok = json_tokener_new_ex(64);
    FUZZ_CHECK(tok != NULL);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    struct json_object *mocks = json_tokener_parse_ex(tok, ff.f[0], (int)ff.len[0]);
    int parsed = json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    if (parsed && mocks) {
        rt_fetch_config cfg = rt_fetch_config_defaults();
        rt_fetcher *f = rt_fetcher_new(&cfg);
        FUZZ_CHECK(f != NULL);
        rt_error err = {{0}};
        /* Calls are made only when the mocks were accepted: a fetcher without any goes live. */
        if (rt_fetcher_set_mocks(f, mocks, &err) == RATCHET_OK)
            fuzz_fetch_calls(f, &ff, 1);
        else
            FUZZ_CHECK(err.msg[0] != '\0');
        rt_fetcher_free(f);
    }
    json_object_put(mocks);
    fuzz_fields_free(&ff);
    return 0;
}
