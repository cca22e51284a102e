/*
 * test_task.c - task packages: folders, metadata defaults and errors, JSON positions, size
 * limits, tests/\*.json, hostile and well-formed .zip files, collection scanning.
 * Fixtures are written at test time: task folders by C code, archives by python3's zipfile
 * (the easiest way to craft hostile entries) and the zip CLI (what users actually run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "task.h"
#include "task_int.h"
#include "task_testing.h"

static int setup(void **state)
{
    return task_fx_setup(state, "task");
}

static int teardown(void **state)
{
    return task_fx_teardown(state);
}

#define META_GOOD                                                                                  \
    "{\"name\": \"addition\", \"label\": \"Addition\", \"version\": \"1.0.0\",\n"                  \
    " \"uuid\": \"BD6C6F98-4896-44CC-8C82-30328C3AEFDA\", \"description\": \"Adds\",\n"            \
    " \"tags\": [\"math\", \"demo\"], \"author\": {\"ignored\": true}}\n"

/* A complete, valid task in folder rel. */
static void put_task(const fx *f, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/metadata.json", rel);
    put(f, p, META_GOOD);
    snprintf(p, sizeof p, "%s/main.js", rel);
    put(f, p, "(function (input) { return {sum: input.num1 + input.num2}; })\n");
    snprintf(p, sizeof p, "%s/input.schema.json", rel);
    put(f, p, "{\"type\": \"object\", \"required\": [\"num1\", \"num2\"]}");
    snprintf(p, sizeof p, "%s/output.schema.json", rel);
    put(f, p, "{\"type\": \"object\"}");
    snprintf(p, sizeof p, "%s/tests/test-002.json", rel);
    put(f, p, "{\"input\": {\"num1\": 10, \"num2\": 20}, \"expected_output\": {\"sum\": 30}}");
    snprintf(p, sizeof p, "%s/tests/test-001.json", rel);
    put(f, p, "{\"input\": {\"num1\": 5, \"num2\": 5}, \"expected_output\": {\"sum\": 10}}");
}

static int run(const char *fmt, ...) RATCHET_PRINTF(1, 2);
static int run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* Run python3 with `code` in the test folder, with helpers for building archives. */
static void py(const fx *f, const char *code)
{
    static const char prelude[] =
        "import os, sys, zipfile\n"
        "os.chdir(sys.argv[1])\n"
        "GOOD = {'metadata.json': '{\"name\": \"z\", \"version\": \"1\"}',\n"
        "        'main.js': '(function (i) { return i; })'}\n"
        "def entry(z, name, data=b'', attr=None):\n"
        "    zi = zipfile.ZipInfo(name)\n"
        "    zi.compress_type = zipfile.ZIP_DEFLATED\n"
        "    if attr is not None:\n"
        "        zi.create_system = 3\n"
        "        zi.external_attr = attr\n"
        "    z.writestr(zi, data)\n"
        "def task(z, top=''):\n"
        "    for k, v in GOOD.items():\n"
        "        entry(z, top + k, v)\n"
        "def patch_size(path, size):\n"
        "    # Rewrite the uncompressed size of the first entry in both headers.\n"
        "    b = bytearray(open(path, 'rb').read())\n"
        "    l, c = b.find(b'PK\\x03\\x04'), b.find(b'PK\\x01\\x02')\n"
        "    b[l + 22:l + 26] = size.to_bytes(4, 'little')\n"
        "    b[c + 24:c + 28] = size.to_bytes(4, 'little')\n"
        "    open(path, 'wb').write(bytes(b))\n";
    char script[4096];
    snprintf(script, sizeof script, "%s/mk.py", f->dir);
    FILE *fp = fopen(script, "w");
    assert_non_null(fp);
    fputs(prelude, fp);
    fputs(code, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(run("python3 -W ignore '%s' '%s'", script, f->dir), 0);
    assert_int_equal(unlink(script), 0);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Load must fail with exactly msg. */
static void load_fails(const char *path, const char *msg)
{
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path, &err);
    if (t)
        rt_task_free(t);
    assert_null(t);
    assert_string_equal(err.msg, msg);
}

/* ---- folders -------------------------------------------------------------------------------- */

static void test_folder_good(void **state)
{
    fx *f = *state;
    put_task(f, "addition");
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path_of(f, "addition/"), &err);
    assert_non_null(t);
    assert_string_equal(t->name, "addition");
    assert_string_equal(t->label, "Addition");
    assert_string_equal(t->version, "1.0.0");
    assert_string_equal(t->uuid, "bd6c6f98-4896-44cc-8c82-30328c3aefda"); /* lowercased */
    assert_string_equal(t->description, "Adds");
    assert_int_equal(t->ntags, 2);
    assert_string_equal(t->tags[0], "math");
    assert_string_equal(t->tags[1], "demo");
    assert_string_equal(t->dir, path_of(f, "addition"));
    assert_string_equal(t->source, path_of(f, "addition/"));
    assert_null(t->tmpdir);
    assert_non_null(strstr(t->code, "input.num1 + input.num2"));
    assert_int_equal(t->code_len, strlen(t->code));
    assert_non_null(json_object_object_get(t->metadata, "author"));
    assert_true(json_object_is_type(t->input_schema, json_type_object));
    assert_true(json_object_is_type(t->output_schema, json_type_object));
    assert_int_equal(t->ntests, 2);
    assert_string_equal(t->tests[0].name, "test-001");
    assert_string_equal(t->tests[0].file, path_of(f, "addition/tests/test-001.json"));
    assert_string_equal(t->tests[1].name, "test-002");
    assert_int_equal(json_object_get_int(json_object_object_get(t->tests[1].expect, "sum")), 30);
    assert_null(t->tests[0].mock);
    rt_task_free(t);
    assert_int_equal(rt_task_check(path_of(f, "addition"), collect, &(problems){{0}, 0}), 0);
}

