/*
 * tests/unit/test_schema.c - the JSON Schema validator case by case: messages and pointers,
 * unusable schemas and their messages, "$ref" resolution (including what later versions of the
 * official suite test), numbers, Unicode lengths, the regex translation, the depth bound and
 * loops. The official suite itself runs in test_schema_suite.c.
 */
#include <locale.h>
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

#define MAX_LINES 128

typedef struct errs {
    char line[MAX_LINES][512];
    size_t n;
} errs;

static void collect(void *data, const char *pointer, const char *keyword, const char *message)
{
    errs *e = data;
    if (e->n < MAX_LINES)
        snprintf(e->line[e->n], sizeof e->line[0], "%s: %s: %s", rt_schema_pointer_display(pointer),
                 keyword, message);
    e->n++;
}

static struct json_object *parse(const char *text)
{
    struct json_tokener *tok = json_tokener_new_ex(1000);
    struct json_object *v = json_tokener_parse_ex(tok, text, (int)strlen(text));
    if (!v && json_tokener_get_error(tok) == json_tokener_continue)
        v = json_tokener_parse_ex(tok, "", 1);
    if (json_tokener_get_error(tok) != json_tokener_success)
        fail_msg("test JSON does not parse: %s", text);
    json_tokener_free(tok);
    return v;
}

static rt_schema *compile(const char *schema, rt_error *err)
{
    struct json_object *doc = parse(schema);
    rt_schema *s = rt_schema_compile(doc, NULL, NULL, NULL, err);
    json_object_put(doc); /* the compiled schema holds its own reference */
    return s;
}

/* Validate and collect the messages; also checks that the quick mode agrees. */
static size_t run(const char *schema, const char *instance, errs *e)
{
    rt_error err;
    rt_schema *s = compile(schema, &err);
    if (!s)
        fail_msg("schema %s refused: %s", schema, err.msg);
    struct json_object *inst = parse(instance);
    memset(e, 0, sizeof *e);
    size_t n = rt_schema_validate(s, inst, collect, e);
    assert_int_equal(n, e->n);
    assert_int_equal(rt_schema_validate(s, inst, NULL, NULL), n ? 1 : 0);
    json_object_put(inst);
    rt_schema_free(s);
    return n;
}

static void valid(const char *schema, const char *instance)
{
    errs e;
    if (run(schema, instance, &e) != 0)
        fail_msg("%s against %s: expected valid, got \"%s\"", instance, schema, e.line[0]);
}

static void invalid(const char *schema, const char *instance)
{
    errs e;
    if (run(schema, instance, &e) == 0)
        fail_msg("%s against %s: expected invalid", instance, schema);
}

/* Exactly one error, with this text. */
static void error_is(const char *schema, const char *instance, const char *expected)
{
    errs e;
    size_t n = run(schema, instance, &e);
    if (n != 1 || strcmp(e.line[0], expected) != 0)
        fail_msg("%s against %s: expected one error \"%s\", got %zu: \"%s\"", instance, schema,
                 expected, n, n ? e.line[0] : "");
}

static void refused(const char *schema, const char *expected_part)
{
    rt_error err;
    rt_schema *s = compile(schema, &err);
    if (s) {
        rt_schema_free(s);
        fail_msg("schema %s: expected it refused (%s)", schema, expected_part);
    }
    if (!strstr(err.msg, expected_part))
        fail_msg("schema %s: message \"%s\" lacks \"%s\"", schema, err.msg, expected_part);
}

