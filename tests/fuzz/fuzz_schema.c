/*
 * tests/fuzz/fuzz_schema.c - JSON Schema: compiling a schema (keywords, $ref, patterns) and
 * validating an instance against it (host/task/schema*.c), the ECMA-262 pattern translator on
 * its own, and every "format" checker on the raw input.
 * Input: schema JSON, FUZZ_SEP, instance JSON. Whatever the fields are, the whole input is also
 * tried as a pattern and as a string instance of each format.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "task/schema.h"
#include "task/schema_internal.h"

static const char *const formats[] = {
    "date-time",     "date",         "time",          "email",
    "idn-email",     "hostname",     "idn-hostname",  "ipv4",
    "ipv6",          "uri",          "uri-reference", "iri",
    "iri-reference", "uri-template", "json-pointer",  "relative-json-pointer",
    "regex"};
#define NFORMATS (sizeof formats / sizeof *formats)

static rt_schema *format_schema[NFORMATS];

static void count_error(void *data, const char *pointer, const char *keyword, const char *message)
{
    FUZZ_CHECK(pointer && keyword && message && message[0]);
    (*(size_t *)data)++;
}

static struct json_object *parse(const char *text, size_t len)
{
    struct json_tokener *tok = json_tokener_new_ex(64);
    if (!tok)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    if (json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

static void init_formats(void)
{
    if (format_schema[0])
        return;
    for (size_t i = 0; i < NFORMATS; i++) {
        struct json_object *s = json_object_new_object();
        json_object_object_add(s, "format", json_object_new_string(formats[i]));
        rt_error err;
        format_schema[i] = rt_schema_compile(s, NULL, NULL, NULL, &err);
        FUZZ_CHECK(format_schema[i] != NULL);
        json_object_put(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    init_formats();
    fuzz_fields ff;
    fuzz_split(data, size, 2, &ff);

    /* schema + instance */
    struct json_object *schema = parse(ff.f[0], ff.len[0]);
    if (schema) {
        rt_error err = {{0}};
        rt_schema *s = rt_schema_compile(schema, "file:///fuzz/schema.json", NULL, NULL, &err);
        if (s) {
            struct json_object *inst = ff.n > 1 ? parse(ff.f[1], ff.len[1]) : NULL;
            size_t n = 0;
            size_t reported = rt_schema_validate(s, inst, count_error, &n);
            FUZZ_CHECK(reported == n && n <= RT_SCHEMA_MAX_ERRORS);
            size_t first = rt_schema_validate(s, inst, NULL, NULL);
            FUZZ_CHECK(first == (n ? 1u : 0u));
            json_object_put(inst);
            rt_schema_free(s);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0');
        }
        json_object_put(schema);
    }

    /* the raw input as an ECMA-262 pattern, matched against itself */
    rt_schema_regex *re = NULL;
    ratchet_buf why = RATCHET_BUF_INIT;
    if (rt_schema_regex_compile((const char *)data, size, &re, &why) == RT_SCHEMA_RE_OK && re) {
        char *subject = fuzz_strndup(data, size); /* the contract: NUL at s[len] */
        rt_schema_regex_search(re, subject, size);
        free(subject);
        rt_schema_regex_free(re);
    }
    rt_buf_free(&why);

    /* the raw input as a string checked by every format */
    struct json_object *str = json_object_new_string_len((const char *)data, (int)size);
    for (size_t i = 0; i < NFORMATS; i++)
        rt_schema_validate(format_schema[i], str, NULL, NULL);
    json_object_put(str);
    fuzz_fields_free(&ff);
    return 0;
}
