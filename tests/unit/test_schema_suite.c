/*
 * tests/unit/test_schema_suite.c - the validator against the official JSON-Schema-Test-Suite
 * (Debian package json-schema-test-suite; $RATCHET_SCHEMA_SUITE_DIR overrides the location).
 *
 * Every draft-07 file outside optional/ must pass completely. optional/ (formats, bignum,
 * content, ECMA-262 regex quirks) is counted and reported, never failed. The draft-06 and
 * draft-04 directories run too, through the "$schema" those drafts are recognised by; their
 * required files must pass as well. Remote references (http://localhost:1234/...) are served
 * from the suite's remotes/ directory by the resolver: no network.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "schema.h"

#define REMOTE_PREFIX "http://localhost:1234/"

typedef struct counts {
    size_t passed, failed;
} counts;

static const char *suite_dir(void)
{
    const char *d = getenv("RATCHET_SCHEMA_SUITE_DIR");
    return d && *d ? d : "/usr/share/json-schema-test-suite";
}

/* out = a "/" b; 0 when it does not fit. */
static int join(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s/%s", a, b);
    return n > 0 && (size_t)n < size;
}

/* http://localhost:1234/X -> <suite>/remotes/X; anything else is unknown. */
static struct json_object *remote_resolver(void *data, const char *uri)
{
    const char *remotes = data;
    if (strncmp(uri, REMOTE_PREFIX, strlen(REMOTE_PREFIX)) != 0)
        return NULL;
    const char *rest = uri + strlen(REMOTE_PREFIX);
    if (strstr(rest, ".."))
        return NULL;
    char path[4096];
    return join(path, sizeof path, remotes, rest) ? json_object_from_file(path) : NULL;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted; NULL-terminated, the caller frees. NULL if dir is absent. */
static char **list_json(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    if (!names) {
        closedir(d);
        return NULL;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n + 1 >= cap) {
            char **grown = realloc(names, (cap *= 2) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    names[n] = NULL;
    qsort(names, n, sizeof *names, name_cmp);
    return names;
}

static void free_list(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

static void count_error(void *data, const char *pointer, const char *keyword, const char *message)
{
    (void)pointer;
    (void)keyword;
    (void)message;
    (*(size_t *)data)++;
}

/* Run one test file; schema_uri is added as "$schema" to object schemas lacking one (how the
 * older drafts are selected). */
static void run_file(const char *path, const char *label, const char *schema_uri,
                     const char *remotes, counts *total)
{
    counts c = {0, 0};
    struct json_object *doc = json_object_from_file(path);
    if (!doc) {
        printf("%s: cannot read: %s\n", label, json_util_get_last_err());
        total->failed++;
        return;
    }
    size_t ngroups = json_object_array_length(doc);
    for (size_t g = 0; g < ngroups; g++) {
        struct json_object *group = json_object_array_get_idx(doc, g);
        struct json_object *schema = json_object_object_get(group, "schema");
        struct json_object *tests = json_object_object_get(group, "tests");
        const char *gdesc = json_object_get_string(json_object_object_get(group, "description"));
        if (schema_uri && json_object_is_type(schema, json_type_object) &&
            !json_object_object_get_ex(schema, "$schema", NULL))
            json_object_object_add(schema, "$schema", json_object_new_string(schema_uri));
        rt_error err;
        rt_schema *s = rt_schema_compile(schema, NULL, remote_resolver, (void *)remotes, &err);
        if (!s)
            printf("  %s: \"%s\": schema refused: %s\n", label, gdesc, err.msg);
        size_t ntests = json_object_array_length(tests);
        for (size_t t = 0; t < ntests; t++) {
            struct json_object *test = json_object_array_get_idx(tests, t);
            int expect = json_object_get_boolean(json_object_object_get(test, "valid"));
            struct json_object *data = json_object_object_get(test, "data");
            int ok = 0;
            if (s) {
                /* Both modes must agree: the quick yes/no and the full report. */
                size_t reported = 0;
                size_t quick = rt_schema_validate(s, data, NULL, NULL);
                size_t n = rt_schema_validate(s, data, count_error, &reported);
                int valid = n == 0;
                ok = valid == expect && (quick == 0) == valid && reported == n;
            }
            if (ok) {
                c.passed++;
            } else {
                c.failed++;
                if (s)
                    printf("  FAIL %s: \"%s\" / \"%s\": expected %s\n", label, gdesc,
                           json_object_get_string(json_object_object_get(test, "description")),
                           expect ? "valid" : "invalid");
            }
        }
        rt_schema_free(s);
    }
    json_object_put(doc);
    printf("%s: %zu passed, %zu failed\n", label, c.passed, c.failed);
    total->passed += c.passed;
    total->failed += c.failed;
}

/* Every *.json in <suite>/tests/<sub>; labels are "<sub>/<file>". */
static int run_dir(const char *sub, const char *schema_uri, counts *total)
{
    char tests[4096], dir[4096], remotes[4096], path[4096], label[512];
    if (!join(tests, sizeof tests, suite_dir(), "tests") || !join(dir, sizeof dir, tests, sub) ||
        !join(remotes, sizeof remotes, suite_dir(), "remotes"))
        return 0;
    char **names = list_json(dir);
    if (!names)
        return 0;
    for (size_t i = 0; names[i]; i++) {
        if (join(path, sizeof path, dir, names[i]) && join(label, sizeof label, sub, names[i]))
            run_file(path, label, schema_uri, remotes, total);
        else
            total->failed++;
    }
    free_list(names);
    return 1;
}

static void check_suite_present(void)
{
    char dir[4096];
    DIR *d = join(dir, sizeof dir, suite_dir(), "tests/draft7") ? opendir(dir) : NULL;
    if (!d) {
        fail_msg("JSON-Schema-Test-Suite not found at %s: install the Debian package "
                 "json-schema-test-suite (.ci/install-deps.sh --test does), or point "
                 "RATCHET_SCHEMA_SUITE_DIR at a checkout",
                 suite_dir());
        return;
    }
    closedir(d);
}

/* One draft: required files must all pass; optional ones are reported. */
static void run_draft(const char *draft, const char *schema_uri)
{
    check_suite_present();
    char sub[64];
    counts req = {0, 0}, opt = {0, 0};
    assert_true(run_dir(draft, schema_uri, &req));
    if (join(sub, sizeof sub, draft, "optional"))
        run_dir(sub, schema_uri, &opt);
    if (join(sub, sizeof sub, draft, "optional/format"))
        run_dir(sub, schema_uri, &opt);
    printf("%s required: %zu passed, %zu failed\n", draft, req.passed, req.failed);
    printf("%s optional: %zu passed, %zu failed (reported, not required)\n", draft, opt.passed,
           opt.failed);
    assert_true(req.passed > 0);
    assert_int_equal(req.failed, 0);
}

static void test_draft7(void **state)
{
    (void)state;
    run_draft("draft7", NULL);
}

static void test_draft6(void **state)
{
    (void)state;
    run_draft("draft6", "http://json-schema.org/draft-06/schema#");
}

static void test_draft4(void **state)
{
    (void)state;
    run_draft("draft4", "http://json-schema.org/draft-04/schema#");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft7),
        cmocka_unit_test(test_draft6),
        cmocka_unit_test(test_draft4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