static void test_messages_and_pointers(void **state)
{
    (void)state;
    const char *order = "{\"properties\":{\"items\":{\"items\":{\"properties\":{\"price\":"
                        "{\"minimum\":5}}}}}}";
    error_is(order, "{\"items\":[{\"price\":5},{\"price\":9},{\"price\":3}]}",
             "/items/2/price: minimum: 3 is less than the minimum of 5");
    error_is("{\"type\":\"string\"}", "12", "(root): type: 12 is not of type string");
    error_is("{\"type\":[\"string\",\"null\",\"array\"]}", "1.5",
             "(root): type: 1.5 is not of type string, null or array");
    error_is("{\"properties\":{\"a/b~c\":{\"type\":\"integer\"}}}", "{\"a/b~c\":\"x\"}",
             "/a~1b~0c: type: \"x\" is not of type integer");
    error_is("{\"enum\":[1,\"a\"]}", "2", "(root): enum: 2 is not one of [1,\"a\"]");
    error_is("{\"const\":{\"a\":1}}", "{\"a\":2}",
             "(root): const: {\"a\":2} is not equal to the constant {\"a\":1}");
    error_is("{\"multipleOf\":2}", "7", "(root): multipleOf: 7 is not a multiple of 2");
    error_is("{\"maximum\":3.5}", "4", "(root): maximum: 4 is greater than the maximum of 3.5");
    error_is("{\"exclusiveMaximum\":3}", "3",
             "(root): exclusiveMaximum: 3 is not less than the exclusive maximum of 3");
    error_is("{\"exclusiveMinimum\":3}", "3",
             "(root): exclusiveMinimum: 3 is not greater than the exclusive minimum of 3");
    error_is("{\"maxLength\":2}", "\"abc\"",
             "(root): maxLength: \"abc\" is longer than 2 characters");
    error_is("{\"minLength\":1}", "\"\"", "(root): minLength: \"\" is shorter than 1 character");
    error_is("{\"pattern\":\"^\\\\d+$\"}", "\"12a\"",
             "(root): pattern: \"12a\" does not match the pattern \"^\\\\d+$\"");
    error_is("{\"format\":\"date\"}", "\"2021-02-29\"",
             "(root): format: \"2021-02-29\" is not a valid date");
    error_is("{\"maxItems\":1}", "[1,2]",
             "(root): maxItems: array has 2 items, more than the maximum of 1");
    error_is("{\"minItems\":2}", "[1]",
             "(root): minItems: array has 1 item, fewer than the minimum of 2");
    error_is("{\"uniqueItems\":true}", "[1,2,1.0]", "(root): uniqueItems: items 0 and 2 are equal");
    error_is("{\"items\":[{},{}],\"additionalItems\":false}", "[1,2,3]",
             "(root): additionalItems: array has 3 items, but only the first 2 are allowed "
             "(additionalItems is false)");
    error_is("{\"items\":false}", "[1]",
             "/0: items: value is not allowed here (the schema is false)");
    error_is("{\"contains\":{\"type\":\"string\"}}", "[1]",
             "(root): contains: no item matches the contains schema");
    error_is("{\"maxProperties\":1}", "{\"a\":1,\"b\":2}",
             "(root): maxProperties: object has 2 properties, more than the maximum of 1");
    error_is("{\"required\":[\"name\"]}", "{}",
             "(root): required: required property \"name\" is missing");
    error_is("{\"dependencies\":{\"a\":[\"b\"]}}", "{\"a\":1}",
             "(root): dependencies: property \"b\" is required when \"a\" is present");
    error_is("{\"propertyNames\":{\"maxLength\":2}}", "{\"abc\":1}",
             "(root): propertyNames: property name \"abc\" is not allowed (maxLength: \"abc\" is "
             "longer than 2 characters)");
    error_is("{\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"a\":1,\"b\":2}",
             "(root): additionalProperties: property \"b\" is not allowed");
    error_is("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}", "1",
             "(root): anyOf: value matches none of the 2 schemas in anyOf");
    error_is("{\"oneOf\":[{\"minimum\":1},{\"maximum\":5}]}", "3",
             "(root): oneOf: value matches schemas 0 and 1 in oneOf, but must match exactly one");
    error_is("{\"not\":{\"type\":\"integer\"}}", "1",
             "(root): not: value must not match the schema in not");
    error_is("{\"if\":{\"minimum\":0},\"then\":{\"multipleOf\":2},\"else\":{\"minimum\":-5}}", "-7",
             "(root): minimum: -7 is less than the minimum of -5");
    error_is("false", "1", "(root): false: value is not allowed here (the schema is false)");
    error_is("{\"properties\":{\"a\":false}}", "{\"a\":1}",
             "/a: properties: value is not allowed here (the schema is false)");
    error_is("{\"contentMediaType\":\"application/json\"}", "\"{\"",
             "(root): contentMediaType: the content of \"{\" is not valid application/json");
}

/* Reporting mode goes on past the first error, in document order; allOf passes its
 * subschemas' errors through. */
static void test_several_errors(void **state)
{
    (void)state;
    errs e;
    size_t n = run("{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"allOf\":[{\"properties\":"
                   "{\"c\":{\"type\":\"string\"}}}]}",
                   "{\"c\":1}", &e);
    assert_int_equal(n, 3);
    assert_string_equal(e.line[0], "(root): required: required property \"a\" is missing");
    assert_string_equal(e.line[1], "(root): required: required property \"b\" is missing");
    assert_string_equal(e.line[2], "/c: type: 1 is not of type string");
}