static void test_minimal_folder(void **state)
{
    fx *f = *state;
    put(f, "m/metadata.json", "{\"label\": \"Addition Task\", \"version\": \"2\"}");
    put(f, "m/main.js", "main;");
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path_of(f, "m"), &err);
    assert_non_null(t);
    /* name defaults from label: a display string, so not held to the name pattern */
    assert_string_equal(t->name, "Addition Task");
    assert_string_equal(t->label, "Addition Task");
    assert_null(t->description);
    assert_int_equal(t->ntags, 0);
    assert_null(t->input_schema);
    assert_null(t->output_schema);
    assert_int_equal(t->ntests, 0);
    rt_task_free(t);

    put(f, "m/metadata.json", "{\"name\": \"adder\", \"version\": \"2\", \"label\": null}");
    t = rt_task_load(path_of(f, "m"), &err);
    assert_non_null(t);
    assert_string_equal(t->label, "adder");
    rt_task_free(t);
}

static void test_metadata_errors(void **state)
{
    fx *f = *state;
    static const struct {
        const char *json, *msg;
    } cases[] = {
        {"{\"name\": \"a\"}", "metadata.json: missing required field 'version'"},
        {"{\"name\": \"a\", \"version\": null}", "metadata.json: 'version' must be a string"},
        {"{\"name\": \"a\", \"version\": 1}", "metadata.json: 'version' must be a string"},
        {"{\"name\": \"a\", \"version\": \"\"}", "metadata.json: 'version' must not be empty"},
        {"{\"version\": \"1\"}", "metadata.json: missing required field 'name' (or 'label')"},
        {"{\"name\": 3, \"version\": \"1\"}", "metadata.json: 'name' must be a string"},
        {"{\"label\": [], \"version\": \"1\"}", "metadata.json: 'label' must be a string"},
        {"{\"name\": \"my task\", \"version\": \"1\"}",
         "metadata.json: 'name' must match ^[A-Za-z0-9_-]+$, not \"my task\""},
        {"{\"name\": \"caf\xc3\xa9\", \"version\": \"1\"}",
         "metadata.json: 'name' must match ^[A-Za-z0-9_-]+$, not \"caf\xc3\xa9\""},
        {"{\"name\": \"a\", \"version\": \"1\", \"uuid\": \"bd6c6f98-4896-44cc-8c82\"}",
         "metadata.json: 'uuid' must be a UUID (8-4-4-4-12 hexadecimal digits), not "
         "\"bd6c6f98-4896-44cc-8c82\""},
        {"{\"name\": \"a\", \"version\": \"1\", \"uuid\": "
         "\"bd6c6f98+4896-44cc-8c82-30328c3aefdg\"}",
         "metadata.json: 'uuid' must be a UUID (8-4-4-4-12 hexadecimal digits), not "
         "\"bd6c6f98+4896-44cc-8c82-30328c3aefdg\""},
        {"{\"name\": \"a\", \"version\": \"1\", \"uuid\": 7}",
         "metadata.json: 'uuid' must be a string"},
        {"{\"name\": \"a\", \"version\": \"1\", \"description\": {}}",
         "metadata.json: 'description' must be a string"},
        {"{\"name\": \"a\", \"version\": \"1\", \"tags\": \"x\"}",
         "metadata.json: 'tags' must be an array of strings"},
        {"{\"name\": \"a\", \"version\": \"1\", \"tags\": [\"x\", 2]}",
         "metadata.json: 'tags[1]' must be a string"},
        {"[1, 2]", "metadata.json: must be a JSON object"},
        {"null", "metadata.json: must be a JSON object"},
    };
    put(f, "t/main.js", "main;");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put(f, "t/metadata.json", cases[i].json);
        char msg[2048];
        snprintf(msg, sizeof msg, "%s/t/%s", f->dir, cases[i].msg);
        load_fails(path_of(f, "t"), msg);
    }
}

