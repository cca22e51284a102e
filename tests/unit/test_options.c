/* tests/unit/test_options.c - option tables: validation messages, typed access, parsers,
 * table self-checks, describe/generate. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "options.h"

#define RT_STR2(x) #x
#define RT_STR(x)  RT_STR2(x)
#include "rt_yaml.h"

static const ratchet_option logger_opts[] = {
    RATCHET_OPT_ENUM("level", "trace|debug|info|warn|error", "info", "Lowest level written."),
    RATCHET_OPT("color", RATCHET_OPT_BOOL, "true", "Colour the output."),
    RATCHET_OPT_RANGE("max_files", RATCHET_OPT_INT, "5", 1, 100, "Rotated files kept."),
    RATCHET_OPT_RANGE("max_size", RATCHET_OPT_SIZE, "10MiB", 1024, INT64_C(1) << 30,
                      "Rotate after this size."),
    RATCHET_OPT_RANGE("flush", RATCHET_OPT_DURATION, "250ms", 0, 3600000, "Flush interval."),
    RATCHET_OPT("ratio", RATCHET_OPT_DOUBLE, "0.5", "A ratio."),
    RATCHET_OPT("prefix", RATCHET_OPT_STRING, NULL, "Line prefix."),
    RATCHET_OPT("dir", RATCHET_OPT_PATH, "logs", "Log directory."),
    RATCHET_OPT("headers", RATCHET_OPT_NODE, "{}", "Extra headers."),
    RATCHET_OPT_REQUIRED("path", RATCHET_OPT_PATH, "where to write the log"),
    RATCHET_OPT_END,
};

static const ratchet_option small_opts[] = {
    RATCHET_OPT_ENUM("level", "trace|debug|info|warn|error", "info", "Lowest level written."),
    RATCHET_OPT("color", RATCHET_OPT_BOOL, "true", "Colour the output."),
    RATCHET_OPT_END,
};

/* The tree of `text` (kept in *root for freeing) and its map under "options". */
static const rt_node *options_of(const char *text, rt_node **root)
{
    rt_error err;
    *root = rt_yaml_parse(text, strlen(text), "ratchet.yaml", &err);
    if (!*root)
        fail_msg("fixture does not parse: %s", err.msg);
    return rt_node_get(*root, "options");
}

/* Validating `text`'s options against `table` fails with exactly `expect`. */
static void fails(const ratchet_option *table, const char *text, const char *expect)
{
    rt_node *root;
    rt_error err;
    err.msg[0] = '\0';
    const rt_node *opts = options_of(text, &root);
    ratchet_config *cfg = rt_options_validate(table, opts, "instances[0].options", NULL, &err);
    rt_config_free(cfg);
    rt_node_free(root);
    if (cfg)
        fail_msg("accepted, expected: %s", expect);
    assert_string_equal(err.msg, expect);
}

static void test_defaults(void **state)
{
    (void)state;
    rt_error err;
    ratchet_config *cfg = rt_options_validate(small_opts, NULL, "logging", NULL, &err);
    assert_non_null(cfg);
    assert_string_equal(rt_cfg_string(cfg, "level"), "info");
    assert_int_equal(rt_cfg_bool(cfg, "color"), 1);
    assert_int_equal(rt_cfg_is_set(cfg, "level"), 0);
    rt_config_free(cfg);

    rt_node *root;
    const rt_node *opts = options_of("options:\n  path: out.log\n", &root);
    cfg = rt_options_validate(logger_opts, opts, "instances[0].options", "/etc/ratchet", &err);
    assert_non_null(cfg);
    assert_string_equal(rt_cfg_string(cfg, "level"), "info");
    assert_int_equal(rt_cfg_bool(cfg, "color"), 1);
    assert_int_equal(rt_cfg_int(cfg, "max_files"), 5);
    assert_int_equal(rt_cfg_int(cfg, "max_size"), 10 * 1024 * 1024);
    assert_int_equal(rt_cfg_int(cfg, "flush"), 250);
    assert_true(rt_cfg_double(cfg, "ratio") == 0.5);
    assert_null(rt_cfg_string(cfg, "prefix"));
    assert_string_equal(rt_cfg_string(cfg, "dir"), "/etc/ratchet/logs");
    assert_string_equal(rt_cfg_string(cfg, "path"), "/etc/ratchet/out.log");
    const ratchet_node *headers = rt_cfg_node(cfg, "headers");
    assert_int_equal(rt_node_kind(headers), RATCHET_NODE_MAP);
    assert_int_equal(rt_node_count(headers), 0);
    assert_int_equal(rt_cfg_is_set(cfg, "path"), 1);
    assert_int_equal(rt_cfg_is_set(cfg, "dir"), 0);
    rt_config_free(cfg);
    rt_node_free(root);
}