static void test_error_cap(void **state)
{
    (void)state;
    char *inst = malloc(150 * 2 + 3);
    assert_non_null(inst);
    char *p = inst;
    *p++ = '[';
    for (int i = 0; i < 150; i++) {
        *p++ = i ? ',' : ' ';
        *p++ = '1';
    }
    *p++ = ']';
    *p = '\0';
    errs e;
    assert_int_equal(run("{\"items\":{\"type\":\"string\"}}", inst, &e), RT_SCHEMA_MAX_ERRORS);
    assert_string_equal(e.line[99], "/99: type: 1 is not of type string");
    free(inst);
}

static void test_numbers(void **state)
{
    (void)state;
    valid("{\"type\":\"integer\"}", "1.0");
    valid("{\"type\":\"integer\"}", "-0.0");
    invalid("{\"type\":\"integer\"}", "1.5");
    valid("{\"type\":\"integer\"}", "18446744073709551615");
    valid("{\"maximum\":18446744073709551615}", "18446744073709551600");
    invalid("{\"maximum\":9223372036854775807}", "9223372036854775808");
    valid("{\"minimum\":-9223372036854775808}", "-9223372036854775808");
    valid("{\"enum\":[1]}", "1.0");
    invalid("{\"enum\":[1]}", "true");
    invalid("{\"const\":false}", "0");
    valid("{\"const\":9007199254740992}", "9007199254740992.0");
    invalid("{\"const\":9007199254740992}", "9007199254740991");
    valid("{\"multipleOf\":0.0001}", "0.0075");
    valid("{\"multipleOf\":0.1}", "0.3");
    invalid("{\"multipleOf\":0.0001}", "0.00751");
    valid("{\"multipleOf\":0.5}", "1e308");
    invalid("{\"multipleOf\":0.123456789}", "1e308");
    valid("{\"multipleOf\":1e-8}", "12391239123");
    valid("{\"multipleOf\":3}", "-9");
    invalid("{\"multipleOf\":3}", "-9223372036854775808");
    valid("{\"multipleOf\":2}", "-9223372036854775808");
    valid("{\"uniqueItems\":true}", "[1,true,\"1\",[1],{\"a\":1},{\"a\":true}]");
    invalid("{\"uniqueItems\":true}", "[{\"a\":1,\"b\":[2.0]},{\"b\":[2],\"a\":1.0}]");
    invalid("{\"uniqueItems\":true}", "[0.0,-0.0]");
}

static void test_unicode_lengths(void **state)
{
    (void)state;
    valid("{\"maxLength\":1}", "\"\\uD83D\\uDCA9\""); /* one code point, four bytes */
    valid("{\"maxLength\":2,\"minLength\":2}", "\"\xc3\xa9t\"");
    error_is("{\"minLength\":2}", "\"\xc3\xa9\"",
             "(root): minLength: \"\xc3\xa9\" is shorter than 2 characters");
    valid("{\"maxLength\":3}", "\"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\"");
    invalid("{\"maxLength\":2}", "\"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\"");
    valid("{\"enum\":[\"a\\u0000b\"]}", "\"a\\u0000b\"");
    invalid("{\"enum\":[\"a\\u0000b\"]}", "\"a\"");
}