static void test_generated_uuid(void **state)
{
    fx *f = *state;
    put(f, "a/metadata.json", "{\"name\": \"addition\", \"version\": \"1.0.0\"}");
    put(f, "a/main.js", "main;");
    put(f, "b/metadata.json", "{\"name\": \"addition\", \"version\": \"1.0.1\"}");
    put(f, "b/main.js", "main;");
    rt_error err;
    rt_task *t1 = rt_task_load(path_of(f, "a"), &err);
    rt_task *t2 = rt_task_load(path_of(f, "a"), &err);
    rt_task *t3 = rt_task_load(path_of(f, "b"), &err);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_non_null(t3);
    assert_string_equal(t1->uuid, t2->uuid);
    assert_string_not_equal(t1->uuid, t3->uuid);
    /* Fixed forever: stored references to a task must survive a restart or a rebuild. Computed
     * independently with Python's arbitrary-precision integers (FNV-1a 128 over
     * "addition\0" "1.0.0", version 8, variant 10). */
    assert_string_equal(t1->uuid, "154357ec-44b1-8c5b-b596-7d0b84948cee");
    assert_int_equal(t3->uuid[14], '8');
    assert_true(strchr("89ab", t3->uuid[19]) != NULL);
    rt_task_free(t1);
    rt_task_free(t2);
    rt_task_free(t3);

    char a[37], b[37];
    rt_task_uuid_from("ab", "c", a);
    rt_task_uuid_from("a", "bc", b);
    assert_string_not_equal(a, b);
}

static void test_bad_json_position(void **state)
{
    fx *f = *state;
    put(f, "t/main.js", "main;");
    put(f, "t/metadata.json", "{\n  \"name\": \"a\",\n  \"version\" \"1\"\n}\n");
    char msg[2048];
    snprintf(msg, sizeof msg,
             "%s/t/metadata.json: line 3, column 13: object property name separator ':' expected",
             f->dir);
    load_fails(path_of(f, "t"), msg);
    /* Columns count characters, not bytes; what json-c tolerates is still refused. */
    put(f, "t/metadata.json", "{\"name\": \"\xc3\xa9\xc3\xa9\", 'version': 1}");
    snprintf(msg, sizeof msg, "%s/t/metadata.json: line 1, column 16: ", f->dir);
    rt_error err = {{0}};
    assert_null(rt_task_load(path_of(f, "t"), &err));
    assert_memory_equal(err.msg, msg, strlen(msg));
    put(f, "t/metadata.json", "{\"name\": \"a\", \"version\": \"1\"} x");
    snprintf(msg, sizeof msg,
             "%s/t/metadata.json: line 1, column 31: unexpected text after the JSON value", f->dir);
    load_fails(path_of(f, "t"), msg);
    /* A byte order mark is skipped and not counted. */
    put(f, "t/metadata.json", "\xef\xbb\xbf{\"name\": \"a\", \"version\": \"1\"}");
    rt_task *t = rt_task_load(path_of(f, "t"), &err);
    assert_non_null(t);
    rt_task_free(t);
    put(f, "t/metadata.json", "{\"name\": \"a\",\n \"version\": \"1\"");
    snprintf(msg, sizeof msg, "%s/t/metadata.json: line 2, column ", f->dir);
    assert_null(rt_task_load(path_of(f, "t"), &err));
    assert_memory_equal(err.msg, msg, strlen(msg));
}

