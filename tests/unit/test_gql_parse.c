/* tests/unit/test_gql_parse.c - the GraphQL lexer and parser (plugins/api-graphql/graphql):
 * tokens with their positions, string and block string values, every syntax error's message
 * and location, executable documents and type system definitions, and the bounds on nesting
 * and tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gql_int.h"

/* ---- lexer --------------------------------------------------------------------------------- */

typedef struct tok_case {
    gql_tok kind;
    uint32_t line, col;
    const char *value;
} tok_case;

static void lex_all(const char *src, const tok_case *want, size_t n)
{
    gql_arena *a = gql_arena_new();
    gql_lexer lx;
    gql_lex_init(&lx, src, strlen(src), a);
    for (size_t i = 0; i < n; i++) {
        if (gql_lex_next(&lx) < 0)
            fail_msg("token %zu of %s: %s", i, src, lx.err);
        assert_int_equal(lx.tok.kind, want[i].kind);
        assert_int_equal(lx.tok.line, want[i].line);
        assert_int_equal(lx.tok.col, want[i].col);
        if (want[i].value)
            assert_string_equal(lx.tok.value, want[i].value);
    }
    assert_int_equal(gql_lex_next(&lx), 0);
    assert_int_equal(lx.tok.kind, GQL_T_EOF);
    gql_arena_free(a);
}

static void test_punctuators_and_names(void **state)
{
    (void)state;
    const tok_case want[] = {
        {GQL_T_BANG, 1, 1, NULL},       {GQL_T_DOLLAR, 1, 2, NULL},
        {GQL_T_AMP, 1, 3, NULL},        {GQL_T_PAREN_L, 1, 4, NULL},
        {GQL_T_PAREN_R, 1, 5, NULL},    {GQL_T_SPREAD, 1, 6, NULL},
        {GQL_T_COLON, 1, 9, NULL},      {GQL_T_EQUALS, 1, 10, NULL},
        {GQL_T_AT, 1, 11, NULL},        {GQL_T_BRACKET_L, 1, 12, NULL},
        {GQL_T_BRACKET_R, 1, 13, NULL}, {GQL_T_BRACE_L, 1, 14, NULL},
        {GQL_T_PIPE, 1, 15, NULL},      {GQL_T_BRACE_R, 1, 16, NULL},
        {GQL_T_NAME, 2, 3, "_a1"},      {GQL_T_NAME, 3, 1, "B"},
        {GQL_T_INT, 4, 1, "-12"},       {GQL_T_FLOAT, 4, 5, "1.5e+3"},
        {GQL_T_FLOAT, 4, 12, "0.0"},    {GQL_T_INT, 4, 16, "0"},
    };
    /* commas and comments are ignored; \r\n and \r both end lines */
    lex_all("!$&()...:=@[]{|}\n, _a1 # comment\r\nB\r-12 1.5e+3,0.0 0", want,
            sizeof want / sizeof *want);
}

static void test_strings(void **state)
{
    (void)state;
    const tok_case want[] = {
        {GQL_T_STRING, 1, 1, "a\"\\/\b\f\n\r\tz"},
        {GQL_T_STRING, 1, 22, "\xc3\xa9\xf0\x9f\x98\x80\xf0\x9f\x98\x80"},
        {GQL_T_NAME, 1, 52, "x"},
        {GQL_T_BLOCK_STRING, 2, 1, "first\n  indented \"\"\" quote\nlast"},
        /* after a 4-byte character, columns count UTF-16 units (2 for it) */
        {GQL_T_STRING, 7, 1, "\xf0\x9f\x98\x80"},
        {GQL_T_NAME, 7, 6, "y"},
    };
    lex_all("\"a\\\"\\\\\\/\\b\\f\\n\\r\\tz\" \"\\u00e9\\u{1F600}\\uD83D\\uDE00\" x\n"
            "\"\"\"\n    first\n      indented \\\"\"\" quote\n    last\n  \"\"\"\n"
            "\"\xf0\x9f\x98\x80\" y",
            want, sizeof want / sizeof *want);
}

typedef struct err_case {
    const char *src;
    const char *message;
    uint32_t line, col;
} err_case;