static void test_regex(void **state)
{
    (void)state;
    const char *yes[][2] = {
        {"^\\\\d{3}-\\\\w+$", "123-ab_c"},
        {"^[a-c-]+$", "a-b-c"},
        {"^[^a]$", "\xc3\xa9"},
        {"^.$", "\xf0\x9f\x90\xb2"},
        {"^\xf0\x9f\x90\xb2*$", "\xf0\x9f\x90\xb2\xf0\x9f\x90\xb2"},
        {"^[\xc3\xa0-\xc3\xbf]+$", "\xc3\xa9\xc3\xa8"},
        {"^(?:ab)+?$", "abab"},
        {"^(?<year>\\\\d{4})$", "2024"},
        {"a{2,3}", "xaay"},
        {"^x{$", "x{"},
        {"^\\\\u00e9\\\\x41$", "\xc3\xa9"
                               "A"},
        {"^[\\\\]\\\\[\\\\^\\\\-]+$", "][^-"},
        {"^\\\\cC$", "\x03"},
        {"\\\\bfoo\\\\b", "a foo b"},
        {"^[\\\\D]$", "\xc3\xa9"},
        {"^\\\\S\\\\W$", "a!"},
        {"^a|^b", "b"},
        {"^$", ""},
        {"(){2}^()?a(?:)*$", "a"}, /* empty groups repeated (fuzz) */
        {"^(a|)+b|c", "aab"},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        char schema[256], inst[256];
        snprintf(schema, sizeof schema, "{\"pattern\":\"%s\"}", yes[i][0]);
        snprintf(inst, sizeof inst, "\"%s\"", yes[i][1]);
        valid(schema, inst);
    }
    valid("{\"pattern\":\"^\\\\s+$\"}", "\" \\t\\n\\u00a0\\u2003\\ufeff\\u2028\"");
    invalid("{\"pattern\":\"^\\\\s$\"}", "\"\\u200b\"");
    invalid("{\"pattern\":\"^\\\\d$\"}", "\"\\u0967\"");  /* Devanagari one */
    invalid("{\"pattern\":\"^\\\\w$\"}", "\"\xc3\xa9\""); /* ASCII only */
    invalid("{\"pattern\":\"^.$\"}", "\"\\n\"");
    invalid("{\"pattern\":\"^abc$\"}", "\"abc\\n\""); /* $ is the end, not a line end */
    invalid("{\"pattern\":\"^[^a]$\"}", "\"a\"");
    invalid("{\"pattern\":\"^[\xc3\xa0-\xc3\xbf]$\"}", "\"z\"");
    valid("{\"pattern\":\"a\"}", "12"); /* only strings are checked */
    /* NUL is a character like any other, in the pattern and in the subject */
    valid("{\"pattern\":\"^a\\u0000b$\"}", "\"a\\u0000b\"");
    valid("{\"pattern\":\"^[^x]{3}$\"}", "\"a\\u0000b\"");
    invalid("{\"pattern\":\"^ab$\"}", "\"a\\u0000b\"");
    /* an invalid UTF-8 byte is in no set, not even [^a] */
    invalid("{\"pattern\":\"^[^a]$\"}", "\"\xff\"");
    /* no backtracking: what takes a backtracking engine exponential time answers at once */
    char *many = malloc(70000);
    assert_non_null(many);
    many[0] = '"';
    memset(many + 1, 'a', 65536);
    memcpy(many + 65537, "!\"", 3);
    invalid("{\"pattern\":\"^(a|a?)+$\"}", many);
    invalid("{\"pattern\":\"^(a*)*$\"}", many);
    free(many);
    /* the process locale does not change the meaning */
    const char *old = setlocale(LC_ALL, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", old ? old : "C");
    if (setlocale(LC_ALL, "C.UTF-8")) {
        valid("{\"pattern\":\"^[\xc3\xa0-\xc3\xbf]$\"}", "\"\xc3\xa9\"");
        valid("{\"pattern\":\"^.$\"}", "\"\xc3\xa9\"");
        setlocale(LC_ALL, saved);
    }
    valid("{\"patternProperties\":{\"^\xc3\xa1\":{\"type\":\"integer\"}},"
          "\"additionalProperties\":false}",
          "{\"\xc3\xa1rm\":1}");
    valid("{\"format\":\"regex\"}", "\"(?=lookahead)\""); /* valid ECMA-262, unsupported here */
    invalid("{\"format\":\"regex\"}", "\"^(abc]\"");
    invalid("{\"format\":\"regex\"}", "\"\\\\a\"");
    invalid("{\"format\":\"regex\"}", "\"a**\"");
}

/* A counted repetition past the bound is refused with a message, quickly, whatever the number
 * of digits (issue 15: digits past 100000 stopped the scan from advancing: an endless loop). */
static void test_regex_repeat_bound(void **state)
{
    (void)state;
    refused("{\"pattern\":\"a{1234567}\"}", "repetition counts above 1000 are not supported");
    refused("{\"pattern\":\"a{1,99999999999999999999999}\"}",
            "repetition counts above 1000 are not supported");
    refused("{\"pattern\":\"a{1001}\"}", "repetition counts above 1000 are not supported");
    refused("{\"patternProperties\":{\"x{2000,}\":{}}}",
            "repetition counts above 1000 are not supported");
    refused("{\"pattern\":\"a{5,3}\"}", "numbers out of order");
    valid("{\"pattern\":\"^a{1000}$\"}", "12"); /* the bound itself compiles */
    invalid("{\"pattern\":\"^a{1000}$\"}", "\"aaa\"");
    valid("{\"pattern\":\"^a{2,3}$\"}", "\"aa\"");
    /* "{" with digits and no "}" is a literal (Annex B), however many digits follow */
    valid("{\"format\":\"regex\"}", "\"{1234567\"");
    valid("{\"format\":\"regex\"}", "\"a{12345678901234567890,\"");
    valid("{\"pattern\":\"^x{1234567$\"}", "\"x{1234567\"");
    /* valid ECMA-262, only unsupported here (as lookahead), and answered at once */
    valid("{\"format\":\"regex\"}", "\"a{1234567}\"");
    valid("{\"format\":\"regex\"}", "\"a{1,1234567}\"");
    invalid("{\"format\":\"regex\"}", "\"{1}\""); /* nothing to repeat */
}

static void test_formats(void **state)
{
    (void)state;
    valid("{\"format\":\"date-time\"}", "\"1998-12-31T23:59:60Z\"");
    valid("{\"format\":\"date-time\"}", "\"1998-12-31T15:59:60.123-08:00\"");
    invalid("{\"format\":\"date-time\"}", "\"1998-12-31T23:58:60Z\"");
    invalid("{\"format\":\"date-time\"}", "\"1990-02-31T15:59:59Z\"");
    valid("{\"format\":\"date\"}", "\"2020-02-29\"");
    invalid("{\"format\":\"time\"}", "\"08:30:06\""); /* RFC 3339 full-time needs an offset */
    valid("{\"format\":\"email\"}", "\"\\\"joe bloggs\\\"@example.com\"");
    valid("{\"format\":\"email\"}", "\"joe@[IPv6:::1]\"");
    invalid("{\"format\":\"email\"}", "\"joe..bloggs@example.com\"");
    invalid("{\"format\":\"ipv4\"}", "\"087.10.0.1\"");
    valid("{\"format\":\"ipv6\"}", "\"::ffff:1.2.3.4\"");
    invalid("{\"format\":\"ipv6\"}", "\"fe80::a%eth1\"");
    valid("{\"format\":\"hostname\"}", "\"xn--4gbwdl.xn--wgbh1c\"");
    invalid("{\"format\":\"hostname\"}", "\"not_a_host\"");
    valid("{\"format\":\"uri\"}", "\"urn:oasis:names:specification:docbook:dtd:xml:4.1.2\"");
    invalid("{\"format\":\"uri\"}", "\"//foo.bar/?baz=qux#quux\"");
    valid("{\"format\":\"uri-reference\"}", "\"#fragment\"");
    valid("{\"format\":\"iri\"}", "\"http://\xc6\x92\xc3\xb8\xc3\xb8.com/\"");
    valid("{\"format\":\"json-pointer\"}", "\"/a~1b\"");
    invalid("{\"format\":\"json-pointer\"}", "\"/a~2\"");
    valid("{\"format\":\"relative-json-pointer\"}", "\"0#\"");
    valid("{\"format\":\"uri-template\"}", "\"http://example.com/{term:1}/{term}\"");
    valid("{\"format\":\"something-else\"}", "\"anything\""); /* unknown: annotation only */
    valid("{\"format\":\"email\"}", "12");                    /* only strings */
    valid("{\"contentEncoding\":\"base64\",\"contentMediaType\":\"application/json\"}",
          "\"eyJmb28iOiAiYmFyIn0K\"");
    invalid("{\"contentEncoding\":\"base64\"}", "\"eyJmb28iOi%iYmFyIn0K\"");
}

static void test_unusable_schemas(void **state)
{
    (void)state;
    refused("12", "(root): a schema must be an object or a boolean, got 12");
    refused("null", "(root): a schema must be an object or a boolean, got null");
    refused("{\"type\":12}", "/type: type must be one of array, boolean, integer, null, number, "
                             "object, string, or a non-empty array of distinct ones, got 12");
    refused("{\"type\":[\"string\",\"string\"]}", "/type: type must be");
    refused("{\"type\":\"float\"}", "got \"float\"");
    refused("{\"minimum\":\"x\"}", "/minimum: minimum must be a number, got \"x\"");
    refused("{\"multipleOf\":0}", "/multipleOf: multipleOf must be greater than 0, got 0");
    refused("{\"maxLength\":-1}", "/maxLength: maxLength must be a non-negative integer, got -1");
    refused("{\"minItems\":1.5}", "/minItems: minItems must be a non-negative integer, got 1.5");
    refused("{\"required\":[\"a\",1]}", "/required/1: required must be an array of strings");
    refused("{\"required\":[\"a\",\"a\"]}", "/required/1: required lists \"a\" twice");
    refused("{\"properties\":{\"a\":3}}",
            "/properties/a: a schema must be an object or a boolean, got 3");
    refused("{\"items\":[{},\"x\"]}", "/items/1: a schema must be an object or a boolean");
    refused("{\"allOf\":[]}", "/allOf: allOf must be a non-empty array of schemas, got []");
    refused("{\"enum\":3}", "/enum: enum must be an array, got 3");
    refused("{\"uniqueItems\":1}", "/uniqueItems: uniqueItems must be a boolean, got 1");
    refused("{\"dependencies\":{\"a\":3}}", "/dependencies/a: a schema must be an object");
    refused("{\"$ref\":5}", "/$ref: $ref must be a string (a URI), got 5");
    refused("{\"$id\":5}", "/$id: $id must be a string (a URI), got 5");
    refused("{\"properties\":{\"a\":{\"$ref\":\"#/definitions/nope\"}}}",
            "/properties/a/$ref: cannot resolve \"#/definitions/nope\": no \"definitions\" in "
            "(root)");
    refused("{\"$ref\":\"#/items\",\"items\":[1]}",
            "/$ref: cannot resolve \"#/items\": /items is array, not a schema");
    refused("{\"$ref\":\"other.json\"}",
            "/$ref: cannot resolve \"other.json\": no document at other.json (no resolver)");
    refused("{\"$ref\":\"#nowhere\"}", "declares no \"$id\": \"#nowhere\"");
    refused("{\"pattern\":\"(ab\"}", "/pattern: pattern \"(ab\" is not a valid regular "
                                     "expression: missing ) to close a group");
    refused("{\"pattern\":\"[b-a]\"}", "range out of order");
    refused("{\"pattern\":\"*a\"}", "nothing to repeat");
    refused("{\"pattern\":\"\\\\q\"}", "invalid escape \\q");
    refused("{\"pattern\":\"(?<=a)b\"}", "lookbehind");
    refused("{\"pattern\":\"(a)\\\\1\"}", "backreferences are not supported");
    refused("{\"pattern\":\"\\\\p{L}\"}", "Unicode property escapes");
    refused("{\"pattern\":\"a{1,5000}\"}", "repetition counts above 1000");
    /* glibc copies the atom of {n,m}: nested counts would take regcomp gigabytes */
    refused("{\"pattern\":\"((a{100}){100}){100}\"}",
            "too large once its counted repetitions are expanded");
    refused("{\"patternProperties\":{\"(\":{}}}",
            "/patternProperties/(: patternProperties key \"(\" is not a valid regular expression");
    refused("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"}",
            "/$schema: unsupported $schema \"https://json-schema.org/draft/2020-12/schema\"");
    refused("{\"definitions\":{\"a\":{\"$id\":\"http://x/a\"},\"b\":{\"$id\":\"http://x/a\"}}}",
            "identifier \"http://x/a\" is also declared at");
    refused("{\"$id\":\"#/a\"}", "/$id: \"#/a\" must not have a JSON pointer fragment");
    refused("{\"definitions\":{\"x\":{\"not\":{\"type\":7}}}}", "/definitions/x/not/type: type");
}

