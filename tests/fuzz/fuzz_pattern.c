/*
 * tests/fuzz/fuzz_pattern.c - error patterns (host/core/pattern*.c) from JSON, as POST
 * /api/v1/logs/patterns/test takes them, matched against a message. Input: the pattern's JSON,
 * FUZZ_SEP, the message. Checks: a refused pattern says why; an accepted one survives the
 * round trip through its JSON; and the literal prefilter never hides a match regexec finds
 * (every message regex of the rule evaluated both ways).
 */
#include <json-c/json.h>
#include <regex.h>
#include <string.h>

#include "fuzz_common.h"
#include "pattern.h"

static void check_regexes(const rt_rule *r, const rt_pattern_event *ev)
{
    if (r->kind == RT_RULE_MESSAGE_REGEX)
        FUZZ_CHECK(rt_rule_eval(r, ev) == (regexec(&r->re, ev->message, 0, NULL, 0) == 0));
    for (size_t i = 0; i < r->nkids; i++)
        check_regexes(r->kids[i], ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    fuzz_fields ff;
    fuzz_split(data, size, 2, &ff);
    rt_error err = {{0}};
    rt_pattern *p = rt_pattern_from_json(ff.f[0], &err);
    if (!p) {
        FUZZ_CHECK(err.msg[0] != '\0');
        fuzz_fields_free(&ff);
        return 0;
    }
    struct json_object *j = rt_pattern_to_json(p);
    json_object_object_del(j, "builtin"); /* written back, not accepted in a pattern */
    json_object_object_del(j, "source");
    rt_pattern *again = rt_pattern_from_json(json_object_to_json_string(j), &err);
    FUZZ_CHECK(again != NULL);
    struct json_object *j2 = again ? rt_pattern_to_json(again) : NULL;
    json_object_object_del(j2, "builtin");
    json_object_object_del(j2, "source");
    FUZZ_CHECK(j2 && strcmp(json_object_to_json_string(j), json_object_to_json_string(j2)) == 0);
    const char *msg = ff.n > 1 ? ff.f[1] : "";
    ratchet_log_field f[] = {{"errorName", "TypeError"}, {"status", "404"}};
    rt_pattern_event ev = {RATCHET_LOG_ERROR, msg, "host", f, 2};
    check_regexes(p->rule, &ev);
    json_object_put(j);
    json_object_put(j2);
    rt_pattern_free(again);
    rt_pattern_free(p);
    fuzz_fields_free(&ff);
    return 0;
}