static void test_size_limits(void **state)
{
    fx *f = *state;
    put(f, "t/metadata.json", "{\"name\": \"a\", \"version\": \"1\"}");
    size_t big = RT_TASK_CODE_MAX + 1;
    char *data = malloc(big);
    assert_non_null(data);
    memset(data, ' ', big);
    put_n(f, "t/main.js", data, big);
    char msg[2048];
    snprintf(msg, sizeof msg, "%s/t/main.js: larger than the 4 MiB limit", f->dir);
    load_fails(path_of(f, "t"), msg);
    put_n(f, "t/main.js", data, RT_TASK_CODE_MAX); /* exactly at the limit is fine */
    rt_error err;
    rt_task *t = rt_task_load(path_of(f, "t"), &err);
    assert_non_null(t);
    assert_int_equal(t->code_len, RT_TASK_CODE_MAX);
    rt_task_free(t);
    memcpy(data, "{\"name\": \"a\", \"version\": \"1\"}", 30);
    put_n(f, "t/metadata.json", data, RT_TASK_JSON_MAX + 1);
    snprintf(msg, sizeof msg, "%s/t/metadata.json: larger than the 1 MiB limit", f->dir);
    load_fails(path_of(f, "t"), msg);
    free(data);
    put(f, "t/metadata.json", "{\"name\": \"a\", \"version\": \"1\"}");
    put_n(f, "t/main.js", "main;\0oops", 10);
    snprintf(msg, sizeof msg, "%s/t/main.js: contains a NUL byte at offset 5", f->dir);
    load_fails(path_of(f, "t"), msg);
    assert_int_equal(unlink(path_of(f, "t/main.js")), 0);
    assert_int_equal(mkdir(path_of(f, "t/main.js"), 0700), 0);
    snprintf(msg, sizeof msg, "%s/t/main.js: not a regular file", f->dir);
    load_fails(path_of(f, "t"), msg);
}

static void test_tests_parsing(void **state)
{
    fx *f = *state;
    put(f, "t/metadata.json", "{\"name\": \"a\", \"version\": \"1\"}");
    put(f, "t/main.js", "main;");
    put(f, "t/tests/b-mcp.json",
        "{\"name\": \"x\", \"input\": 5, \"expected\": [1], "
        "\"should_fail\": false}");
    put(f, "t/tests/a-no-input.json", "{\"expected_output\": {\"k\": 1}, \"expected\": 0}");
    put(f, "t/tests/c-mock-object.json",
        "{\"input\": null, \"mock\": {\"http\": {\"url\": \"u\", \"response\": {}}}}");
    put(f, "t/tests/d-mock-array.json",
        "{\"expected_output\": null, \"mock\": {\"http\": [{\"url\": \"u\"}, {\"url\": \"v\"}]}}");
    put(f, "t/tests/notes.txt", "ignored");
    put(f, "t/tests/._a.json", "resource fork junk");
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path_of(f, "t"), &err);
    assert_non_null(t);
    assert_int_equal(t->ntests, 4);
    assert_string_equal(t->tests[0].name, "a-no-input");
    assert_true(json_object_is_type(t->tests[0].input, json_type_object));
    assert_int_equal(json_object_object_length(t->tests[0].input), 0);
    /* expected_output wins over expected */
    assert_int_equal(json_object_get_int(json_object_object_get(t->tests[0].expect, "k")), 1);
    assert_string_equal(t->tests[1].name, "b-mcp");
    assert_int_equal(json_object_get_int(t->tests[1].input), 5);
    assert_true(json_object_is_type(t->tests[1].expect, json_type_array));
    assert_null(t->tests[1].mock);
    assert_string_equal(t->tests[2].name, "c-mock-object");
    assert_true(json_object_is_type(t->tests[2].input, json_type_object));
    assert_null(t->tests[2].expect);
    assert_true(
        json_object_is_type(json_object_object_get(t->tests[2].mock, "http"), json_type_object));
    assert_true(
        json_object_is_type(json_object_object_get(t->tests[3].mock, "http"), json_type_array));
    rt_task_free(t);

    put(f, "t/tests/e.json", "{\"mock\": {\"http\": \"x\"}}");
    char msg[2048];
    snprintf(msg, sizeof msg, "%s/t/tests/e.json: 'mock.http' must be an object or an array",
             f->dir);
    load_fails(path_of(f, "t"), msg);
    put(f, "t/tests/e.json", "[]");
    snprintf(msg, sizeof msg, "%s/t/tests/e.json: must be a JSON object", f->dir);
    load_fails(path_of(f, "t"), msg);
    put(f, "t/tests/e.json", "{\"should_fail\": \"yes\"}");
    snprintf(msg, sizeof msg, "%s/t/tests/e.json: 'should_fail' must be true or false", f->dir);
    load_fails(path_of(f, "t"), msg);
}

