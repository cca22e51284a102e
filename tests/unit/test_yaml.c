/* tests/unit/test_yaml.c - ratchet.yaml parsing into rt_node trees, errors, and emitting. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "rt_yaml.h"

static rt_node *parse(const char *text)
{
    rt_error err;
    err.msg[0] = '\0';
    rt_node *n = rt_yaml_parse(text, strlen(text), "ratchet.yaml", &err);
    if (!n)
        fail_msg("unexpected parse error: %s", err.msg);
    return n;
}

/* Parsing `text` fails with exactly `expect`. */
static void parse_fails(const char *text, size_t len, const char *expect)
{
    rt_error err;
    err.msg[0] = '\0';
    rt_node *n = rt_yaml_parse(text, len, "ratchet.yaml", &err);
    if (n) {
        rt_node_free(n);
        fail_msg("parsed, expected error: %s", expect);
    }
    assert_string_equal(err.msg, expect);
}

#define FAILS(text, expect) parse_fails(text, strlen(text), expect)

static void test_tree_and_positions(void **state)
{
    (void)state;
    rt_node *root = parse("# config\n"
                          "logging:\n"
                          "  level: info\n"
                          "  targets: [console, \"file\"]\n"
                          "instances:\n"
                          "  - name: one\n"
                          "    options:\n"
                          "      n: 5\n");
    assert_int_equal(rt_node_kind(root), RATCHET_NODE_MAP);
    assert_string_equal(rt_node_where(root), "ratchet.yaml:2:1");
    assert_int_equal(rt_node_count(root), 2);
    assert_string_equal(rt_node_key_at(root, 0), "logging");
    assert_string_equal(rt_node_key_where(root, 1), "ratchet.yaml:5:1");
    const rt_node *logging = rt_node_get(root, "logging");
    const rt_node *level = rt_node_get(logging, "level");
    assert_string_equal(rt_node_scalar(level), "info");
    assert_true(level->plain);
    assert_string_equal(rt_node_where(level), "ratchet.yaml:3:10");
    assert_int_equal(level->line, 3);
    assert_int_equal(level->column, 10);
    assert_string_equal(rt_node_key_where(logging, 0), "ratchet.yaml:3:3");
    const rt_node *targets = rt_node_get(logging, "targets");
    assert_int_equal(rt_node_kind(targets), RATCHET_NODE_SEQUENCE);
    assert_int_equal(rt_node_count(targets), 2);
    assert_true(rt_node_at(targets, 0)->plain);
    assert_false(rt_node_at(targets, 1)->plain);
    assert_string_equal(rt_node_scalar(rt_node_at(targets, 1)), "file");
    assert_string_equal(rt_node_where(rt_node_at(targets, 1)), "ratchet.yaml:4:22");
    const rt_node *inst = rt_node_at(rt_node_get(root, "instances"), 0);
    const rt_node *n = rt_node_get(rt_node_get(inst, "options"), "n");
    assert_string_equal(rt_node_scalar(n), "5");
    assert_string_equal(rt_node_where(n), "ratchet.yaml:8:10");
    rt_node_free(root);
}

static void test_null_safe_accessors(void **state)
{
    (void)state;
    assert_int_equal(rt_node_kind(NULL), RATCHET_NODE_NONE);
    assert_null(rt_node_scalar(NULL));
    assert_int_equal(rt_node_count(NULL), 0);
    assert_null(rt_node_at(NULL, 0));
    assert_null(rt_node_key_at(NULL, 0));
    assert_null(rt_node_get(NULL, "a"));
    assert_non_null(rt_node_where(NULL));
    rt_node *root = parse("a: [x]\n");
    const rt_node *a = rt_node_get(root, "a");
    assert_null(rt_node_get(a, "x"));    /* not a map */
    assert_null(rt_node_key_at(a, 0));   /* not a map */
    assert_null(rt_node_scalar(a));      /* not a scalar */
    assert_null(rt_node_at(a, 1));       /* out of range */
    assert_null(rt_node_get(root, "b")); /* absent */
    rt_node_free(root);
    rt_node_free(NULL);
}

