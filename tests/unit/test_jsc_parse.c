/* tests/unit/test_jsc_parse.c - the task compiler's front and back ends: lexer (positions in
 * UTF-16 units, numbers, cooked strings), parser (tree shape through jsc_dump, cover grammar,
 * refused features and syntax errors with their positions, nesting bound) and printer
 * (precedence traps, statement-start parentheses, ASCII escapes, line map, temporaries).
 * The wide differential test (parse, print, run both in Node) is tests/js/jsc_roundtrip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lex.h"
#include "phases.h"

typedef struct compiled {
    jsc_ctx cx;
    jmp_buf oom;
    jsc_node *prog;
} compiled;

static void begin(compiled *c, const char *src)
{
    memset(c, 0, sizeof *c);
    c->cx.arena = jsc_arena_new();
    assert_non_null(c->cx.arena);
    c->cx.src = src;
    c->cx.src_len = strlen(src);
    c->cx.filename = "test.js";
    c->cx.oom = &c->oom;
}

static void end(compiled *c)
{
    jsc_arena_free(c->cx.arena);
}

/* The dump of `src`'s tree (malloc'd), or "error: L:C: msg". */
static char *dump_of(const char *src)
{
    compiled c;
    begin(&c, src);
    char *out;
    jsc_node *prog = jsc_parse(&c.cx);
    if (prog) {
        out = jsc_dump(prog);
    } else {
        out = malloc(600);
        assert_non_null(out);
        snprintf(out, 600, "error: %u:%u: %s", c.cx.err_line, c.cx.err_col, c.cx.err_msg);
    }
    end(&c);
    return out;
}

/* The printed form of `src` (malloc'd), or "error: L:C: msg". */
static char *print_of(const char *src)
{
    compiled c;
    begin(&c, src);
    char *out = NULL;
    size_t len, nmap;
    jsc_line_pos *map = NULL;
    jsc_node *prog = jsc_parse(&c.cx);
    if (!prog || !jsc_print(&c.cx, prog, &out, &len, &map, &nmap)) {
        out = malloc(600);
        assert_non_null(out);
        snprintf(out, 600, "error: %u:%u: %s", c.cx.err_line, c.cx.err_col, c.cx.err_msg);
    }
    free(map);
    end(&c);
    return out;
}

static void expect_print(const char *src, const char *want)
{
    char *got = print_of(src);
    assert_string_equal(got, want);
    free(got);
}

static void expect_dump(const char *src, const char *want)
{
    char *got = dump_of(src);
    assert_string_equal(got, want);
    free(got);
}

static void expect_error(const char *src, const char *want)
{
    char *got = dump_of(src);
    assert_string_equal(got, want);
    free(got);
}

/* ---- lexer ------------------------------------------------------------------------------ */

typedef struct lexed {
    compiled c;
    jmp_buf jmp;
    jsc_lexer lx;
} lexed;

static void test_lex_positions_utf16(void **state)
{
    (void)state;
    lexed L;
    const char *src = "a\n  \xF0\x9F\x98\x80x = '\xC3\xA9' /* \n */ + b\xE2\x80\xA8z";
    begin(&L.c, src);
    if (setjmp(L.jmp))
        fail_msg("lexer error: %s", L.c.cx.err_msg);
    jsc_lex_init(&L.lx, &L.c.cx, &L.jmp);
    jsc_token t;
    jsc_lex_next(&L.lx, &t);
    assert_int_equal(t.t, JT_IDENT);
    assert_int_equal(t.line, 1);
    assert_int_equal(t.col, 1);
    jsc_lex_next(&L.lx, &t); /* an astral letter starts an identifier: two UTF-16 units */
    assert_int_equal(t.t, JT_IDENT);
    assert_string_equal(t.str, "\xF0\x9F\x98\x80x");
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 3);
    assert_true(t.nl_before);
    jsc_lex_next(&L.lx, &t);
    assert_int_equal(t.t, JT_ASSIGN);
    assert_int_equal(t.col, 7);
    jsc_lex_next(&L.lx, &t);
    assert_int_equal(t.t, JT_STRING);
    assert_string_equal(t.str, "\xC3\xA9");
    assert_int_equal(t.col, 9);
    jsc_lex_next(&L.lx, &t); /* after a comment holding a line break */
    assert_int_equal(t.t, JT_PLUS);
    assert_int_equal(t.line, 3);
    assert_int_equal(t.col, 5);
    assert_true(t.nl_before);
    jsc_lex_next(&L.lx, &t);
    assert_string_equal(t.str, "b");
    jsc_lex_next(&L.lx, &t); /* U+2028 is a line terminator */
    assert_string_equal(t.str, "z");
    assert_int_equal(t.line, 4);
    assert_int_equal(t.col, 1);
    jsc_lex_next(&L.lx, &t);
    assert_int_equal(t.t, JT_EOF);
    end(&L.c);
}