static void test_check_reports_everything(void **state)
{
    fx *f = *state;
    put(f, "t/metadata.json", "{\"name\": \"bad name\", \"uuid\": \"x\", \"tags\": [1]}");
    put(f, "t/input.schema.json", "[]");
    put(f, "t/output.schema.json", "{\"type\": }");
    put(f, "t/tests/a.json", "7");
    put(f, "t/tests/b.json", "{\"mock\": {\"http\": 1}}");
    put(f, "t/tests/c.json", "{\"mock\": {\"http\": [1]}}");
    put(f, "t/tests/d.json", "{\"mock\": []}");
    problems p = {{0}, 0};
    char line[2048];
    size_t n = rt_task_check(path_of(f, "t"), collect, &p);
#define PROBLEM(...)                                                                               \
    do {                                                                                           \
        snprintf(line, sizeof line, __VA_ARGS__);                                                  \
        has_problem(&p, line);                                                                     \
    } while (0)
    PROBLEM("%s/t/metadata.json: 'name' must match ^[A-Za-z0-9_-]+$, not \"bad name\"", f->dir);
    PROBLEM("%s/t/metadata.json: missing required field 'version'", f->dir);
    PROBLEM("%s/t/metadata.json: 'uuid' must be a UUID (8-4-4-4-12 hexadecimal digits), not "
            "\"x\"",
            f->dir);
    PROBLEM("%s/t/metadata.json: 'tags[0]' must be a string", f->dir);
    PROBLEM("%s/t/main.js: file not found", f->dir);
    PROBLEM("%s/t/input.schema.json: must be a JSON object (a JSON Schema)", f->dir);
    PROBLEM("%s/t/output.schema.json: line 1, column 10: unexpected character", f->dir);
    PROBLEM("%s/t/tests/a.json: must be a JSON object", f->dir);
    PROBLEM("%s/t/tests/b.json: 'mock.http' must be an object or an array", f->dir);
    PROBLEM("%s/t/tests/c.json: 'mock.http[0]' must be an object", f->dir);
    PROBLEM("%s/t/tests/d.json: 'mock' must be an object", f->dir);
    assert_int_equal(n, 11);
    assert_int_equal(p.n, 11);

    /* A path that is not a task at all is one problem. */
    p = (problems){{0}, 0};
    assert_int_equal(rt_task_check(path_of(f, "nope"), collect, &p), 1);
    PROBLEM("%s/nope: No such file or directory", f->dir);
    p = (problems){{0}, 0};
    assert_int_equal(rt_task_check(f->tmp, collect, &p), 2);
    PROBLEM("%s/metadata.json: file not found", f->tmp);
    PROBLEM("%s/main.js: file not found", f->tmp);
#undef PROBLEM
}

/* ---- archives ------------------------------------------------------------------------------- */