static void test_scalar_styles(void **state)
{
    (void)state;
    rt_node *root = parse("a:\nb: ~\nc: null\nd: \"\"\ne: ''\nf: \"~\"\ng: !!str null\n"
                          "h: |\n  line1\n  line2\ni: ! 5\n");
    const rt_node *a = rt_node_get(root, "a");
    assert_string_equal(a->scalar, "");
    assert_true(a->plain);
    assert_true(rt_node_get(root, "b")->plain);
    assert_true(rt_node_get(root, "c")->plain);
    assert_false(rt_node_get(root, "d")->plain);
    assert_false(rt_node_get(root, "e")->plain);
    assert_false(rt_node_get(root, "f")->plain);
    assert_false(rt_node_get(root, "g")->plain); /* !!str makes a string */
    assert_string_equal(rt_node_get(root, "h")->scalar, "line1\nline2\n");
    assert_false(rt_node_get(root, "h")->plain);
    assert_false(rt_node_get(root, "i")->plain);
    rt_node_free(root);
}

static void test_empty_documents(void **state)
{
    (void)state;
    const char *empties[] = {"", "# just a comment\n", "---\n", "--- ~\n", "\n\n", "null\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        rt_node *n = parse(empties[i]);
        assert_int_equal(rt_node_kind(n), RATCHET_NODE_MAP);
        assert_int_equal(rt_node_count(n), 0);
        assert_string_equal(rt_node_where(n), "ratchet.yaml:1:1");
        rt_node_free(n);
    }
    rt_error err;
    rt_node *n = rt_yaml_parse(NULL, 0, NULL, &err);
    assert_int_equal(rt_node_kind(n), RATCHET_NODE_MAP);
    assert_string_equal(rt_node_where(n), "<input>:1:1");
    rt_node_free(n);
    /* A quoted empty root is a value, not an empty document. */
    n = parse("\"\"\n");
    assert_int_equal(rt_node_kind(n), RATCHET_NODE_SCALAR);
    rt_node_free(n);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    FAILS("logging:\n  level: info\n    bad: x: y\n",
          "ratchet.yaml:3:8: mapping values are not allowed in this context");
    FAILS("a: b: c\n", "ratchet.yaml:1:5: mapping values are not allowed in this context");
    FAILS("a: \"unterminated\n",
          "ratchet.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar at "
          "line 1, column 4)");
    FAILS("key: [1, 2\n",
          "ratchet.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at "
          "line 1, column 6)");
    FAILS("- a\nb: 1\n",
          "ratchet.yaml:2:1: did not find expected '-' indicator (while parsing a block "
          "collection at line 1, column 1)");
    FAILS("a: b\x01\n", "ratchet.yaml:1:5: control characters are not allowed (byte 0x01)");
    FAILS("x: 1\nab: \xff\n", "ratchet.yaml:2:5: invalid leading UTF-8 octet (byte 0xFF)");
    FAILS("a:\n\tb: 1\n",
          "ratchet.yaml:2:1: found character that cannot start any token (while scanning for "
          "the next token at line 2, column 1)");
}

static void test_duplicate_key(void **state)
{
    (void)state;
    FAILS("logging:\n"
          "  format: text\n"
          "  # comment\n"
          "  level: info\n"
          "  color: true\n"
          "\n"
          "  level: debug\n",
          "ratchet.yaml:7:3: duplicate key 'level' (first at line 4)");
    /* Quoting does not make a different key. */
    FAILS("a: 1\n\"a\": 2\n", "ratchet.yaml:2:1: duplicate key 'a' (first at line 1)");
    FAILS("{x: 1, y: 2, x: 3}\n", "ratchet.yaml:1:14: duplicate key 'x' (first at line 1)");
    /* Many keys: the index must still find the duplicate. */
    ratchet_buf b = RATCHET_BUF_INIT;
    for (int i = 0; i < 3000; i++)
        rt_buf_printf(&b, "k%d: %d\n", i, i);
    rt_buf_puts(&b, "k1234: again\n");
    parse_fails(b.data, b.len, "ratchet.yaml:3001:1: duplicate key 'k1234' (first at line 1235)");
    rt_buf_free(&b);
}