static void test_loops(void **state)
{
    (void)state;
    refused("{\"$ref\":\"#\"}", "(root): $ref loop without progress: (root) -> (root)");
    refused("{\"definitions\":{\"a\":{\"$ref\":\"#/definitions/b\"},\"b\":{\"$ref\":"
            "\"#/definitions/a\"}},\"$ref\":\"#/definitions/a\"}",
            "$ref loop without progress");
    /* Branching loops would take exponential time before any depth limit: refused outright. */
    refused("{\"allOf\":[{\"$ref\":\"#\"},{\"$ref\":\"#\"}]}", "$ref loop without progress");
    refused("{\"if\":{\"$ref\":\"#\"}}", "$ref loop without progress");
    refused("{\"dependencies\":{\"a\":{\"anyOf\":[{\"$ref\":\"#\"}]}}}", "$ref loop");
    /* Recursion through a property or item makes progress and is fine. */
    valid("{\"properties\":{\"next\":{\"$ref\":\"#\"}},\"type\":\"object\"}",
          "{\"next\":{\"next\":{}}}");
    error_is("{\"properties\":{\"next\":{\"$ref\":\"#\"}},\"type\":\"object\"}",
             "{\"next\":{\"next\":1}}", "/next/next: type: 1 is not of type object");
}

