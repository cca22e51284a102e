/*
 * test_task_formats.c - the original's newer task format (meta.yaml, task_yaml.c), test files
 * that skip or expect an error, and how messages name the files of a zipped task.
 * Task folders are written at test time; archives with python3's zipfile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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
    return task_fx_setup(state, "fmt");
}

static int teardown(void **state)
{
    return task_fx_teardown(state);
}

static rt_task *load_ok(const char *path)
{
    rt_error err = {{0}};
    rt_task *t = rt_task_load(path, &err);
    if (!t)
        fail_msg("%s: %s", path, err.msg);
    return t;
}

static const char *schema_text(struct json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

#define SUM_META                                                                                   \
    "name: yaml-sum\n"                                                                             \
    "description: Adds\n"                                                                          \
    "version: 2.10\n"                                                                              \
    "runtime: nodejs\n"                                                                            \
    "tags: [math]\n"                                                                               \
    "inputs:\n"                                                                                    \
    "  x:\n"                                                                                       \
    "    type: number\n"                                                                           \
    "    description: first\n"                                                                     \
    "    required: true\n"                                                                         \
    "  y: {type: integer, required: true, minimum: 0, default: 1}\n"                               \
    "  note: string\n"                                                                             \
    "  anything: any\n"                                                                            \
    "  kind: {type: [string, null], enum: [a, b, null]}\n"                                         \
    "  nothing: null\n"                                                                            \
    "outputs:\n"                                                                                   \
    "  total: number\n"

/* ---- meta.yaml ------------------------------------------------------------------------------ */

static void test_yaml_task(void **state)
{
    fx *f = *state;
    put(f, "sum/meta.yaml", SUM_META);
    put(f, "sum/task.js",
        "function main(i) { return {total: i.x + i.y}; }\n"
        "module.exports = { main };\n");
    put(f, "sum/tests/t1.json", "{\"input\": {\"x\": 1, \"y\": 2}, \"expected_output\": {}}");
    rt_task *t = load_ok(path_of(f, "sum"));
    assert_string_equal(t->name, "yaml-sum");
    assert_string_equal(t->label, "yaml-sum");
    assert_string_equal(t->version, "2.10"); /* a YAML number, kept as written */
    assert_string_equal(t->description, "Adds");
    assert_int_equal(t->ntags, 1);
    assert_string_equal(t->tags[0], "math");
    assert_string_equal(t->meta_file, "meta.yaml");
    assert_string_equal(t->entry, "task.js"); /* the default */
    assert_string_equal(rt_task_code_name(t), "task.js");
    assert_non_null(strstr(t->code, "module.exports"));
    assert_non_null(t->uuid);
    assert_string_equal(t->input_schema_from, "inputs");
    /* The short form as JSON Schema: the fields' maps without `required`, `any` dropped. */
    assert_string_equal(schema_text(t->input_schema),
                        "{\"type\":\"object\",\"properties\":{"
                        "\"x\":{\"type\":\"number\",\"description\":\"first\"},"
                        "\"y\":{\"type\":\"integer\",\"minimum\":0,\"default\":1},"
                        "\"note\":{\"type\":\"string\"},"
                        "\"anything\":{},"
                        "\"kind\":{\"type\":[\"string\",\"null\"],\"enum\":[\"a\",\"b\",null]},"
                        "\"nothing\":{\"type\":\"null\"}},"
                        "\"required\":[\"x\",\"y\"]}");
    assert_string_equal(schema_text(t->output_schema),
                        "{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}}}");
    /* the whole file is the metadata, as JSON */
    assert_string_equal(json_object_get_string(json_object_object_get(t->metadata, "runtime")),
                        "nodejs");
    assert_true(json_object_is_type(json_object_object_get(t->metadata, "version"),
                                    json_type_string)); /* text, as in metadata.json */
    assert_int_equal(t->ntests, 1);
    rt_task_free(t);

    /* Whole schemas, an entry in a subfolder, tests in meta.yaml before those of tests/. */
    put(f, "full/meta.yaml",
        "name: full\nversion: '1'\nentrypoint: src/entry.js\n"
        "input_schema:\n  type: object\n  required: [who]\n"
        "output_schema: {type: object, additionalProperties: false}\n"
        "test_cases:\n"
        "  - name: world\n    input: {who: World}\n    expected_output: {greeting: Hello}\n"
        "  - input: {who: x}\n    expected_error: ValidationError\n"
        "  - input: {}\n");
    put(f, "full/src/entry.js", "exports.main = function (i) { return i; };\n");
    put(f, "full/tests/a.json", "{\"input\": {\"who\": \"a\"}, \"expected_output\": {}}");
    t = load_ok(path_of(f, "full"));
    assert_string_equal(t->entry, "src/entry.js");
    assert_string_equal(t->input_schema_from, "input_schema");
    assert_string_equal(schema_text(t->input_schema),
                        "{\"type\":\"object\",\"required\":[\"who\"]}");
    assert_int_equal(t->ntests, 4);
    assert_string_equal(t->tests[0].name, "world");
    assert_null(t->tests[0].skip);
    assert_string_equal(t->tests[1].name, "case-002");
    assert_string_equal(json_object_get_string(t->tests[1].expect_error), "ValidationError");
    assert_string_equal(t->tests[2].name, "case-003");
    assert_non_null(t->tests[2].skip);
    assert_string_equal(t->tests[2].file, path_of(f, "full/meta.yaml"));
    assert_string_equal(t->tests[3].name, "a");
    rt_task_free(t);
}