static void lex_one(lexed *L, const char *src, jsc_token *t)
{
    begin(&L->c, src);
    if (setjmp(L->jmp))
        fail_msg("lexer error on %s: %s", src, L->c.cx.err_msg);
    jsc_lex_init(&L->lx, &L->c.cx, &L->jmp);
    jsc_lex_next(&L->lx, t);
}

static void test_lex_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        double v;
        const char *raw; /* kept when valid ES5 */
    } cases[] = {
        {"0x1F", 31, "0x1F"}, {"0o17", 15, NULL}, {"0b101", 5, NULL}, {"1_000", 1000, NULL},
        {".5", 0.5, ".5"},    {"1e3", 1000, "1e3"}, {"017", 15, NULL},  {"089", 89, NULL},
        {"1.5e-3", 0.0015, "1.5e-3"}, {"0xFF_FF", 65535, NULL}, {"5.", 5, "5."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lexed L;
        jsc_token t;
        lex_one(&L, cases[i].src, &t);
        assert_int_equal(t.t, JT_NUMBER);
        assert_true(t.num == cases[i].v);
        if (cases[i].raw)
            assert_string_equal(t.raw, cases[i].raw);
        else
            assert_null(t.raw);
        end(&L.c);
    }
}

static void test_lex_string_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *src, *cooked;
        size_t len;
    } cases[] = {
        {"'\\u{1F600}'", "\xF0\x9F\x98\x80", 4},
        {"'\\uD83D\\uDE00'", "\xF0\x9F\x98\x80", 4}, /* a pair is one code point */
        {"'\\uD800'", "\xED\xA0\x80", 3},             /* a lone surrogate: WTF-8 */
        {"'\\x41\\0'", "A\0", 2},
        {"'a\\\r\nb'", "ab", 2}, /* line continuation */
        {"'\\101'", "A", 1},     /* legacy octal */
        {"\"\\q\\'\"", "q'", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lexed L;
        jsc_token t;
        lex_one(&L, cases[i].src, &t);
        assert_int_equal(t.t, JT_STRING);
        assert_int_equal(t.len, cases[i].len);
        assert_memory_equal(t.str, cases[i].cooked, cases[i].len);
        end(&L.c);
    }
}

/* ---- parser ----------------------------------------------------------------------------- */

static void test_parse_tree_shapes(void **state)
{
    (void)state;
    expect_dump("a?.b.c();", "(program [(expression-statement (optional-chain (call (member "
                             "\"c\" (member :optional \"b\" (identifier \"a\"))))))])");
    expect_dump("({a = 1, b: [c] = []} = x);",
                "(program [(expression-statement (assign = :parens (object-pattern [(property "
                ":shorthand (identifier \"a\") (assign-pattern (identifier \"a\") (number 1))) "
                "(property (identifier \"b\") (assign-pattern (array-pattern [(identifier "
                "\"c\")]) (array)))]) (identifier \"x\")))])");
    expect_dump("x = async (a, ...b) => a;",
                "(program [(expression-statement (assign = (identifier \"x\") (function "
                ":arrow :async :expr-body [(identifier \"a\") (rest (identifier \"b\"))] "
                "(identifier \"a\"))))])");
    expect_dump("class A extends B { static x = 1; get y() { return super.y; } }",
                "(program [(class-declaration \"A\" (identifier \"B\") [(property :static "
                ":field (identifier \"x\") (number 1)) (property :method :get (identifier "
                "\"y\") (function :method :get :strict [] (block [(return (member \"y\" "
                "(super)))])))])])");
    expect_dump("tag`a${1}\\u`;", "(program [(expression-statement (tagged-template "
                                  "(identifier \"tag\") (template [(template-part \"a\" \"a\") "
                                  "(template-part nil \"\\\\u\")] [(number 1)])))])");
    expect_dump("/re/g.test(s) / 2;", "(program [(expression-statement (binary / (call "
                                      "(member \"test\" (regexp \"re\" \"g\")) [(identifier "
                                      "\"s\")]) (number 2)))])");
    expect_dump("'use strict'; a;", "(program :strict [(expression-statement (string \"use "
                                    "strict\")) (expression-statement (identifier \"a\"))])");
    expect_dump("async function f() { for await (const [k] of it); }",
                "(program [(function-declaration :async \"f\" [] (block [(for-of :await (var "
                ":const [(declarator (array-pattern [(identifier \"k\")]))]) (identifier "
                "\"it\") nil (empty))]))])");
}