/* A JSON text nesting `depth` levels of prefix ... suffix around core. */
static char *nest(const char *prefix, const char *core, const char *suffix, int depth)
{
    size_t len = strlen(prefix) * (size_t)depth + strlen(core) + strlen(suffix) * (size_t)depth;
    char *s = malloc(len + 1), *p = s;
    assert_non_null(s);
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", prefix);
    p += sprintf(p, "%s", core);
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", suffix);
    return s;
}

static void test_depth_bound(void **state)
{
    (void)state;
    char *deep = nest("{\"items\":", "{}", "}", RT_SCHEMA_MAX_DEPTH + 10);
    refused(deep, "schema too deeply nested (more than 256 levels)");
    free(deep);
    char *ok = nest("{\"items\":", "{}", "}", 100);
    valid(ok, "[[[1]]]");
    free(ok);
    /* A recursive schema on a deeply nested value stops with an error instead of the stack. */
    char *inst = nest("[", "1", "]", 300);
    errs e;
    size_t n = run("{\"items\":{\"$ref\":\"#\"}}", inst, &e);
    assert_int_equal(n, 1);
    assert_non_null(strstr(e.line[0], ": depth: schema too deeply nested"));
    free(inst);
}

typedef struct docs {
    const char *uri[4];
    const char *text[4];
    int calls;
} docs;