static void test_refused_constructs(void **state)
{
    (void)state;
    FAILS("base: &b {x: 1}\n", "ratchet.yaml:1:7: anchors are not supported (found '&b')");
    FAILS("a: 1\nb: *a\n", "ratchet.yaml:2:4: aliases are not supported");
    FAILS("? [a, b]\n: 1\n", "ratchet.yaml:1:3: a mapping key must be a scalar, not a sequence");
    FAILS("? {a: 1}\n: 1\n", "ratchet.yaml:1:3: a mapping key must be a scalar, not a mapping");
    FAILS("a: 1\n---\nb: 2\n",
          "ratchet.yaml:2:1: only one YAML document is allowed (found a second one)");
    FAILS("a: !custom 5\n", "ratchet.yaml:1:4: unsupported tag '!custom'");
    FAILS("a: !!binary aGk=\n", "ratchet.yaml:1:4: unsupported tag 'tag:yaml.org,2002:binary'");
    FAILS("a: !!map [1]\n", "ratchet.yaml:1:4: unsupported tag 'tag:yaml.org,2002:map'");
    FAILS("a: \"x\\0y\"\n", "ratchet.yaml:1:4: NUL characters are not supported in strings");
}

static void test_depth_limit(void **state)
{
    (void)state;
    char text[200];
    /* 64 nested levels are fine. */
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    text[128] = '\0';
    rt_node_free(parse(text));
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    text[130] = '\0';
    FAILS(text, "ratchet.yaml:1:65: nesting is deeper than 64 levels");
    /* Block style counts the same way. */
    ratchet_buf b = RATCHET_BUF_INIT;
    for (int i = 0; i < 65; i++)
        rt_buf_printf(&b, "%*sk:\n", i, "");
    rt_buf_printf(&b, "%*sx: 1\n", 65, "");
    parse_fails(b.data, b.len, "ratchet.yaml:65:65: nesting is deeper than 64 levels");
    rt_buf_free(&b);
}

static void test_size_limit(void **state)
{
    (void)state;
    size_t len = RT_YAML_MAX_BYTES;
    char *text = malloc(len + 1);
    assert_non_null(text);
    memset(text, '#', len);
    text[len - 1] = '\n';
    rt_error err;
    rt_node *n = rt_yaml_parse(text, len, "ratchet.yaml", &err); /* exactly 1 MiB is fine */
    assert_non_null(n);
    rt_node_free(n);
    text[len - 1] = '#';
    text[len] = '\n';
    parse_fails(text, len + 1, "ratchet.yaml: file is larger than 1 MiB");
    free(text);
}