static void test_values(void **state)
{
    (void)state;
    rt_error err;
    rt_node *root;
    setenv("HOME", "/home/tester", 1);
    const rt_node *opts = options_of("options:\n"
                                     "  level: WARN\n"
                                     "  color: off\n"
                                     "  max_files: \"7\"\n"
                                     "  max_size: 512 KiB\n"
                                     "  flush: 1.5s\n"
                                     "  ratio: 2.25\n"
                                     "  prefix: \"\"\n"
                                     "  dir: ~/logs\n"
                                     "  path: /var/log/r.log\n"
                                     "  headers: {a: b}\n",
                                     &root);
    ratchet_config *cfg = rt_options_validate(logger_opts, opts, "o", "/etc", &err);
    assert_non_null(cfg);
    assert_string_equal(rt_cfg_string(cfg, "level"), "warn"); /* the table's spelling */
    assert_int_equal(rt_cfg_bool(cfg, "color"), 0);
    assert_int_equal(rt_cfg_int(cfg, "max_files"), 7);
    assert_string_equal(rt_cfg_string(cfg, "max_files"), "7");
    assert_int_equal(rt_cfg_int(cfg, "max_size"), 512 * 1024);
    assert_true(rt_cfg_double(cfg, "max_size") == 512.0 * 1024);
    assert_int_equal(rt_cfg_int(cfg, "flush"), 1500);
    assert_true(rt_cfg_double(cfg, "ratio") == 2.25);
    assert_string_equal(rt_cfg_string(cfg, "prefix"), "");
    assert_string_equal(rt_cfg_string(cfg, "dir"), "/home/tester/logs");
    assert_string_equal(rt_cfg_string(cfg, "path"), "/var/log/r.log");
    const ratchet_node *h = rt_cfg_node(cfg, "headers");
    assert_string_equal(rt_node_scalar(rt_node_get(h, "a")), "b");
    assert_ptr_equal(h, rt_node_get(opts, "headers")); /* borrowed, not copied */
    assert_string_equal(rt_node_where(rt_cfg_node(cfg, "level")), "ratchet.yaml:2:10");
    for (const char *n = "level"; n; n = NULL)
        assert_int_equal(rt_cfg_is_set(cfg, n), 1);
    /* Undeclared names and NULL configs give nothing. */
    assert_null(rt_cfg_string(cfg, "nope"));
    assert_int_equal(rt_cfg_int(cfg, "nope"), 0);
    assert_true(rt_cfg_double(cfg, "nope") == 0.0);
    assert_int_equal(rt_cfg_bool(cfg, "nope"), 0);
    assert_null(rt_cfg_node(cfg, "nope"));
    assert_int_equal(rt_cfg_is_set(cfg, "nope"), 0);
    assert_null(rt_cfg_string(NULL, "level"));
    assert_int_equal(rt_cfg_int(cfg, NULL), 0);
    rt_config_free(cfg);
    rt_node_free(root);
    rt_config_free(NULL);
}

static void test_null_values_are_unset(void **state)
{
    (void)state;
    rt_error err;
    rt_node *root;
    const rt_node *opts =
        options_of("options:\n  level: ~\n  color:\n  path: x\n  prefix: null\n", &root);
    ratchet_config *cfg = rt_options_validate(logger_opts, opts, "o", NULL, &err);
    assert_non_null(cfg);
    assert_string_equal(rt_cfg_string(cfg, "level"), "info");
    assert_int_equal(rt_cfg_is_set(cfg, "level"), 0);
    assert_int_equal(rt_cfg_bool(cfg, "color"), 1);
    assert_null(rt_cfg_string(cfg, "prefix"));
    assert_string_equal(rt_cfg_string(cfg, "path"), "x"); /* no basedir: stays relative */
    rt_config_free(cfg);
    rt_node_free(root);
    /* Quoted, "null" is a string. */
    opts = options_of("options:\n  prefix: \"null\"\n", &root);
    cfg = rt_options_validate(small_opts, opts, "o", NULL, &err);
    assert_null(cfg);
    assert_string_equal(err.msg, "ratchet.yaml:2:3: o.prefix: unknown option 'prefix' "
                                 "(accepted: level, color)");
    rt_node_free(root);
    /* A plain null map is "no options". */
    opts = options_of("options:\n", &root);
    cfg = rt_options_validate(small_opts, opts, "o", NULL, &err);
    assert_non_null(cfg);
    rt_config_free(cfg);
    rt_node_free(root);
}