static struct json_object *serve_docs(void *data, const char *uri)
{
    docs *d = data;
    d->calls++;
    for (size_t i = 0; i < 4 && d->uri[i]; i++)
        if (strcmp(uri, d->uri[i]) == 0)
            return parse(d->text[i]);
    return NULL;
}

static void test_resolver(void **state)
{
    (void)state;
    docs d = {{"http://example.com/defs.json", "http://example.com/nested/leaf.json"},
              {"{\"definitions\":{\"pos\":{\"minimum\":1}},\"properties\":{\"leaf\":{\"$ref\":"
               "\"nested/leaf.json\"}}}",
               "{\"type\":\"string\"}"},
              0};
    struct json_object *doc = parse("{\"$id\":\"http://example.com/main.json\",\"properties\":{"
                                    "\"n\":{\"$ref\":\"defs.json#/definitions/pos\"},"
                                    "\"m\":{\"$ref\":\"defs.json#/definitions/pos\"},"
                                    "\"t\":{\"$ref\":\"defs.json\"}}}");
    rt_error err;
    rt_schema *s = rt_schema_compile(doc, NULL, serve_docs, &d, &err);
    json_object_put(doc);
    if (!s)
        fail_msg("refused: %s", err.msg);
    assert_int_equal(d.calls, 2); /* each document fetched once */
    struct json_object *inst = parse("{\"n\":0,\"t\":{\"leaf\":5}}");
    errs e = {{{0}}, 0};
    assert_int_equal(rt_schema_validate(s, inst, collect, &e), 2);
    assert_string_equal(e.line[0], "/n: minimum: 0 is less than the minimum of 1");
    assert_string_equal(e.line[1], "/t/leaf: type: 5 is not of type string");
    json_object_put(inst);
    rt_schema_free(s);

    /* The base URI argument, and what an unresolvable document says. */
    doc = parse("{\"$ref\":\"missing.json#/x\"}");
    s = rt_schema_compile(doc, "http://example.com/dir/main.json", serve_docs, &d, &err);
    assert_null(s);
    assert_string_equal(err.msg, "/$ref: cannot resolve \"missing.json#/x\": no document at "
                                 "http://example.com/dir/missing.json");
    json_object_put(doc);
    /* The meta-schema is built in: no resolver call. */
    d.calls = 0;
    doc = parse("{\"$ref\":\"http://json-schema.org/draft-07/schema#\"}");
    s = rt_schema_compile(doc, NULL, serve_docs, &d, &err);
    json_object_put(doc);
    assert_non_null(s);
    assert_int_equal(d.calls, 0);
    inst = parse("{\"type\":12,\"minLength\":-1}");
    assert_int_equal(rt_schema_validate(s, inst, NULL, NULL), 1);
    json_object_put(inst);
    rt_schema_free(s);
}