static void test_zip_layouts(void **state)
{
    fx *f = *state;
    put_task(f, "src/addition");
    /* What users run: the zip CLI on the folder, and inside it. */
    assert_int_equal(run("cd '%s/src' && zip -qr ../top.zip addition", f->dir), 0);
    assert_int_equal(run("cd '%s/src/addition' && zip -qr ../../root.zip .", f->dir), 0);
    const char *zips[] = {"top.zip", "root.zip"};
    for (size_t i = 0; i < 2; i++) {
        rt_error err = {{0}};
        rt_task *t = rt_task_load(path_of(f, zips[i]), &err);
        if (!t)
            fail_msg("%s: %s", zips[i], err.msg);
        assert_string_equal(t->name, "addition");
        assert_string_equal(t->source, path_of(f, zips[i]));
        assert_int_equal(t->ntests, 2);
        assert_non_null(t->input_schema);
        assert_non_null(t->tmpdir);
        assert_memory_equal(t->tmpdir, f->tmp, strlen(f->tmp));
        struct stat st;
        assert_int_equal(lstat(t->tmpdir, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0700);
        assert_int_equal(strncmp(t->dir, t->tmpdir, strlen(t->tmpdir)), 0);
        assert_true(exists(t->tests[0].file));
        char tmpdir[4096];
        snprintf(tmpdir, sizeof tmpdir, "%s", t->tmpdir);
        rt_task_free(t);
        assert_false(exists(tmpdir)); /* removed by rt_task_free */
        assert_int_equal(count_entries(f->tmp), 0);
    }

    /* Messages about the files inside name the archive and the folder in it. */
    put(f, "src/addition/metadata.json", "{\"name\": \"addition\"}");
    assert_int_equal(run("cd '%s/src' && zip -qr ../top.zip addition", f->dir), 0);
    char msg[2048];
    snprintf(msg, sizeof msg,
             "%s/top.zip!addition/metadata.json: missing required field "
             "'version'",
             f->dir);
    load_fails(path_of(f, "top.zip"), msg);
    problems p = {{0}, 0};
    assert_int_equal(rt_task_check(path_of(f, "top.zip"), collect, &p), 1);
    has_problem(&p, msg);
    assert_int_equal(count_entries(f->tmp), 0);

    /* Backslash separators from Windows tools, "./" prefixes and macOS metadata are fine. */
    py(f, "with zipfile.ZipFile('win.zip', 'w') as z:\n"
          "    entry(z, 'w\\\\metadata.json', GOOD['metadata.json'])\n"
          "    entry(z, '.\\\\w\\\\main.js', GOOD['main.js'])\n"
          "    entry(z, 'w\\\\tests\\\\t1.json', '{}')\n"
          "    entry(z, '__MACOSX/w/._main.js', 'junk')\n");
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path_of(f, "win.zip"), &err);
    if (!t)
        fail_msg("win.zip: %s", err.msg);
    assert_int_equal(t->ntests, 1);
    assert_string_equal(t->tests[0].name, "t1");
    rt_task_free(t);
    assert_int_equal(count_entries(f->tmp), 0);
}