static void test_unknown_option(void **state)
{
    (void)state;
    fails(small_opts, "options:\n  color: true\n  levl: debug\n",
          "ratchet.yaml:3:3: instances[0].options.levl: unknown option 'levl' (did you mean "
          "'level'? accepted: level, color)");
    fails(small_opts, "options:\n  Color: true\n",
          "ratchet.yaml:2:3: instances[0].options.Color: unknown option 'Color' (did you mean "
          "'color'? accepted: level, color)");
    fails(small_opts, "options:\n  size: 5\n",
          "ratchet.yaml:2:3: instances[0].options.size: unknown option 'size' (accepted: level, "
          "color)");
    static const ratchet_option none[] = {RATCHET_OPT_END};
    fails(none, "options:\n  x: 1\n",
          "ratchet.yaml:2:3: instances[0].options.x: unknown option 'x' (no options are accepted "
          "here)");
    /* An empty key path names the key alone. */
    rt_node *root;
    rt_error err;
    const rt_node *opts = options_of("options:\n  colr: 1\n", &root);
    assert_null(rt_options_validate(small_opts, opts, "", NULL, &err));
    assert_string_equal(err.msg, "ratchet.yaml:2:3: colr: unknown option 'colr' (did you mean "
                                 "'color'? accepted: level, color)");
    rt_node_free(root);
}

static void test_wrong_types(void **state)
{
    (void)state;
    fails(logger_opts, "options:\n  path: x\n  max_files: five\n",
          "ratchet.yaml:3:14: instances[0].options.max_files: expected an integer, got 'five'");
    fails(logger_opts, "options:\n  path: x\n  level: loud\n",
          "ratchet.yaml:3:10: instances[0].options.level: expected one of "
          "trace|debug|info|warn|error, got 'loud'");
    fails(logger_opts, "options:\n  path: x\n  color: maybe\n",
          "ratchet.yaml:3:10: instances[0].options.color: expected true or false, got 'maybe'");
    fails(logger_opts, "options:\n  path: x\n  max_size: 10 parsecs\n",
          "ratchet.yaml:3:13: instances[0].options.max_size: expected a size such as 10MiB, got "
          "'10 parsecs'");
    fails(logger_opts, "options:\n  path: x\n  flush: soon\n",
          "ratchet.yaml:3:10: instances[0].options.flush: expected a duration such as 30s or "
          "250ms, got 'soon'");
    fails(logger_opts, "options:\n  path: x\n  ratio: half\n",
          "ratchet.yaml:3:10: instances[0].options.ratio: expected a number, got 'half'");
    fails(logger_opts, "options:\n  path: x\n  max_files: 99999999999999999999\n",
          "ratchet.yaml:3:14: instances[0].options.max_files: expected an integer between "
          "-9223372036854775808 and 9223372036854775807, got '99999999999999999999'");
    fails(logger_opts, "options:\n  path: x\n  level:\n    a: 1\n",
          "ratchet.yaml:4:5: instances[0].options.level: expected a scalar, got a mapping");
    fails(logger_opts, "options:\n  path: [a, b]\n",
          "ratchet.yaml:2:9: instances[0].options.path: expected a scalar, got a list");
    fails(logger_opts, "options:\n  path: \"\"\n",
          "ratchet.yaml:2:9: instances[0].options.path: expected a path, got ''");
    fails(logger_opts, "options:\n  path: ~bob/x\n",
          "ratchet.yaml:2:9: instances[0].options.path: only '~/' is expanded, not '~name/'; "
          "write the full path");
    char long_text[200];
    memset(long_text, 'x', sizeof long_text);
    snprintf(long_text, sizeof long_text, "options:\n  path: x\n  max_files: %0120d\n", 1);
    long_text[32] = 'z'; /* junk first, so the message is about form, not overflow */
    fails(logger_opts, long_text,
          "ratchet.yaml:3:14: instances[0].options.max_files: expected an integer, got "
          "'z0000000000000000000000000000000000000000000000000000000...'");
}