static const char *tmp_dir(void)
{
    const char *d = getenv("RATCHET_TEST_TMP");
    return d && *d ? d : "/tmp";
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_load_file(void **state)
{
    (void)state;
    char path[512], msg[1100];
    rt_error err;
    snprintf(path, sizeof path, "%s/test_yaml_%ld.yaml", tmp_dir(), (long)getpid());
    write_file(path, "a:\n  b: [1, 2\n", 14);
    assert_null(rt_yaml_load_file(path, &err));
    snprintf(msg, sizeof msg,
             "%s:3:1: did not find expected ',' or ']' (while parsing a flow sequence at line 2, "
             "column 6)",
             path);
    assert_string_equal(err.msg, msg);

    write_file(path, "a:\n  b: 1\n", 10);
    rt_node *n = rt_yaml_load_file(path, &err);
    assert_non_null(n);
    snprintf(msg, sizeof msg, "%s:2:6", path);
    assert_string_equal(rt_node_where(rt_node_get(rt_node_get(n, "a"), "b")), msg);
    rt_node_free(n);

    char *big = malloc(RT_YAML_MAX_BYTES + 10);
    assert_non_null(big);
    memset(big, '#', RT_YAML_MAX_BYTES + 10);
    write_file(path, big, RT_YAML_MAX_BYTES + 10);
    free(big);
    assert_null(rt_yaml_load_file(path, &err));
    snprintf(msg, sizeof msg, "%s: file is larger than 1 MiB", path);
    assert_string_equal(err.msg, msg);
    unlink(path);

    assert_null(rt_yaml_load_file("/nonexistent-dir/ratchet.yaml", &err));
    assert_string_equal(err.msg,
                        "cannot read /nonexistent-dir/ratchet.yaml: No such file or directory");
    assert_null(rt_yaml_load_file(tmp_dir(), &err));
    snprintf(msg, sizeof msg, "cannot read %s: Is a directory", tmp_dir());
    assert_string_equal(err.msg, msg);
}

static void test_constructors(void **state)
{
    (void)state;
    rt_node *m = rt_node_new_map("environment variable RATCHET_X");
    assert_int_equal(rt_node_map_set(m, "a", rt_node_new_scalar("1", "here")), RATCHET_OK);
    assert_int_equal(rt_node_map_set(m, "b", rt_node_new_seq(NULL)), RATCHET_OK);
    for (int i = 0; i < 100; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(rt_node_map_set(m, key, rt_node_new_scalar(key, NULL)), RATCHET_OK);
    }
    assert_int_equal(rt_node_count(m), 102);
    assert_string_equal(rt_node_scalar(rt_node_get(m, "k99")), "k99");
    /* Replacing keeps the position and frees the old value (ASan checks the free). */
    assert_int_equal(rt_node_map_set(m, "a", rt_node_new_scalar("2", "env")), RATCHET_OK);
    assert_int_equal(rt_node_count(m), 102);
    assert_string_equal(rt_node_scalar(rt_node_at(m, 0)), "2");
    assert_string_equal(rt_node_key_where(m, 0), "env");
    assert_string_equal(rt_node_where(rt_node_get(m, "b")), "(built-in)");
    rt_node *seq = (rt_node *)rt_node_get(m, "b");
    for (int i = 0; i < 50; i++)
        assert_int_equal(rt_node_seq_push(seq, rt_node_new_scalar("x", NULL)), RATCHET_OK);
    assert_int_equal(rt_node_count(seq), 50);
    /* Wrong kinds fail and still take ownership. */
    assert_int_equal(rt_node_seq_push(m, rt_node_new_scalar("x", NULL)), RATCHET_ERR);
    assert_int_equal(rt_node_map_set(seq, "k", rt_node_new_scalar("x", NULL)), RATCHET_ERR);
    assert_int_equal(rt_node_map_set(m, "k", NULL), RATCHET_ERR);
    rt_node *s = rt_node_new_scalar(NULL, NULL);
    assert_string_equal(rt_node_scalar(s), "");
    assert_true(s->plain); /* as if written unquoted */
    rt_node_free(s);
    rt_node_free(m);
}

static char *emit(const rt_node *n, ratchet_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    assert_int_equal(rt_yaml_emit(n, b), RATCHET_OK);
    return b->data;
}

/* Text a YAML reader would type when unquoted (null, boolean, number). */
static int typed(const char *s)
{
    static const char *const words[] = {"",     "~",    "null",  "Null",  "NULL",  "true",
                                        "True", "TRUE", "false", "False", "FALSE", "yes",
                                        "no",   "on",   "off",   ".inf",  "-.inf", ".nan"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    char *end;
    strtod(s, &end);
    return end != s && *end == '\0';
}

/* Same texts; the plain flag must survive where it changes the meaning: a plain scalar stays
 * plain (unless it spans lines), a quoted one that would read as null/bool/number stays
 * quoted. Other quoted strings may come back plain. */
static void assert_same_tree(const rt_node *a, const rt_node *b)
{
    assert_int_equal(rt_node_kind(a), rt_node_kind(b));
    if (a->kind == RATCHET_NODE_SCALAR) {
        assert_string_equal(a->scalar, b->scalar);
        if (a->plain && !strchr(a->scalar, '\n') && !strchr(a->scalar, '\t'))
            assert_true(b->plain);
        if (!a->plain && typed(a->scalar))
            assert_false(b->plain);
        return;
    }
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        if (a->kind == RATCHET_NODE_MAP)
            assert_string_equal(a->keys[i], b->keys[i]);
        assert_same_tree(a->items[i], b->items[i]);
    }
}

/* Emit, re-parse, compare. */
static void round_trip(const rt_node *n)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error err;
    emit(n, &b);
    rt_node *back = rt_yaml_parse(b.data, b.len, "emitted", &err);
    if (!back)
        fail_msg("emitted YAML does not parse: %s\n%s", err.msg, b.data);
    assert_same_tree(n, back);
    rt_node_free(back);
    rt_buf_free(&b);
}