static void test_yaml_problems(void **state)
{
    fx *f = *state;
    put(f, "bad/meta.yaml",
        "name: yaml bad\n"                       /* 1 */
        "version: 1.0.0\n"                       /* 2 */
        "inputs:\n"                              /* 3 */
        "  count:\n"                             /* 4 */
        "    type: nubmer\n"                     /* 5 */
        "    required: maybe\n"                  /* 6 */
        "  colour: {type: string, color: red}\n" /* 7 */
        "  size: {type: [int, any]}\n"           /* 8 */
        "outputs: [total]\n"                     /* 9 */
        "entrypoint: ../outside.js\n"            /* 10 */
        "input_schema: {type: object}\n"         /* 11 */
        "test_cases: {a: 1}\n");                 /* 12 */
    problems p = {{0}, 0};
    char line[2048];
    size_t n = rt_task_check(path_of(f, "bad"), collect, &p);
#define PROBLEM(...)                                                                               \
    do {                                                                                           \
        snprintf(line, sizeof line, __VA_ARGS__);                                                  \
        has_problem(&p, line);                                                                     \
    } while (0)
    PROBLEM("%s/bad/meta.yaml:1: name: must match ^[A-Za-z0-9_-]+$, not \"yaml bad\"", f->dir);
    PROBLEM("%s/bad/meta.yaml:5: inputs.count.type: unknown type \"nubmer\" (string, number, "
            "integer, boolean, object, array, null or any)",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:6: inputs.count.required: must be true or false", f->dir);
    PROBLEM("%s/bad/meta.yaml:7: inputs.colour.color: unknown key (a field has type, "
            "description, required, default, enum and the other JSON Schema keywords)",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:8: inputs.size.type[0]: unknown type \"int\" (string, number, "
            "integer, boolean, object, array, null or any)",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:8: inputs.size.type[1]: \"any\" cannot be one of several types",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:9: outputs: must be a map of fields (NAME: TYPE or NAME: {type, "
            "...})",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:10: entrypoint: must be a file inside the task folder (a relative "
            "path without '..'), not \"../outside.js\"",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:11: input_schema: give either inputs or input_schema, not both",
            f->dir);
    PROBLEM("%s/bad/meta.yaml:12: test_cases: must be a list of tests {name, input, "
            "expected_output}",
            f->dir);
    assert_int_equal(n, 10);

    /* YAML that does not parse: the parser's file:line:column. */
    put(f, "syn/meta.yaml", "name: syn\nversion: [1\n");
    p = (problems){{0}, 0};
    n = rt_task_check(path_of(f, "syn"), collect, &p);
    assert_int_equal(n, 1);
    snprintf(line, sizeof line, "%s/syn/meta.yaml:", f->dir);
    assert_memory_equal(p.text, line, strlen(line));

    /* Missing fields and files, a test case with a bad shape, both formats in one folder. */
    put(f, "min/meta.yaml",
        "description: no name, no version\n"
        "test_cases:\n  - {input: 1, should_fail: 3}\n");
    put(f, "min/metadata.json", "{\"name\": \"min\", \"version\": \"1\"}");
    p = (problems){{0}, 0};
    n = rt_task_check(path_of(f, "min"), collect, &p);
    PROBLEM("%s/min/meta.yaml: the folder also holds metadata.json; keep one of them", f->dir);
    PROBLEM("%s/min/main.js: file not found", f->dir);
    assert_int_equal(n, 2);
    assert_int_equal(unlink(path_of(f, "min/metadata.json")), 0);
    p = (problems){{0}, 0};
    n = rt_task_check(path_of(f, "min"), collect, &p);
    PROBLEM("%s/min/meta.yaml: missing required field 'name' (or 'label')", f->dir);
    PROBLEM("%s/min/meta.yaml: missing required field 'version'", f->dir);
    PROBLEM("%s/min/task.js: file not found", f->dir);
    PROBLEM("%s/min/meta.yaml:3: test_cases[0]: 'should_fail' must be true or false", f->dir);
    assert_int_equal(n, 4);

    /* A schema file beside a meta.yaml that gives that schema. */
    put(f, "two/meta.yaml", "name: two\nversion: '1'\ninputs: {a: string}\n");
    put(f, "two/task.js", "module.exports = function (i) { return i; };\n");
    put(f, "two/input.schema.json", "{}");
    p = (problems){{0}, 0};
    n = rt_task_check(path_of(f, "two"), collect, &p);
    PROBLEM("%s/two/input.schema.json: meta.yaml gives the input schema (inputs); keep one of "
            "them",
            f->dir);
    assert_int_equal(n, 1);
    /* Without inputs, the file is read as for metadata.json. */
    put(f, "two/meta.yaml", "name: two\nversion: '1'\n");
    rt_task *t = load_ok(path_of(f, "two"));
    assert_string_equal(t->input_schema_from, "input.schema.json");
    rt_task_free(t);
#undef PROBLEM
}

/* ---- tests that skip or expect an error ------------------------------------------------------ */

static void test_expectations(void **state)
{
    fx *f = *state;
    put(f, "t/metadata.json", "{\"name\": \"t\", \"version\": \"1\"}");
    put(f, "t/main.js", "function main(i) { return i; }");
    put(f, "t/tests/a-none.json", "{\"input\": 1}");
    put(f, "t/tests/b-error-name.json", "{\"input\": 1, \"expected_error\": \"TypeError\"}");
    put(f, "t/tests/c-error-object.json",
        "{\"expected_error\": {\"name\": \"Error\", \"message\": \"bad\"}}");
    put(f, "t/tests/d-should-fail.json", "{\"should_fail\": true}");
    put(f, "t/tests/e-expected.json", "{\"expected\": null}");
    rt_task *t = load_ok(path_of(f, "t"));
    assert_int_equal(t->ntests, 5);
    assert_string_equal(t->tests[0].skip,
                        "no expected_output (or expected) or expected_error to check the run "
                        "against");
    assert_null(t->tests[1].skip);
    assert_string_equal(json_object_get_string(t->tests[1].expect_error), "TypeError");
    assert_null(t->tests[2].skip);
    assert_true(json_object_is_type(t->tests[2].expect_error, json_type_object));
    assert_null(t->tests[3].skip);
    assert_null(t->tests[4].skip); /* `expected: null` expects null */
    rt_task_free(t);

    static const char *const bad[] = {"\"\"", "3", "{}", "{\"name\": 1}", "{\"code\": \"x\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[128], msg[2048];
        snprintf(text, sizeof text, "{\"expected_error\": %s}", bad[i]);
        put(f, "t/tests/z.json", text);
        snprintf(msg, sizeof msg,
                 "%s/t/tests/z.json: 'expected_error' must be a non-empty string (an error name "
                 "or a part of its message) or an object {name, message}",
                 f->dir);
        rt_error err = {{0}};
        assert_null(rt_task_load(path_of(f, "t"), &err));
        assert_string_equal(err.msg, msg);
    }
    put(f, "t/tests/z.json", "{\"expected_output\": 1, \"expected_error\": \"X\"}");
    problems p = {{0}, 0};
    assert_int_equal(rt_task_check(path_of(f, "t"), collect, &p), 1);
    char msg[2048];
    snprintf(msg, sizeof msg,
             "%s/t/tests/z.json: has both 'expected_output' and 'expected_error'; a test expects "
             "either an output or an error",
             f->dir);
    has_problem(&p, msg);
}

/* ---- zips ----------------------------------------------------------------------------------- */

static void py(const fx *f, const char *code)
{
    char script[4096], cmd[8192];
    snprintf(script, sizeof script, "%s/mk.py", f->dir);
    FILE *fp = fopen(script, "w");
    assert_non_null(fp);
    fputs("import os, sys, zipfile\nos.chdir(sys.argv[1])\n", fp);
    fputs(code, fp);
    assert_int_equal(fclose(fp), 0);
    snprintf(cmd, sizeof cmd, "python3 -W ignore '%s' '%s'", script, f->dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(unlink(script), 0);
}

static void test_zip_names(void **state)
{
    fx *f = *state;
    py(f, "with zipfile.ZipFile('greeting.zip', 'w') as z:\n"
          "    z.writestr('metadata.json', '{\"name\": \"greeting\", \"version\": \"1\"}')\n"
          "    z.writestr('main.js', 'function main(i) {\\n  return i;\\n')\n"
          "    z.writestr('tests/t.json', '{\"input\": 1}')\n"
          "with zipfile.ZipFile('nested.zip', 'w') as z:\n"
          "    z.writestr('g/meta.yaml', 'name: g\\nversion: \"1\"\\ninputs: {a: strnig}\\n')\n"
          "    z.writestr('g/task.js', 'module.exports = {main: function (i) { return i; }};')\n"
          "with zipfile.ZipFile('yaml.zip', 'w') as z:\n"
          "    z.writestr('meta.yaml', 'name: y\\nversion: \"1\"\\nentrypoint: lib/y.js\\n')\n"
          "    z.writestr('lib/y.js', 'exports.main = function (i) { return i; };')\n");
    /* The archive, '!', the path inside it: never the extraction folder. */
    rt_task *t = load_ok(path_of(f, "greeting.zip"));
    char want[4096];
    snprintf(want, sizeof want, "%s/greeting.zip!main.js", f->dir);
    assert_string_equal(rt_task_code_name(t), want);
    snprintf(want, sizeof want, "%s/greeting.zip!", f->dir);
    assert_string_equal(t->shown, want);
    rt_error err = {{0}};
    assert_int_equal(rt_task_compile(t, &err), RATCHET_ERR);
    snprintf(want, sizeof want, "%s/greeting.zip!main.js:3:1: ", f->dir);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("compile error: %s", err.msg);
    assert_null(strstr(err.msg, f->tmp));
    assert_non_null(t->tests[0].skip);
    rt_task_free(t);

    problems p = {{0}, 0};
    assert_int_equal(rt_task_check(path_of(f, "nested.zip"), collect, &p), 1);
    snprintf(want, sizeof want,
             "%s/nested.zip!g/meta.yaml:3: inputs.a: unknown type \"strnig\" (string, number, "
             "integer, boolean, object, array, null or any)",
             f->dir);
    has_problem(&p, want);

    t = load_ok(path_of(f, "yaml.zip"));
    snprintf(want, sizeof want, "%s/yaml.zip!lib/y.js", f->dir);
    assert_string_equal(rt_task_code_name(t), want);
    assert_int_equal(rt_task_compile(t, &err), RATCHET_OK);
    rt_program *p2 = t->program;
    assert_string_equal(p2->filename, want);
    rt_task_free(t);

    /* A folder task's code is named by its entry file alone, as before. */
    put(f, "plain/metadata.json", "{\"name\": \"plain\", \"version\": \"1\"}");
    put(f, "plain/main.js", "function main(i) { return i; }");
    t = load_ok(path_of(f, "plain"));
    assert_string_equal(rt_task_code_name(t), "main.js");
    assert_int_equal(rt_task_compile(t, &err), RATCHET_OK);
    assert_null(t->program->filename); /* "main.js" is the default: nothing stored */
    rt_task_free(t);
}

/* A collection finds meta.yaml folders as it finds metadata.json ones. */
static void test_find_yaml(void **state)
{
    fx *f = *state;
    put(f, "c/a/meta.yaml", "name: a\nversion: '1'\n");
    put(f, "c/a/task.js", "exports.main = function () { return 1; };");
    put(f, "c/a/sub/meta.yaml", "name: not-a-task\n"); /* inside a task: not descended */
    put(f, "c/b/metadata.json", "{\"name\": \"b\", \"version\": \"1\"}");
    char **paths;
    size_t n;
    rt_error err;
    assert_int_equal(rt_task_find(path_of(f, "c"), &paths, &n, &err), RATCHET_OK);
    assert_int_equal(n, 2);
    assert_string_equal(paths[0], path_of(f, "c/a"));
    assert_string_equal(paths[1], path_of(f, "c/b"));
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    assert_true(rt_task_is_folder(path_of(f, "c/a")));
    assert_false(rt_task_is_folder(path_of(f, "c")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_yaml_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yaml_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expectations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_yaml, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