static void test_home_unset(void **state)
{
    (void)state;
    char *saved = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    unsetenv("HOME");
    fails(logger_opts, "options:\n  path: ~/x\n",
          "ratchet.yaml:2:9: instances[0].options.path: cannot expand '~': HOME is not set");
    if (saved) {
        setenv("HOME", saved, 1);
        free(saved);
    }
}

static void test_ranges(void **state)
{
    (void)state;
    fails(logger_opts, "options:\n  path: x\n  max_files: 500\n",
          "ratchet.yaml:3:14: instances[0].options.max_files: must be between 1 and 100, got 500");
    fails(logger_opts, "options:\n  path: x\n  max_files: 0\n",
          "ratchet.yaml:3:14: instances[0].options.max_files: must be between 1 and 100, got 0");
    fails(logger_opts, "options:\n  path: x\n  max_size: 2GiB\n",
          "ratchet.yaml:3:13: instances[0].options.max_size: must be between 1KiB and 1GiB, got "
          "2GiB");
    fails(logger_opts, "options:\n  path: x\n  max_size: 1000\n",
          "ratchet.yaml:3:13: instances[0].options.max_size: must be between 1KiB and 1GiB, got "
          "1000B");
    fails(logger_opts, "options:\n  path: x\n  flush: 90m\n",
          "ratchet.yaml:3:10: instances[0].options.flush: must be between 0s and 1h, got 90m");
    /* Bounds are inclusive. */
    rt_node *root;
    rt_error err;
    const rt_node *opts = options_of("options:\n  path: x\n  max_files: 100\n  flush: 1h\n", &root);
    ratchet_config *cfg = rt_options_validate(logger_opts, opts, "o", NULL, &err);
    assert_non_null(cfg);
    assert_int_equal(rt_cfg_int(cfg, "max_files"), 100);
    assert_int_equal(rt_cfg_int(cfg, "flush"), 3600000);
    rt_config_free(cfg);
    rt_node_free(root);
}

static void test_not_a_map(void **state)
{
    (void)state;
    fails(logger_opts, "options: [a]\n",
          "ratchet.yaml:1:10: instances[0].options: expected a mapping, got a list");
    fails(logger_opts, "options: abc\n",
          "ratchet.yaml:1:10: instances[0].options: expected a mapping, got 'abc'");
}

static void test_missing_required(void **state)
{
    (void)state;
    fails(logger_opts, "options:\n  level: info\n",
          "ratchet.yaml:2:3: instances[0].options: missing required option 'path' (path: where "
          "to write the log)");
    /* `path:` with no value is as good as absent; the message points at the map. */
    fails(logger_opts, "options:\n  level: info\n  path:\n",
          "ratchet.yaml:2:3: instances[0].options: missing required option 'path' (path: where "
          "to write the log)");
    rt_error err;
    assert_null(rt_options_validate(logger_opts, NULL, "instances[0].options", NULL, &err));
    assert_string_equal(err.msg, "instances[0].options: missing required option 'path' (path: "
                                 "where to write the log)");
    assert_null(rt_options_validate_at(logger_opts, NULL, "instances[0].options", NULL,
                                       "ratchet.yaml:4:5", &err));
    assert_string_equal(err.msg, "ratchet.yaml:4:5: instances[0].options: missing required "
                                 "option 'path' (path: where to write the log)");
    /* A plain null map uses its own place. */
    rt_node *root;
    const rt_node *opts = options_of("x: 1\noptions: ~\n", &root);
    assert_null(rt_options_validate_at(logger_opts, opts, "o", NULL, "elsewhere", &err));
    assert_string_equal(err.msg, "ratchet.yaml:2:10: o: missing required option 'path' (path: "
                                 "where to write the log)");
    rt_node_free(root);
}

static void check_int(const char *s, int64_t expect)
{
    int64_t v = -42;
    rt_error err;
    if (rt_parse_int(s, &v, &err) != RATCHET_OK)
        fail_msg("'%s' refused: %s", s, err.msg);
    assert_int_equal(v, expect);
}

static void check_size(const char *s, int64_t expect)
{
    int64_t v = -42;
    rt_error err;
    if (rt_parse_size(s, &v, &err) != RATCHET_OK)
        fail_msg("'%s' refused: %s", s, err.msg);
    assert_int_equal(v, expect);
}