static void check_errors(const err_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gql_syntax_error err;
        gql_doc *d = gql_parse(cases[i].src, strlen(cases[i].src), NULL, &err);
        if (d)
            fail_msg("parsed: %s", cases[i].src);
        if (strcmp(err.message, cases[i].message) != 0 || err.line != cases[i].line ||
            err.col != cases[i].col)
            fail_msg("%s\n  got  %u:%u %s\n  want %u:%u %s", cases[i].src, err.line, err.col,
                     err.message, cases[i].line, cases[i].col, cases[i].message);
    }
}

static void test_lexer_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        {"{ a(x: 01) }", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9},
        {"{ a(x: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
        {"{ a(x: 1e) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
        {"{ a(x: 1x) }", "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 9},
        {"{ a(x: 1.5.) }", "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
        {"{ a(x: -) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9},
        {"{ a(x: 1", "Syntax Error: Expected Name, found <EOF>.", 1, 9},
        {"{ a(x: \"abc) }", "Syntax Error: Unterminated string.", 1, 15},
        {"{ a(x: \"a\nb\") }", "Syntax Error: Unterminated string.", 1, 10},
        {"{ a(x: \"a\\qb\") }", "Syntax Error: Invalid character escape sequence: \"\\q\".", 1, 10},
        {"{ a(x: \"\\u12\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\".", 1,
         9},
        {"{ a(x: \"\\uD800\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\uD800\".", 1,
         9},
        {"{ a(x: \"\\uDC00\") }", "Syntax Error: Invalid Unicode escape sequence: \"\\uDC00\".", 1,
         9},
        {"{ a(x: \"\\u{110000}\") }",
         "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 9},
        {"{ a(x: \"\xff\") }", "Syntax Error: Invalid character within String: U+00FF.", 1, 9},
        {"{ a(x: \"\"\"abc }", "Syntax Error: Unterminated string.", 1, 16},
        {"{ a(x: 'x') }",
         "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote "
         "(\")?",
         1, 8},
        {"{ a ? }", "Syntax Error: Unexpected character: \"?\".", 1, 5},
        {"{ a \x07 }", "Syntax Error: Unexpected character: U+0007.", 1, 5},
        {"{ a \xc3 }", "Syntax Error: Invalid character: U+00C3.", 1, 5},
        {"{ a .. }", "Syntax Error: Unexpected character: \".\".", 1, 5},
        {"\n\n   \"\"\"\nline\n\"\"\" ?", "Syntax Error: Unexpected character: \"?\".", 5, 5},
    };
    check_errors(cases, sizeof cases / sizeof *cases);
}

/* ---- parser -------------------------------------------------------------------------------- */

static void test_parser_errors(void **state)
{
    (void)state;
    static const err_case cases[] = {
        {"", "Syntax Error: Unexpected <EOF>.", 1, 1},
        {"{", "Syntax Error: Expected Name, found <EOF>.", 1, 2},
        {"{ a", "Syntax Error: Expected Name, found <EOF>.", 1, 4},
        {"{}", "Syntax Error: Expected Name, found \"}\".", 1, 2},
        {"{ a() }", "Syntax Error: Expected Name, found \")\".", 1, 5},
        {"{ a(b) }", "Syntax Error: Expected \":\", found \")\".", 1, 6},
        {"query { ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 15},
        {"notanop { a }", "Syntax Error: Unexpected Name \"notanop\".", 1, 1},
        {"query ($a: Int = $b) { a }",
         "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 18},
        {"query ($a) { a }", "Syntax Error: Expected \":\", found \")\".", 1, 10},
        {"query ($a: [Int) { a }", "Syntax Error: Expected \"]\", found \")\".", 1, 16},
        {"fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10},
        {"fragment F T { a }", "Syntax Error: Expected \"on\", found Name \"T\".", 1, 12},
        {"\"d\" { a }",
         "Syntax Error: Unexpected description, descriptions are not supported on shorthand "
         "queries.",
         1, 1},
        {"\"d\" extend type T { a: Int }",
         "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1,
         1},
        {"{ a(x: [1, 2) }", "Syntax Error: Unexpected \")\".", 1, 13},
        {"{ a(x: {b 1}) }", "Syntax Error: Expected \":\", found Int \"1\".", 1, 11},
        {"{ a @ }", "Syntax Error: Expected Name, found \"}\".", 1, 7},
        {"enum E { true }",
         "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10},
        {"directive @d on NOWHERE", "Syntax Error: Unexpected Name \"NOWHERE\".", 1, 17},
        {"type T implements { a: Int }", "Syntax Error: Expected Name, found \"{\".", 1, 19},
        {"extend nothing", "Syntax Error: Unexpected Name \"nothing\".", 1, 8},
    };
    check_errors(cases, sizeof cases / sizeof *cases);
}

static gql_doc *parse_ok(const char *src)
{
    gql_syntax_error err;
    gql_doc *d = gql_parse(src, strlen(src), NULL, &err);
    if (!d)
        fail_msg("%s: %u:%u %s", src, err.line, err.col, err.message);
    return d;
}

static void test_executable(void **state)
{
    (void)state;
    gql_doc *d =
        parse_ok("query Q($a: [Int!]! = [1], $b: In = {x: \"s\", y: [true, null, E]} "
                 "@dir) @op {\n"
                 "  al: f(x: $a, y: 1.5) @skip(if: false) { ...F ... on T { g } ... @i { h } }\n"
                 "}\n"
                 "fragment F on T @fd { g }\n"
                 "subscription { s }\nmutation M { m }\n{ short }");
    assert_int_equal(d->ndefs, 5);
    const gql_node *op = d->defs;
    assert_int_equal(op->kind, GQL_OPERATION);
    assert_int_equal(op->flag, GQL_QUERY);
    assert_string_equal(op->name, "Q");
    assert_int_equal(op->nline, 1);
    assert_int_equal(op->ncol, 7);
    const gql_node *va = op->args;
    assert_string_equal(va->name, "a");
    assert_int_equal(va->type->kind, GQL_NON_NULL_TYPE);
    assert_int_equal(va->type->type->kind, GQL_LIST_TYPE);
    assert_int_equal(va->type->type->type->kind, GQL_NON_NULL_TYPE);
    assert_string_equal(va->type->type->type->type->name, "Int");
    assert_int_equal(va->value->kind, GQL_LIST);
    const gql_node *vb = va->next;
    assert_int_equal(vb->value->kind, GQL_OBJECT);
    assert_string_equal(vb->value->sel->name, "x");
    assert_string_equal(vb->value->sel->value->text, "s");
    const gql_node *items = vb->value->sel->next->value->sel;
    assert_int_equal(items->kind, GQL_BOOLEAN);
    assert_int_equal(items->flag, 1);
    assert_int_equal(items->next->kind, GQL_NULL);
    assert_int_equal(items->next->next->kind, GQL_ENUM);
    assert_string_equal(vb->dirs->name, "dir");
    assert_string_equal(op->dirs->name, "op");
    const gql_node *f = op->sel;
    assert_int_equal(f->kind, GQL_FIELD);
    assert_string_equal(f->alias, "al");
    assert_string_equal(f->name, "f");
    assert_int_equal(f->line, 2);
    assert_int_equal(f->col, 3);
    assert_int_equal(f->args->value->kind, GQL_VARIABLE);
    assert_int_equal(f->args->next->value->kind, GQL_FLOAT);
    assert_string_equal(f->dirs->name, "skip");
    assert_int_equal(f->sel->kind, GQL_FRAGMENT_SPREAD);
    assert_int_equal(f->sel->next->kind, GQL_INLINE_FRAGMENT);
    assert_string_equal(f->sel->next->type->name, "T");
    assert_null(f->sel->next->next->type);
    assert_string_equal(f->sel->next->next->dirs->name, "i");
    const gql_node *fr = op->next;
    assert_int_equal(fr->kind, GQL_FRAGMENT_DEF);
    assert_string_equal(fr->type->name, "T");
    assert_int_equal(fr->next->flag, GQL_SUBSCRIPTION);
    assert_int_equal(fr->next->next->flag, GQL_MUTATION);
    assert_null(fr->next->next->next->name);
    gql_doc_free(d);
}

static void test_type_system(void **state)
{
    (void)state;
    gql_doc *d = parse_ok("\"\"\"S\"\"\" schema @x { query: Q mutation: M }\n"
                          "\"sc\" scalar D @specifiedBy(url: \"u\")\n"
                          "type O implements & I & J @k { \"fd\" f(\"ad\" a: Int = 1 @z): [O!]! }\n"
                          "interface I implements J { f: Int }\n"
                          "union U = | A | B\n"
                          "enum E { \"v\" A @deprecated B }\n"
                          "input In @oneOf { a: Int = 2, b: String }\n"
                          "directive @d(a: Int) repeatable on | FIELD | QUERY\n"
                          "extend type O { g: Int }");
    const gql_node *n = d->defs;
    assert_int_equal(n->kind, GQL_SCHEMA_DEF);
    assert_string_equal(n->text, "S");
    assert_int_equal(n->sel->flag, GQL_QUERY);
    assert_string_equal(n->sel->next->type->name, "M");
    n = n->next;
    assert_int_equal(n->kind, GQL_SCALAR_DEF);
    assert_string_equal(n->text, "sc");
    n = n->next;
    assert_int_equal(n->kind, GQL_OBJECT_DEF);
    assert_string_equal(n->refs->name, "I");
    assert_string_equal(n->refs->next->name, "J");
    assert_string_equal(n->sel->text, "fd");
    assert_string_equal(n->sel->args->text, "ad");
    assert_string_equal(n->sel->args->value->text, "1");
    assert_string_equal(n->sel->args->dirs->name, "z");
    n = n->next;
    assert_int_equal(n->kind, GQL_INTERFACE_DEF);
    assert_string_equal(n->refs->name, "J");
    n = n->next;
    assert_int_equal(n->kind, GQL_UNION_DEF);
    assert_string_equal(n->refs->next->name, "B");
    n = n->next;
    assert_int_equal(n->kind, GQL_ENUM_DEF);
    assert_string_equal(n->sel->text, "v");
    assert_string_equal(n->sel->dirs->name, "deprecated");
    n = n->next;
    assert_int_equal(n->kind, GQL_INPUT_DEF);
    assert_string_equal(n->sel->next->name, "b");
    n = n->next;
    assert_int_equal(n->kind, GQL_DIRECTIVE_DEF);
    assert_int_equal(n->flag, 1);
    assert_int_equal(n->refs->flag, GQL_LOC_FIELD);
    assert_int_equal(n->refs->next->flag, GQL_LOC_QUERY);
    n = n->next;
    assert_int_equal(n->kind, GQL_OBJECT_DEF);
    assert_true(n->flag & GQL_EXTENSION);
    gql_doc_free(d);
}

static void test_bounds(void **state)
{
    (void)state;
    char deep[4096];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    char doc[4200];
    snprintf(doc, sizeof doc, "{ a(x: %s) }", deep);
    gql_syntax_error err;
    gql_parse_limits lim = {100, 0};
    assert_null(gql_parse(doc, strlen(doc), &lim, &err));
    assert_string_equal(err.message,
                        "Syntax Error: Document nests deeper than 100 levels. Parsing aborted.");
    lim = (gql_parse_limits){0, 5};
    assert_null(gql_parse("{ a b c d e f }", 15, &lim, &err));
    assert_string_equal(err.message, "Syntax Error: Document contains more than 5 tokens. Parsing "
                                     "aborted.");
    assert_int_equal(err.col, 11); /* the sixth token */
}

static void test_print_value(void **state)
{
    (void)state;
    gql_doc *d = parse_ok("{ a(x: {a: [1, 2.5, \"s\\n\\\"\", true, null, E, $v], b: {}}) }");
    char *s = gql_print_value(d->defs->sel->args->value);
    assert_string_equal(s, "{a: [1, 2.5, \"s\\n\\\"\", true, null, E, $v], b: {}}");
    free(s);
    gql_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_punctuators_and_names),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_lexer_errors),
        cmocka_unit_test(test_parser_errors),
        cmocka_unit_test(test_executable),
        cmocka_unit_test(test_type_system),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_print_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