static void test_zip_hostile(void **state)
{
    fx *f = *state;
    char abs_entry[4096];
    snprintf(abs_entry, sizeof abs_entry, "%s/abs-evil.txt", f->dir);
    static const struct {
        const char *code, *msg;
    } cases[] = {
        {"    entry(z, '../evil.txt', 'x')\n", "entry '../evil.txt' escapes the task folder"},
        {"    entry(z, '../../evil.txt', 'x')\n", "entry '../../evil.txt' escapes the task folder"},
        {"    entry(z, 'tests/../../evil.txt', 'x')\n",
         "entry 'tests/../../evil.txt' escapes the task folder"},
        {"    entry(z, '..\\\\evil.txt', 'x')\n", "entry '..\\evil.txt' escapes the task folder"},
        {"    entry(z, 'C:\\\\evil.txt', 'x')\n", "entry 'C:\\evil.txt' escapes the task folder"},
        {"    entry(z, sys.argv[1] + '/abs-evil.txt', 'x')\n", "escapes the task folder"},
        {"    entry(z, 'link', '/etc/passwd', attr=0o120777 << 16)\n",
         "entry 'link' is a symbolic link"},
        {"    entry(z, 'tests/', attr=(0o120777 << 16) | 0x10)\n",
         "entry 'tests/' is a symbolic link"},
        {"    entry(z, 'x/' * 40 + 'f', 'x')\n", "is nested more than 32 folders deep"},
        /* libzip itself refuses a name stored twice; these two differ only until normalised */
        {"    entry(z, './main.js', 'again')\n", "entry './main.js' appears twice in the archive"},
        {"    entry(z, 'main.js/x', 'x')\n",
         "entry 'main.js/x' conflicts with a file of the same name"},
        {"    for i in range(5):\n"
         "        entry(z, 'big%d.bin' % i, bytes(15 << 20))\n",
         "more than 64 MiB uncompressed in all"},
        {"    for i in range(10000):\n"
         "        entry(z, 'tests/%d.txt' % i)\n",
         "10002 entries, over the limit of 10000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char code[1024];
        /* The good files first, so that only the hostile entry can be the reason. */
        snprintf(code, sizeof code, "with zipfile.ZipFile('bad.zip', 'w') as z:\n    task(z)\n%s",
                 cases[i].code);
        py(f, code);
        rt_error err = {{0}};
        rt_task *t = rt_task_load(path_of(f, "bad.zip"), &err);
        if (t)
            fail_msg("case %zu loaded", i);
        char want[2048];
        snprintf(want, sizeof want, "%s/bad.zip: ", f->dir);
        if (strncmp(err.msg, want, strlen(want)) || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.msg, cases[i].msg);
        /* Nothing written anywhere: no extraction folder left, no stray file. */
        assert_int_equal(count_entries(f->tmp), 0);
        assert_false(exists(path_of(f, "evil.txt")));
        assert_false(exists(path_of(f, "tmp/evil.txt")));
        assert_false(exists(abs_entry));
        assert_int_equal(count_entries(f->dir), 2); /* tmp and bad.zip */
        problems p = {{0}, 0};
        assert_int_equal(rt_task_check(path_of(f, "bad.zip"), collect, &p), 1);
        assert_int_equal(count_entries(f->tmp), 0);
    }
}

static void test_zip_sizes_lie(void **state)
{
    fx *f = *state;
    char msg[2048];
    /* Declared bigger than the per-file limit: refused from the directory alone. */
    py(f, "with zipfile.ZipFile('huge.zip', 'w') as z:\n"
          "    entry(z, 'big.bin', bytes(1000))\n"
          "    task(z)\n"
          "patch_size('huge.zip', 0x7fffffff)\n");
    snprintf(msg, sizeof msg,
             "%s/huge.zip: entry 'big.bin' is 2147483647 bytes uncompressed, "
             "over the 16 MiB limit for one file",
             f->dir);
    load_fails(path_of(f, "huge.zip"), msg);
    assert_int_equal(count_entries(f->tmp), 0);
    /* Declared small, inflating to much more: reading stops at the declared size. */
    py(f, "with zipfile.ZipFile('bomb.zip', 'w') as z:\n"
          "    entry(z, 'big.bin', bytes(8 << 20))\n"
          "    task(z)\n"
          "patch_size('bomb.zip', 1000)\n");
    snprintf(msg, sizeof msg,
             "%s/bomb.zip: entry 'big.bin' holds more data than its declared "
             "size of 1000 bytes",
             f->dir);
    load_fails(path_of(f, "bomb.zip"), msg);
    assert_int_equal(count_entries(f->tmp), 0);
    /* Declared bigger than the data. */
    py(f, "with zipfile.ZipFile('short.zip', 'w') as z:\n"
          "    entry(z, 'big.bin', bytes(1000))\n"
          "    task(z)\n"
          "patch_size('short.zip', 5000)\n");
    rt_error err = {{0}};
    assert_null(rt_task_load(path_of(f, "short.zip"), &err));
    snprintf(msg, sizeof msg, "%s/short.zip: entry 'big.bin' ", f->dir);
    assert_memory_equal(err.msg, msg, strlen(msg));
    assert_int_equal(count_entries(f->tmp), 0);
}

static void test_zip_not_a_task(void **state)
{
    fx *f = *state;
    char msg[2048];
    py(f, "with zipfile.ZipFile('two.zip', 'w') as z:\n"
          "    task(z, 'a/')\n"
          "    task(z, 'b/')\n"
          "    task(z, 'c/')\n");
    snprintf(msg, sizeof msg,
             "%s/two.zip: no metadata.json (or meta.yaml) at the root, and not a single top "
             "folder (the top level holds 'a', 'b', ...); put the task at the root of the "
             "archive or in one top folder",
             f->dir);
    load_fails(path_of(f, "two.zip"), msg);
    py(f, "with zipfile.ZipFile('empty.zip', 'w') as z:\n"
          "    entry(z, 'dir/')\n"
          "    z.writestr('__MACOSX/x', 'x')\n");
    snprintf(msg, sizeof msg, "%s/empty.zip!dir/metadata.json: file not found", f->dir);
    load_fails(path_of(f, "empty.zip"), msg);
    py(f, "zipfile.ZipFile('none.zip', 'w').close()\n");
    snprintf(msg, sizeof msg, "%s/none.zip: the archive holds no files", f->dir);
    load_fails(path_of(f, "none.zip"), msg);
    put(f, "fake.zip", "not a zip at all");
    snprintf(msg, sizeof msg, "%s/fake.zip: not a readable .zip archive: Not a zip archive",
             f->dir);
    load_fails(path_of(f, "fake.zip"), msg);
    assert_int_equal(count_entries(f->tmp), 0);
}

/* ---- collections ---------------------------------------------------------------------------- */

static void test_find(void **state)
{
    fx *f = *state;
    put_task(f, "c/b-task");
    put_task(f, "c/a/nested/task"); /* its tests/ are not searched */
    put(f, "c/a/nested/task/sub/metadata.json", "{}");
    put(f, "c/z.zip", "zip");
    put(f, "c/a/ARCHIVE.ZIP", "zip");
    put(f, "c/notes.txt", "x");
    put(f, "c/.hidden/metadata.json", "{}");
    put(f, "c/empty/deeper/readme", "x");
    assert_int_equal(symlink(path_of(f, "c/b-task"), path_of(f, "c/link-to-task")), 0);
    assert_int_equal(symlink(path_of(f, "c"), path_of(f, "c/a/loop")), 0);
    assert_int_equal(symlink(path_of(f, "c/z.zip"), path_of(f, "c/link.zip")), 0);
    char **v;
    size_t n;
    rt_error err = {{0}};
    assert_int_equal(rt_task_find(path_of(f, "c//"), &v, &n, &err), RATCHET_OK);
    const char *want[] = {"c/a/ARCHIVE.ZIP", "c/a/nested/task", "c/b-task", "c/link.zip",
                          "c/z.zip"};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i], path_of(f, want[i]));
        free(v[i]);
    }
    free(v);

    /* A task or an archive named directly is itself. */
    assert_int_equal(rt_task_find(path_of(f, "c/b-task"), &v, &n, &err), RATCHET_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], path_of(f, "c/b-task"));
    free(v[0]);
    free(v);
    assert_int_equal(rt_task_find(path_of(f, "c/empty"), &v, &n, &err), RATCHET_OK);
    assert_int_equal(n, 0);
    assert_null(v);

    assert_int_equal(rt_task_find(path_of(f, "missing"), &v, &n, &err), RATCHET_ERR);
    char msg[2048];
    snprintf(msg, sizeof msg, "%s/missing: No such file or directory", f->dir);
    assert_string_equal(err.msg, msg);

    char deep[1024] = "d";
    for (int i = 0; i < RT_TASK_FIND_DEPTH_MAX; i++)
        strcat(deep, "/x");
    strcat(deep, "/task/metadata.json");
    put(f, deep, "{}");
    assert_int_equal(rt_task_find(path_of(f, "d"), &v, &n, &err), RATCHET_OK);
    assert_int_equal(n, 1);
    free(v[0]);
    free(v);
    deep[strlen(deep) - strlen("/task/metadata.json")] = '\0';
    strcat(deep, "/x/task/metadata.json");
    put(f, deep, "{}");
    assert_int_equal(rt_task_find(path_of(f, "d"), &v, &n, &err), RATCHET_ERR);
    assert_non_null(strstr(err.msg, ": folders nested more than 16 levels deep"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minimal_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generated_uuid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_json_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tests_parsing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_reports_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_layouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_sizes_lie, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_not_a_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