static void check_ms(const char *s, int64_t expect)
{
    int64_t v = -42;
    rt_error err;
    if (rt_parse_duration_ms(s, &v, &err) != RATCHET_OK)
        fail_msg("'%s' refused: %s", s, err.msg);
    assert_int_equal(v, expect);
}

typedef ratchet_status (*parse_fn)(const char *, int64_t *, rt_error *);

static void check_bad(parse_fn fn, const char *s, const char *expect)
{
    int64_t v = -42;
    rt_error err;
    err.msg[0] = '\0';
    if (fn(s, &v, &err) == RATCHET_OK)
        fail_msg("'%s' accepted as %lld", s ? s : "(null)", (long long)v);
    assert_int_equal(v, -42); /* untouched on failure */
    assert_string_equal(err.msg, expect);
}

static void test_parse_int(void **state)
{
    (void)state;
    const char *e = "an integer";
    const char *range = "an integer between -9223372036854775808 and 9223372036854775807";
    check_int("0", 0);
    check_int("+5", 5);
    check_int("-5", -5);
    check_int(" 7 ", 7);
    check_int("9223372036854775807", INT64_MAX);
    check_int("-9223372036854775808", INT64_MIN);
    check_bad(rt_parse_int, "9223372036854775808", range);
    check_bad(rt_parse_int, "-9223372036854775809", range);
    check_bad(rt_parse_int, "99999999999999999999999999", range);
    check_bad(rt_parse_int, "", e);
    check_bad(rt_parse_int, "-", e);
    check_bad(rt_parse_int, "1.0", e);
    check_bad(rt_parse_int, "1e3", e);
    check_bad(rt_parse_int, "12abc", e);
    check_bad(rt_parse_int, "0x10", e);
    check_bad(rt_parse_int, "1 2", e);
    check_bad(rt_parse_int, "99999999999999999999x", e);
    check_bad(rt_parse_int, NULL, e);
}

static void test_parse_bool(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "ON"};
    static const char *const no[] = {"false", "False", "no", "NO", "off", "Off"};
    int v;
    rt_error err;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        v = -1;
        assert_int_equal(rt_parse_bool(yes[i], &v, &err), RATCHET_OK);
        assert_int_equal(v, 1);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        v = -1;
        assert_int_equal(rt_parse_bool(no[i], &v, &err), RATCHET_OK);
        assert_int_equal(v, 0);
    }
    static const char *const bad[] = {"", "1", "0", "y", "n", "truee", "t", "enabled"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(rt_parse_bool(bad[i], &v, &err), RATCHET_ERR);
        assert_string_equal(err.msg, "true or false");
    }
}

static void test_parse_size(void **state)
{
    (void)state;
    const char *e = "a size such as 10MiB";
    const char *big = "a size below 8EiB";
    check_size("0", 0);
    check_size("1048576", 1048576);
    check_size("512B", 512);
    check_size("1k", 1024);
    check_size("1K", 1024);
    check_size("1KB", 1024);
    check_size("1KiB", 1024);
    check_size("10 MiB", 10 * 1024 * 1024);
    check_size("10mb", 10 * 1024 * 1024);
    check_size("2G", INT64_C(2) << 30);
    check_size("3GiB", INT64_C(3) << 30);
    check_size("1TiB", INT64_C(1) << 40);
    check_size("8589934591GiB", (INT64_C(8589934591) << 30));
    check_size("9223372036854775807", INT64_MAX);
    check_bad(rt_parse_size, "8589934592GiB", big);
    check_bad(rt_parse_size, "9223372036854775808", big);
    check_bad(rt_parse_size, "99999999999999999999999999MiB", big);
    check_bad(rt_parse_size, "9007199254740992K", big);
    check_bad(rt_parse_size, "", e);
    check_bad(rt_parse_size, "MiB", e);
    check_bad(rt_parse_size, "-1", e);
    check_bad(rt_parse_size, "1.5GiB", e);
    check_bad(rt_parse_size, "10MiBs", e);
    check_bad(rt_parse_size, "10 M iB", e);
    check_bad(rt_parse_size, "10Mi", e);
    check_bad(rt_parse_size, "10 parsecs", e);
    check_bad(rt_parse_size, "99999999999999999999999999x", e);
    check_bad(rt_parse_size, NULL, e);
}