/* Cases from later versions of the official suite than Debian's. */
static void test_ref_details(void **state)
{
    (void)state;
    /* "$ref" ignores its siblings, "$id" included */
    const char *sibling =
        "{\"$id\":\"http://localhost:1234/sibling_id/base/\",\"definitions\":{\"foo\":{\"$id\":"
        "\"http://localhost:1234/sibling_id/foo.json\",\"type\":\"string\"},\"base_foo\":{"
        "\"$id\":\"foo.json\",\"type\":\"number\"}},\"allOf\":[{\"$id\":"
        "\"http://localhost:1234/sibling_id/\",\"$ref\":\"foo.json\"}]}";
    valid(sibling, "1");
    invalid(sibling, "\"a\"");
    /* plain-name fragments, also in a subschema with its own base */
    const char *anchor = "{\"$id\":\"http://localhost:1234/root\",\"allOf\":[{\"$ref\":"
                         "\"http://localhost:1234/nested.json#foo\"}],\"definitions\":{\"A\":{"
                         "\"$id\":\"nested.json\",\"definitions\":{\"B\":{\"$id\":\"#foo\","
                         "\"type\":\"integer\"}}}}}";
    valid(anchor, "1");
    invalid(anchor, "\"a\"");
    /* "$id" in enum, const or an unknown keyword is no identifier */
    const char *not_ids =
        "{\"definitions\":{\"e\":{\"enum\":[{\"$id\":\"http://x/id.json\",\"type\":\"null\"}]},"
        "\"u\":{\"unknown\":{\"$id\":\"http://x/id.json\",\"type\":\"null\"}},\"real\":{\"$id\":"
        "\"http://x/id.json\",\"type\":\"string\"}},\"anyOf\":[{\"$ref\":\"#/definitions/e\"},"
        "{\"$ref\":\"http://x/id.json\"}]}";
    valid(not_ids, "\"a\"");
    invalid(not_ids, "null");
    /* an enum member that looks like a "$ref" is just a value */
    const char *naive = "{\"definitions\":{\"s\":{\"type\":\"string\"}},\"enum\":[{\"$ref\":"
                        "\"#/definitions/s\"}]}";
    invalid(naive, "\"x\"");
    valid(naive, "{\"$ref\":\"#/definitions/s\"}");
    /* escapes, quotes and empty tokens in pointers; refs into unknown keywords */
    valid("{\"properties\":{\"q\":{\"$ref\":\"#/definitions/foo%22bar\"}},\"definitions\":{"
          "\"foo\\\"bar\":{\"type\":\"number\"}}}",
          "{\"q\":1}");
    invalid("{\"definitions\":{\"\":{\"definitions\":{\"\":{\"type\":\"number\"}}}},\"allOf\":[{"
            "\"$ref\":\"#/definitions//definitions/\"}]}",
            "\"a\"");
    invalid("{\"properties\":{\"a\":{\"$ref\":\"#/x-custom/0\"}},\"x-custom\":[{\"type\":"
            "\"integer\"}]}",
            "{\"a\":\"s\"}");
    /* URNs, absolute-path references, refs to if/then/else subschemas */
    const char *urn = "{\"$id\":\"urn:example:foo-bar-baz-qux?+CCResolve:cc=uk\",\"properties\":{"
                      "\"foo\":{\"$ref\":\"#/definitions/bar\"}},\"definitions\":{\"bar\":{"
                      "\"type\":\"string\"}}}";
    valid(urn, "{\"foo\":\"x\"}");
    invalid(urn, "{\"foo\":1}");
    invalid("{\"$id\":\"http://example.com/ref/absref.json\",\"definitions\":{\"a\":{\"$id\":"
            "\"http://example.com/ref/absref/foobar.json\",\"type\":\"number\"},\"b\":{\"$id\":"
            "\"http://example.com/absref/foobar.json\",\"type\":\"string\"}},\"allOf\":[{\"$ref\":"
            "\"/absref/foobar.json\"}]}",
            "1");
    invalid("{\"allOf\":[{\"$ref\":\"http://example.com/ref/if\"},{\"if\":{\"$id\":"
            "\"http://example.com/ref/if\",\"type\":\"integer\"}}]}",
            "\"a\"");
    /* draft-04: "id", and exclusiveMaximum as a boolean */
    const char *d4 = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"id\":"
                     "\"http://x/4.json\",\"maximum\":3,\"exclusiveMaximum\":true,\"properties\":{"
                     "\"a\":{\"$ref\":\"4.json\"}}}";
    error_is(d4, "3", "(root): maximum: 3 is not less than the exclusive maximum of 3");
    invalid(d4, "{\"a\":3}");
    refused("{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"items\":true}",
            "/items: a schema must be an object, got true");
}

static void test_shared_instance_is_untouched(void **state)
{
    (void)state;
    struct json_object *doc = parse("{\"properties\":{\"a\":{\"minimum\":2}}}");
    rt_error err;
    rt_schema *s = rt_schema_compile(doc, NULL, NULL, NULL, &err);
    assert_non_null(s);
    json_object_put(doc);
    struct json_object *inst = parse("{\"a\":1}");
    const char *before = json_object_to_json_string(inst);
    char copy[64];
    snprintf(copy, sizeof copy, "%s", before);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rt_schema_validate(s, inst, NULL, NULL), 1);
    assert_string_equal(json_object_to_json_string(inst), copy);
    json_object_put(inst);
    rt_schema_free(s);
    rt_schema_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages_and_pointers),
        cmocka_unit_test(test_several_errors),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_unicode_lengths),
        cmocka_unit_test(test_regex),
        cmocka_unit_test(test_regex_repeat_bound),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_unusable_schemas),
        cmocka_unit_test(test_loops),
        cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_resolver),
        cmocka_unit_test(test_ref_details),
        cmocka_unit_test(test_shared_instance_is_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