static void test_parse_asi_and_restricted(void **state)
{
    (void)state;
    expect_print("function f() { return\n1 }", "function f() {\n  return;\n  1;\n}\n");
    expect_print("a\n++b", "a;\n++b;\n");
    expect_print("var f = () => {}\n(g)", "var f = () => {};\ng;\n");
    expect_print("do x(); while (0) y()", "do\n  x();\nwhile (0);\ny();\n");
    expect_print("let\nx = 1", "let x = 1;\n");
    expect_print("var async = 1; async\nfunction g() {}", "var async = 1;\nasync;\nfunction g() {}\n");
}

static void test_parse_refusals(void **state)
{
    (void)state;
    expect_error("import x from 'y';", "error: 1:1: import/export (ES modules) are not "
                                       "supported: a task is a script; define a global main "
                                       "function");
    expect_error("var m = import('x');", "error: 1:9: dynamic import() is not supported: a "
                                         "task is a script; define a global main function");
    expect_error("x = 10n;", "error: 1:5: BigInt literals (10n) are not supported");
    expect_error("a ||= b;", "error: 1:3: logical assignment operators (&&=, ||=, ?\?=) are "
                             "ES2021 and not supported");
    expect_error("class A { #x; }", "error: 1:11: private class members (#x) are not "
                                    "supported (ES2022)");
    expect_error("r = /a.b/s;", "error: 1:10: the regular expression flag 's' (dotAll) is not "
                                "supported");
    expect_error("r = /x(?<=a)b/;", "error: 1:7: lookbehind assertions (?<= and (?<! in "
                                    "regular expressions are not supported");
    expect_error("r = /(?<y>a)/;", "error: 1:6: named capture groups (?<name>...) in regular "
                                   "expressions are not supported");
    expect_error("r = /\\p{L}/;", "error: 1:6: Unicode property escapes \\p{...} in regular "
                                  "expressions are not supported");
}

static void test_parse_syntax_errors(void **state)
{
    (void)state;
    expect_error("f(a, b};", "error: 1:7: Unexpected token '}' (expected ',' or ')')");
    expect_error("x = a ?? b || c;", "error: 1:7: Unexpected token '?\?': it cannot be mixed "
                                     "with || or && without parentheses");
    expect_error("x = a || b ?? c;", "error: 1:12: Unexpected token '?\?': it cannot be mixed "
                                     "with || or && without parentheses");
    expect_error("x = a ?? b && c;", "error: 1:7: Unexpected token '?\?': it cannot be mixed "
                                     "with || or && without parentheses");
    expect_error("x = -2 ** 2;", "error: 1:8: Unary operator used immediately before "
                                 "exponentiation expression: parentheses must be used to "
                                 "disambiguate operator precedence");
    expect_error("a?.b = 1;", "error: 1:1: Invalid left-hand side in assignment");
    expect_error("f({a = 1});", "error: 1:6: Invalid shorthand property initializer ('=' is "
                                "only valid in a destructuring pattern)");
    expect_error("\"\xE6\x97\xA5\xF0\x9F\x98\x80\"; 1 +* 2;",
                 "error: 1:11: Unexpected token '*'");
    expect_error("if (x) let y = 1;", "error: 1:8: Lexical declaration cannot appear in a "
                                      "single-statement context");
    expect_error("for (;;) { break nope; }", "error: 1:18: Undefined label 'nope'");
    expect_error("throw\nx;", "error: 2:1: Illegal newline after throw");
    expect_error("var s = `a\nb` )", "error: 2:4: Unexpected token ')'");
}

static void test_parse_nesting_bound(void **state)
{
    (void)state;
    size_t n = 1000;
    char *src = malloc(2 * n + 4);
    assert_non_null(src);
    memset(src, '(', n);
    src[n] = '1';
    memset(src + n + 1, ')', n);
    src[2 * n + 1] = '\0';
    char *got = dump_of(src);
    assert_non_null(strstr(got, "nesting too deep"));
    free(got);
    /* a long left-deep chain is bounded too (later phases recurse on it) */
    size_t k = 5000;
    for (size_t i = 0; i < k; i++)
        src = realloc(src, 2 * k + 4), src[2 * i] = 'a', src[2 * i + 1] = '+';
    src[2 * k] = 'a';
    src[2 * k + 1] = '\0';
    got = dump_of(src);
    assert_non_null(strstr(got, "nesting too deep"));
    free(got);
    free(src);
}

/* ---- printer ---------------------------------------------------------------------------- */