static void test_parse_duration(void **state)
{
    (void)state;
    const char *e = "a duration such as 30s or 250ms";
    const char *big = "a duration below 292 million years";
    check_ms("250ms", 250);
    check_ms("30s", 30000);
    check_ms("30", 30000);
    check_ms("0", 0);
    check_ms("1.5s", 1500);
    check_ms("1.5", 1500);
    check_ms("5m", 300000);
    check_ms("2h", 7200000);
    check_ms("0.25h", 900000);
    check_ms("5 s", 5000);
    check_ms("0.5ms", 1); /* rounds half up */
    check_ms("0.4ms", 0);
    check_ms("1.0005s", 1001);
    check_ms("1.0004999999999s", 1000);
    check_ms("9223372036854775807ms", INT64_MAX);
    check_ms("2562047788015h", INT64_C(2562047788015) * 3600000);
    check_bad(rt_parse_duration_ms, "2562047788016h", big);
    check_bad(rt_parse_duration_ms, "9223372036854775808ms", big);
    check_bad(rt_parse_duration_ms, "9223372036854775807.9ms", big);
    check_bad(rt_parse_duration_ms, "99999999999999999999999s", big);
    check_bad(rt_parse_duration_ms, "", e);
    check_bad(rt_parse_duration_ms, "soon", e);
    check_bad(rt_parse_duration_ms, "1.", e);
    check_bad(rt_parse_duration_ms, ".5s", e);
    check_bad(rt_parse_duration_ms, "-1s", e);
    check_bad(rt_parse_duration_ms, "5sec", e);
    check_bad(rt_parse_duration_ms, "1h30m", e);
    check_bad(rt_parse_duration_ms, "5d", e);
    check_bad(rt_parse_duration_ms, "1.2.3s", e);
    check_bad(rt_parse_duration_ms, NULL, e);
}

static void test_type_names_and_formats(void **state)
{
    (void)state;
    assert_string_equal(rt_option_type_name(RATCHET_OPT_STRING), "string");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_INT), "integer");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_DOUBLE), "number");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_BOOL), "boolean");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_ENUM), "enum");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_SIZE), "size");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_DURATION), "duration");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_PATH), "path");
    assert_string_equal(rt_option_type_name(RATCHET_OPT_NODE), "yaml");
    assert_string_equal(rt_option_type_name((ratchet_option_type)99), "unknown");
    char b[32];
    rt_format_size(0, b, sizeof b);
    assert_string_equal(b, "0B");
    rt_format_size(1536, b, sizeof b);
    assert_string_equal(b, "1536B");
    rt_format_size(10 * 1024 * 1024, b, sizeof b);
    assert_string_equal(b, "10MiB");
    rt_format_duration_ms(0, b, sizeof b);
    assert_string_equal(b, "0s");
    rt_format_duration_ms(1500, b, sizeof b);
    assert_string_equal(b, "1500ms");
    rt_format_duration_ms(90000, b, sizeof b);
    assert_string_equal(b, "90s");
    rt_format_duration_ms(300000, b, sizeof b);
    assert_string_equal(b, "5m");
}

static void table_fails(const ratchet_option *table, const char *expect)
{
    rt_error err;
    err.msg[0] = '\0';
    assert_int_equal(rt_options_check_table(table, &err), RATCHET_ERR);
    assert_string_equal(err.msg, expect);
}