static void test_emit_exact(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_node *root = parse("logging:\n  level: info\n  tags: [a, \"true\", '']\n"
                          "list:\n- x: 1\n  y: [ ]\n- - n\n  - {}\n- \nempty:\nq: \"a: b\"\n");
    assert_string_equal(emit(root, &b), "logging:\n"
                                        "  level: info\n"
                                        "  tags:\n"
                                        "    - a\n"
                                        "    - \"true\"\n"
                                        "    - \"\"\n"
                                        "list:\n"
                                        "  - x: 1\n"
                                        "    y: []\n"
                                        "  - - n\n"
                                        "    - {}\n"
                                        "  -\n"
                                        "empty:\n"
                                        "q: \"a: b\"\n");
    round_trip(root);
    rt_node_free(root);
    root = parse("{}");
    assert_string_equal(emit(root, &b), "{}\n");
    rt_node_free(root);
    root = parse("[]");
    assert_string_equal(emit(root, &b), "[]\n");
    rt_node_free(root);
    rt_buf_free(&b);
}

static void test_emit_quoting(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        " lead",
        "trail ",
        "a: b",
        "a #b",
        "#x",
        "- x",
        "-",
        "?",
        ":",
        "true",
        "False",
        "null",
        "~",
        "123",
        "-1.5e3",
        "0x1F",
        ".inf",
        "yes",
        "off",
        "---",
        "...",
        "multi\nline",
        "tab\there",
        "q\"b\\s",
        "\x01"
        "c",
        "caf\xc3\xa9",
        "\xc2\x85",
        "\xe2\x80\xa8",
        "\xef\xbb\xbf"
        "bom",
        "[a]",
        "{a}",
        "*a",
        "&a",
        "!a",
        "|a",
        ">a",
        "'a",
        "%a",
        "@a",
        "`a",
        "a:",
        "a,b",
        "plain text",
        "-x",
        "a:b",
        "100%",
        "key\r",
        "\x7f",
        "1:30",
        "a\\b",
    };
    /* Texts that a plain (unquoted) scalar can hold: they must stay plain. */
    static const char *const plains[] = {
        "",     "true", "False", "null", "~",           "123",        "-1.5e3", "0x1F",
        ".inf", "yes",  "off",   "-x",   "caf\xc3\xa9", "plain text", "a:b",    "100%",
        "1:30", "a\\b", "a,b",   "a#b",  "x-",          "--",
    };
    ratchet_buf b = RATCHET_BUF_INIT;
    for (int plain = 0; plain <= 1; plain++) {
        const char *const *list = plain ? plains : texts;
        size_t count = plain ? sizeof plains / sizeof *plains : sizeof texts / sizeof *texts;
        rt_node *map = rt_node_new_map(NULL);
        rt_node *seq = rt_node_new_seq(NULL);
        for (size_t i = 0; i < count; i++) {
            rt_node *s = rt_node_new_scalar(list[i], NULL);
            s->plain = plain;
            assert_int_equal(rt_node_seq_push(seq, s), RATCHET_OK);
            s = rt_node_new_scalar(list[i], NULL);
            s->plain = plain;
            /* The texts as keys too. */
            assert_int_equal(rt_node_map_set(map, list[i], s), RATCHET_OK);
        }
        assert_int_equal(rt_node_map_set(map, "seq", seq), RATCHET_OK);
        round_trip(map);
        rt_node_free(map);
    }
    /* Exact forms of a few. */
    rt_node *s = rt_node_new_scalar("tab\there \"q\" \xc2\x85\x01", NULL);
    assert_string_equal(emit(s, &b), "\"tab\\there \\\"q\\\" \\N\\x01\"\n");
    rt_node_free(s);
    /* Scalars made in code read as unquoted text (environment values, effective config). */
    s = rt_node_new_scalar("7", NULL);
    assert_string_equal(emit(s, &b), "7\n");
    rt_node_free(s);
    s = rt_node_new_scalar("true", NULL);
    s->plain = 0;
    assert_string_equal(emit(s, &b), "\"true\"\n");
    s->plain = 1;
    assert_string_equal(emit(s, &b), "true\n");
    rt_node_free(s);
    b.len = 0;
    assert_int_equal(rt_yaml_emit_scalar(&b, "", 0), RATCHET_OK);
    assert_string_equal(b.data, "\"\"");
    /* Invalid UTF-8 cannot be written as YAML; it becomes U+FFFD. */
    b.len = 0;
    assert_int_equal(rt_yaml_emit_scalar(&b, "a\xff", 0), RATCHET_OK);
    assert_string_equal(b.data, "\"a\\uFFFD\"");
    rt_buf_free(&b);
}