static void test_print_precedence_traps(void **state)
{
    (void)state;
    expect_print("(function(){})();", "(function () {}());\n");
    expect_print("({}).x;", "({}.x);\n");
    expect_print("({a} = b);", "({a} = b);\n");
    expect_print("new (f())();", "new (f())();\n");
    expect_print("new (a.b().c);", "new (a.b().c)();\n");
    expect_print("f((a, b));", "f((a, b));\n");
    expect_print("for (var i = ('a' in o); ;) ;", "for (var i = (\"a\" in o);;)\n  ;\n");
    expect_print("a - -b; + +x; x++ + y; - --x;", "a - -b;\n+ +x;\nx++ + y;\n- --x;\n");
    expect_print("1..toString(); 1.5.toFixed(); (1e3).x;",
                 "1..toString();\n1.5.toFixed();\n1e3.x;\n");
    expect_print("x = -(2 ** 2); y = (-2) ** 2; z = 2 ** -2;",
                 "x = -(2 ** 2);\ny = (-2) ** 2;\nz = 2 ** -2;\n");
    expect_print("a ?? (b || c); (a && b) ?? c;", "a ?? (b || c);\n(a && b) ?? c;\n");
    expect_print("(a?.b).c; (a?.b)();", "(a?.b).c;\n(a?.b)();\n");
    expect_print("x = () => ({}); y = a => (b, c);", "x = () => ({});\ny = (a) => (b, c);\n");
    expect_print("if (a) { if (b) c; } else d;", "if (a) {\n  if (b)\n    c;\n} else\n  d;\n");
    expect_print("if (a) if (b) c; else d; else e;",
                 "if (a)\n  if (b)\n    c;\n  else\n    d;\nelse\n  e;\n");
    expect_print("a = b ? c : d ? e : f; (a ? b : c) ? d : e;",
                 "a = b ? c : d ? e : f;\n(a ? b : c) ? d : e;\n");
    expect_print("(a, b) ? c : d; x = (y = 1);", "(a, b) ? c : d;\nx = y = 1;\n");
    expect_print("o = {class: 1}; o.default;", "o = {class: 1};\no.default;\n");
}

static void test_print_literals(void **state)
{
    (void)state;
    expect_print("s = 'caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\n \\0';",
                 "s = \"caf\\u00E9 \\uD83D\\uDE00 \\\"q\\\" \\n \\x00\";\n");
    expect_print("n = [0o17, 1_000, 0b11, 0xFF, 1e21, .5];",
                 "n = [15, 1000, 3, 0xFF, 1e21, .5];\n");
    expect_print("t = `a${b}\\n${c}`;", "t = `a${b}\\n${c}`;\n");
    expect_print("r = /[/]\\//g;", "r = /[/]\\//g;\n");
    expect_print("x = [, a, , ];", "x = [, a, ,];\n");
}

/* Temporaries added by lowering print first in the body, after the directive prologue. */
static void test_print_temps_and_map(void **state)
{
    (void)state;
    compiled c;
    begin(&c, "'use strict';\n\nfunction f() {\n  return 1;\n}\n");
    jsc_node *prog = jsc_parse(&c.cx);
    assert_non_null(prog);
    jsc_node *fn = prog->a->next;
    assert_int_equal(fn->kind, N_FUNC_DECL);
    assert_string_equal(jsc_declare_temp(&c.cx, fn), "$$1");
    assert_string_equal(jsc_declare_temp(&c.cx, prog), "$$2");
    char *out;
    size_t len, nmap;
    jsc_line_pos *map;
    assert_int_equal(jsc_print(&c.cx, prog, &out, &len, &map, &nmap), 1);
    assert_string_equal(out, "\"use strict\";\nvar $$2;\nfunction f() {\n  var $$1;\n"
                             "  return 1;\n}\n");
    assert_int_equal(len, strlen(out));
    assert_int_equal(nmap, 6);
    assert_int_equal(map[0].line, 1); /* "use strict" */
    assert_int_equal(map[1].line, 0); /* synthesised */
    assert_int_equal(map[2].line, 3); /* function f */
    assert_int_equal(map[2].col, 1);
    assert_int_equal(map[3].line, 0);
    assert_int_equal(map[4].line, 4); /* return 1 */
    assert_int_equal(map[4].col, 3);
    assert_int_equal(map[5].line, 0);
    free(out);
    free(map);
    end(&c);
}

/* Printing the printed text again gives the same text. */
static void test_print_fixpoint(void **state)
{
    (void)state;
    const char *src = "class A extends (B, C) { static *[k]() { yield* x; } get a() {} }\n"
                      "label: for (const {a, b: [c = 1, ...d]} of xs) if (a) continue label;\n"
                      "x = async ({p}, ...q) => await p?.[q]?.(...q) ?? `t${1}`;\n";
    char *once = print_of(src);
    char *twice = print_of(once);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lex_positions_utf16),
        cmocka_unit_test(test_lex_numbers),
        cmocka_unit_test(test_lex_string_escapes),
        cmocka_unit_test(test_parse_tree_shapes),
        cmocka_unit_test(test_parse_asi_and_restricted),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test(test_parse_syntax_errors),
        cmocka_unit_test(test_parse_nesting_bound),
        cmocka_unit_test(test_print_precedence_traps),
        cmocka_unit_test(test_print_literals),
        cmocka_unit_test(test_print_temps_and_map),
        cmocka_unit_test(test_print_fixpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