static void test_check_table(void **state)
{
    (void)state;
    rt_error err;
    assert_int_equal(rt_options_check_table(logger_opts, &err), RATCHET_OK);
    assert_int_equal(rt_options_check_table(NULL, &err), RATCHET_OK);
    const ratchet_option upper[] = {RATCHET_OPT("Level", RATCHET_OPT_STRING, NULL, "x"),
                                    RATCHET_OPT_END};
    table_fails(upper, "option 'Level': names are 1 to 64 characters of [a-z0-9_]");
    const ratchet_option dash[] = {RATCHET_OPT("a-b", RATCHET_OPT_STRING, NULL, "x"),
                                   RATCHET_OPT_END};
    table_fails(dash, "option 'a-b': names are 1 to 64 characters of [a-z0-9_]");
    const ratchet_option empty[] = {RATCHET_OPT("", RATCHET_OPT_STRING, NULL, "x"),
                                    RATCHET_OPT_END};
    table_fails(empty, "option '': names are 1 to 64 characters of [a-z0-9_]");
    const ratchet_option twice[] = {RATCHET_OPT("a", RATCHET_OPT_STRING, NULL, "x"),
                                    RATCHET_OPT("a", RATCHET_OPT_INT, NULL, "y"), RATCHET_OPT_END};
    table_fails(twice, "option 'a' is declared twice");
    const ratchet_option nochoice[] = {RATCHET_OPT_ENUM("e", NULL, NULL, "x"), RATCHET_OPT_END};
    table_fails(nochoice, "option 'e': an enum needs choices (\"a|b|c\")");
    const ratchet_option emptychoice[] = {RATCHET_OPT_ENUM("e", "a||b", NULL, "x"),
                                          RATCHET_OPT_END};
    table_fails(emptychoice, "option 'e': empty choice in 'a||b'");
    const ratchet_option dupchoice[] = {RATCHET_OPT_ENUM("e", "a|b|A", NULL, "x"), RATCHET_OPT_END};
    table_fails(dupchoice, "option 'e': choice 'a' is listed twice");
    const ratchet_option baddef[] = {RATCHET_OPT_ENUM("e", "a|b", "c", "x"), RATCHET_OPT_END};
    table_fails(baddef, "option 'e': default 'c' is invalid: expected one of a|b, got 'c'");
    const ratchet_option badint[] = {RATCHET_OPT("n", RATCHET_OPT_INT, "lots", "x"),
                                     RATCHET_OPT_END};
    table_fails(badint, "option 'n': default 'lots' is invalid: expected an integer, got 'lots'");
    const ratchet_option outside[] = {RATCHET_OPT_RANGE("n", RATCHET_OPT_INT, "0", 1, 10, "x"),
                                      RATCHET_OPT_END};
    table_fails(outside, "option 'n': default '0' is invalid: must be between 1 and 10, got 0");
    const ratchet_option badnode[] = {RATCHET_OPT("n", RATCHET_OPT_NODE, "[1", "x"),
                                      RATCHET_OPT_END};
    table_fails(badnode, "option 'n': default '[1' is invalid: default:2:1: did not find "
                         "expected ',' or ']' (while parsing a flow sequence at line 1, column 1)");
    ratchet_option badtype[] = {RATCHET_OPT("t", RATCHET_OPT_STRING, NULL, "x"), RATCHET_OPT_END};
    badtype[0].type = (ratchet_option_type)42;
    table_fails(badtype, "option 't': unknown type 42");
    ratchet_option badsize[] = {RATCHET_OPT("t", RATCHET_OPT_STRING, NULL, "x"), RATCHET_OPT_END};
    badsize[0].abi.struct_size = 0;
    char msg[200];
    snprintf(msg, sizeof msg,
             "option table entries declare 0 bytes, expected at least %zu (build them with "
             "RATCHET_OPT*)",
             sizeof(ratchet_option));
    table_fails(badsize, msg);
    /* validate refuses such a table too rather than looping on it. */
    assert_null(rt_options_validate(badsize, NULL, "o", NULL, &err));
    assert_string_equal(err.msg, msg);
    ratchet_option mixed[] = {RATCHET_OPT("t", RATCHET_OPT_STRING, NULL, "x"), RATCHET_OPT_END};
    mixed[1].abi.struct_size = 8;
    table_fails(mixed, "option table entry 2 declares a different size");
    ratchet_option major[] = {RATCHET_OPT("t", RATCHET_OPT_STRING, NULL, "x"), RATCHET_OPT_END};
    major[0].abi.abi_major = 2;
    table_fails(major, "option table built for ABI 2." RT_STR(
                           RATCHET_ABI_MINOR) ", host has 1." RT_STR(RATCHET_ABI_MINOR));
}

static void test_describe(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(rt_options_describe(small_opts, &b), RATCHET_OK);
    assert_string_equal(b.data, "level   enum (trace|debug|info|warn|error), default: info\n"
                                "        Lowest level written.\n"
                                "color   boolean, default: true\n"
                                "        Colour the output.\n");
    b.len = 0;
    assert_int_equal(rt_options_describe(logger_opts, &b), RATCHET_OK);
    assert_string_equal(b.data, "level       enum (trace|debug|info|warn|error), default: info\n"
                                "            Lowest level written.\n"
                                "color       boolean, default: true\n"
                                "            Colour the output.\n"
                                "max_files   integer (1..100), default: 5\n"
                                "            Rotated files kept.\n"
                                "max_size    size (1KiB..1GiB), default: 10MiB\n"
                                "            Rotate after this size.\n"
                                "flush       duration (0s..1h), default: 250ms\n"
                                "            Flush interval.\n"
                                "ratio       number, default: 0.5\n"
                                "            A ratio.\n"
                                "prefix      string\n"
                                "            Line prefix.\n"
                                "dir         path, default: logs\n"
                                "            Log directory.\n"
                                "headers     yaml, default: {}\n"
                                "            Extra headers.\n"
                                "path        path, required\n"
                                "            where to write the log\n");
    b.len = 0;
    static const ratchet_option none[] = {RATCHET_OPT_END};
    assert_int_equal(rt_options_describe(none, &b), RATCHET_OK);
    assert_string_equal(b.data, "(no options)\n");
    rt_buf_free(&b);
}