static void test_emit_long_key(void **state)
{
    (void)state;
    char key[2001];
    memset(key, 'k', 2000);
    key[2000] = '\0';
    rt_node *m = rt_node_new_map(NULL);
    rt_node *inner = rt_node_new_map(NULL);
    assert_int_equal(rt_node_map_set(inner, key, rt_node_new_scalar("v", NULL)), RATCHET_OK);
    assert_int_equal(rt_node_map_set(m, key, inner), RATCHET_OK);
    round_trip(m);
    rt_node_free(m);
}

static void test_round_trip_file(void **state)
{
    (void)state;
    rt_node *root = parse("logging:\n"
                          "  level: info\n"
                          "  weird: \"  spaced  \"\n"
                          "  nul: ~\n"
                          "  quoted_null: \"null\"\n"
                          "plugins:\n"
                          "  paths: [./build/plugins, \"/opt/x y\"]\n"
                          "instances:\n"
                          "  - name: console\n"
                          "    plugin: logger-console\n"
                          "    options: {level: debug, color: \"yes\", nested: [[1, 2], {a: {}}]}\n"
                          "  - name: \"file: log\"\n"
                          "    options:\n"
                          "      path: \"~/logs/#1.log\"\n"
                          "      text: |\n"
                          "        two\n"
                          "        lines\n");
    round_trip(root);
    rt_node_free(root);
}

static void test_emit_bad_args(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(rt_yaml_emit(NULL, &b), RATCHET_ERR);
    assert_null(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions), cmocka_unit_test(test_null_safe_accessors),
        cmocka_unit_test(test_scalar_styles),      cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_syntax_errors),      cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_refused_constructs), cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_size_limit),         cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_constructors),       cmocka_unit_test(test_emit_exact),
        cmocka_unit_test(test_emit_quoting),       cmocka_unit_test(test_emit_long_key),
        cmocka_unit_test(test_round_trip_file),    cmocka_unit_test(test_emit_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