static void test_generate(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, "options:\n");
    assert_int_equal(rt_options_generate(logger_opts, 2, &b), RATCHET_OK);
    assert_string_equal(b.data, "options:\n"
                                "  # Lowest level written. (one of trace|debug|info|warn|error)\n"
                                "  level: info\n"
                                "  # Colour the output. (boolean)\n"
                                "  color: true\n"
                                "  # Rotated files kept. (integer 1..100)\n"
                                "  max_files: 5\n"
                                "  # Rotate after this size. (size 1KiB..1GiB)\n"
                                "  max_size: 10MiB\n"
                                "  # Flush interval. (duration 0s..1h)\n"
                                "  flush: 250ms\n"
                                "  # A ratio. (number)\n"
                                "  ratio: 0.5\n"
                                "  # Line prefix. (string)\n"
                                "  # prefix: <string>\n"
                                "  # Log directory. (path)\n"
                                "  dir: logs\n"
                                "  # Extra headers. (yaml)\n"
                                "  headers: {}\n"
                                "  # where to write the log (path, required)\n"
                                "  # path: <path>\n");
    /* What it generates is valid YAML holding the defaults. */
    rt_error err;
    rt_node *root = rt_yaml_parse(b.data, b.len, "generated", &err);
    assert_non_null(root);
    assert_int_equal(rt_node_count(rt_node_get(root, "options")), 8);
    rt_node_map_set((rt_node *)rt_node_get(root, "options"), "path", rt_node_new_scalar("p", NULL));
    ratchet_config *cfg =
        rt_options_validate(logger_opts, rt_node_get(root, "options"), "options", NULL, &err);
    assert_non_null(cfg);
    assert_int_equal(rt_cfg_int(cfg, "max_size"), 10 * 1024 * 1024);
    rt_config_free(cfg);
    rt_node_free(root);

    /* Nested NODE defaults, quoting of string defaults, docs with line breaks. */
    static const ratchet_option odd[] = {
        RATCHET_OPT("hosts", RATCHET_OPT_NODE, "[a, {b: 1}]", "Hosts\nto use."),
        RATCHET_OPT("sep", RATCHET_OPT_STRING, ": ", NULL),
        RATCHET_OPT("word", RATCHET_OPT_STRING, "yes", "A word."),
        RATCHET_OPT("empty", RATCHET_OPT_STRING, "", "Empty."),
        RATCHET_OPT_END,
    };
    b.len = 0;
    rt_buf_puts(&b, "top:\n");
    assert_int_equal(rt_options_generate(odd, 4, &b), RATCHET_OK);
    assert_string_equal(b.data, "top:\n"
                                "    # Hosts to use. (yaml)\n"
                                "    hosts:\n"
                                "      - a\n"
                                "      - b: 1\n"
                                "    # (string)\n"
                                "    sep: \": \"\n"
                                "    # A word. (string)\n"
                                "    word: \"yes\"\n"
                                "    # Empty. (string)\n"
                                "    empty: \"\"\n");
    root = rt_yaml_parse(b.data, b.len, "generated", &err);
    assert_non_null(root);
    cfg = rt_options_validate(odd, rt_node_get(root, "top"), "top", NULL, &err);
    assert_non_null(cfg);
    assert_string_equal(rt_cfg_string(cfg, "sep"), ": ");
    assert_string_equal(rt_cfg_string(cfg, "word"), "yes");
    assert_string_equal(rt_cfg_string(cfg, "empty"), "");
    assert_int_equal(rt_node_count(rt_cfg_node(cfg, "hosts")), 2);
    rt_config_free(cfg);
    rt_node_free(root);
    rt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_null_values_are_unset),
        cmocka_unit_test(test_unknown_option),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_home_unset),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_not_a_map),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_type_names_and_formats),
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
