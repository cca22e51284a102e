/*
 * test_executor_runtime.c - compiled tasks in the executor-mujs plugin: the runtime modules
 * (host/task/compiler/runtime) loaded before main.js, main's promise settled through the
 * microtask queue, rejections reported like throws, positions mapped back to the author's
 * source; and the module table itself (selection order, triggers).
 *
 * The task code here is ES5 written the way the compiler lowers ES2015+ (an async main is
 * a function returning a promise); the runtime text comes from jsc_runtime_select.
 */
#include "mujs_testing.h"

#include "compiler/runtime.h"

/* Compile `code` with the runtime of `modules` (space-separated, may be "") and the line map
 * `map` of `nmap` lines (may be NULL). */
static void *compile_rt(inst *in, const char *code, const char *modules, const uint32_t *map,
                        size_t nmap)
{
    const char *names[32];
    char list[256], err[256];
    size_t n = 0, len = 0;
    char *text = NULL;

    snprintf(list, sizeof list, "%s", modules);
    for (char *w = strtok(list, " "); w && n < 32; w = strtok(NULL, " "))
        names[n++] = w;
    if (jsc_runtime_select(names, n, &text, &len, err, sizeof err) != 0)
        fail_msg("runtime: %s", err);
    ratchet_task_source src = {
        .abi = RATCHET_ABI_INIT(ratchet_task_source),
        .task_name = "t",
        .filename = "main.js",
        .code = code,
        .code_len = strlen(code),
        .runtime = text,
        .runtime_len = len,
        .line_map = map,
        .line_map_lines = nmap,
    };
    void *prog = NULL;
    rt_error_clear();
    ratchet_status st = in->ex->compile(in->self, &src, &prog);
    free(text);
    if (st != RATCHET_OK)
        fail_msg("compile failed (%d): %s", (int)st, rt_error_peek());
    return prog;
}

/* Run a compiled program once with input "null"; the caller checks and frees r. */
static void run_rt(inst *in, void *prog, fake *f, ratchet_exec_result *r)
{
    exec_run(in, prog, "{\"n\": 2}", &f->ctx, r);
    in->ex->release(in->self, prog);
}

/* compile_rt with the module markers removed from the runtime text: the executor then runs
 * the whole runtime as one script, so every helper is its JavaScript, none native. */
static void *compile_rt_text(inst *in, const char *code, const char *modules)
{
    const char *names[32];
    char list[256], err[256];
    size_t n = 0, len = 0;
    char *text = NULL;

    snprintf(list, sizeof list, "%s", modules);
    for (char *w = strtok(list, " "); w && n < 32; w = strtok(NULL, " "))
        names[n++] = w;
    if (jsc_runtime_select(names, n, &text, &len, err, sizeof err) != 0)
        fail_msg("runtime: %s", err);
    char *w = text;
    for (const char *r = text; *r;) {
        const char *eol = strchr(r, '\n');
        size_t l = eol ? (size_t)(eol - r + 1) : strlen(r);
        if (strncmp(r, "// module: ", 11) != 0) {
            memmove(w, r, l);
            w += l;
        }
        r += l;
    }
    *w = '\0';
    ratchet_task_source src = {
        .abi = RATCHET_ABI_INIT(ratchet_task_source),
        .task_name = "t",
        .filename = "main.js",
        .code = code,
        .code_len = strlen(code),
        .runtime = text,
        .runtime_len = strlen(text),
    };
    void *prog = NULL;
    rt_error_clear();
    ratchet_status st = in->ex->compile(in->self, &src, &prog);
    free(text);
    if (st != RATCHET_OK)
        fail_msg("compile failed (%d): %s", (int)st, rt_error_peek());
    return prog;
}

static void expect_rt(const char *code, const char *modules, const char *expected)
{
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "{}");
    fake_init(&f);
    run_rt(&in, compile_rt(&in, code, modules, NULL, 0), &f, &r);
    assert_ok_json(&r, expected);
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

/* ---- the module table ------------------------------------------------------------------- */

static int names_has(void *data, const char *name)
{
    for (const char *const *p = data; *p; p++)
        if (strcmp(*p, name) == 0)
            return 1;
    return 0;
}

static void need_add(void *data, const char *module)
{
    char *buf = data;
    strcat(buf, module);
    strcat(buf, " ");
}

static void test_select_and_triggers(void **state)
{
    (void)state;
    char *text = NULL, err[200];
    size_t len = 1;
    const char *map[] = {"map", "map", "symbol"};

    assert_int_equal(jsc_runtime_select(map, 3, &text, &len, err, sizeof err), 0);
    /* dependencies first, each once */
    const char *sym = strstr(text, "// module: symbol"), *it = strstr(text, "// module: iterator");
    if (!sym) /* the embedding strips comments: find the modules by what they define */
        sym = strstr(text, "def(this, \"Symbol\"");
    if (!it)
        it = strstr(text, "\"$jsc_iterator\"");
    const char *coll = strstr(text, "$jsc_Table\", Table"), *mp = strstr(text, "def(G, \"Map\"");
    assert_non_null(sym);
    assert_non_null(it);
    assert_non_null(coll);
    assert_non_null(mp);
    assert_true(sym < it && it < coll && coll < mp);
    assert_null(strstr(mp + 1, "def(G, \"Map\""));
    assert_int_equal(len, strlen(text));
    free(text);

    assert_int_equal(jsc_runtime_select(NULL, 0, &text, &len, err, sizeof err), 0);
    assert_string_equal(text, "");
    free(text);

    const char *bad[] = {"map", "nosuch"};
    assert_int_equal(jsc_runtime_select(bad, 2, &text, &len, err, sizeof err), -1);
    assert_null(text);
    assert_string_equal(err, "no runtime module named \"nosuch\"");

    /* triggers: names in a source -> modules; "a&b" needs both */
    char got[512] = "";
    const char *none[] = {"x", "console", "log", "fetch", "body", NULL};
    jsc_runtime_triggered(names_has, none, need_add, got);
    assert_string_equal(got, "");
    const char *some[] = {"Map", "padStart", "includes", "fetch", "then", NULL};
    jsc_runtime_triggered(names_has, some, need_add, got);
    assert_non_null(strstr(got, "map "));
    assert_non_null(strstr(got, "string "));
    assert_non_null(strstr(got, "array "));
    assert_non_null(strstr(got, "fetch "));
    assert_non_null(strstr(got, "promise "));
    assert_null(strstr(got, "set "));
}

/* ---- promises and main ---------------------------------------------------------------------- */

static void test_async_main(void **state)
{
    (void)state;
    /* async function main(input) { const v = await input.n; return {v: v * 2}; } */
    expect_rt("function main(input) {\n"
              "  return Promise.resolve(input.n).then(function (v) { return {v: v * 2}; });\n"
              "}\n",
              "promise", "{\"v\": 4}");
    /* a plain result is untouched; queued jobs still run before the output is taken */
    expect_rt("var out = {a: 1};\n"
              "function main() { Promise.resolve().then(function () { out.b = 2; }); return out; }\n",
              "promise", "{\"a\": 1, \"b\": 2}");
    /* a thenable that is not a Promise is adopted, as await would */
    expect_rt("function main() { return {then: function (f) { f([1, 2]); }}; }", "promise",
              "[1, 2]");
    /* main's promise resolved to another promise, through several ticks */
    expect_rt("function main() {\n"
              "  return new Promise(function (res) { res(Promise.resolve(1).then(function (x) {\n"
              "    return Promise.all([x, Promise.resolve(2), 3]); })); });\n"
              "}\n",
              "promise", "[1, 2, 3]");
}

static void test_promise_ordering(void **state)
{
    (void)state;
    expect_rt("function main() {\n"
              "  var log = [];\n"
              "  var p = Promise.resolve();\n"
              "  p.then(function () { log.push('a1'); }).then(function () { log.push('a2'); });\n"
              "  p.then(function () { log.push('b1'); }).then(function () { log.push('b2'); });\n"
              "  new Promise(function (r) { log.push('sync'); r(Promise.resolve()); })\n"
              "    .then(function () { log.push('adopted'); });\n"
              "  log.push('end');\n"
              "  return p.then(function () {}).then(function () {}).then(function () {})\n"
              "    .then(function () { return log; });\n"
              "}\n",
              "promise", "[\"sync\", \"end\", \"a1\", \"b1\", \"a2\", \"b2\", \"adopted\"]");
}

static void test_rejection(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "{}");
    fake_init(&f);
    const char *code = "function check(v) {\n"
                       "  throw new ValidationError('n must be odd, got ' + v);\n"
                       "}\n"
                       "function main(input) {\n"
                       "  return Promise.resolve(input.n).then(function step(v) { check(v); });\n"
                       "}\n";
    run_rt(&in, compile_rt(&in, code, "promise", NULL, 0), &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_name, "ValidationError");
    assert_string_equal(r.error_message, "n must be odd, got 2");
    assert_non_null(r.error_stack);
    assert_non_null(strstr(r.error_stack, "\tat check (main.js:2)"));
    assert_non_null(strstr(r.error_stack, "\tat step (main.js:5)"));
    assert_null(strstr(r.error_stack, "ratchet:runtime"));
    assert_null(strstr(r.error_stack, "(native)"));
    result_free(&r);

    /* HttpError keeps its status; a rejected non-error keeps its text */
    fake_init(&f);
    run_rt(&in,
           compile_rt(&in, "function main() { return Promise.reject(new HttpError(503, 'down')); }",
                      "promise", NULL, 0),
           &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_name, "HttpError");
    assert_int_equal(r.error_status, 503);
    result_free(&r);
    run_rt(&in, compile_rt(&in, "function main() { return Promise.reject('plain'); }", "promise",
                           NULL, 0),
           &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_message, "plain");
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

static void test_never_settled_and_unhandled(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "{}");
    fake_init(&f);
    run_rt(&in,
           compile_rt(&in,
                      "function main() { return new Promise(function () {}).then(function () {"
                      " return 1; }); }",
                      "promise", NULL, 0),
           &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_message,
                        "main's promise never settled (it awaits something that never resolves)");
    result_free(&r);

    run_rt(&in,
           compile_rt(&in,
                      "function main() { Promise.reject(new TypeError('lost'));"
                      " Promise.reject(1).catch(function () {}); return 'done'; }",
                      "promise", NULL, 0),
           &f, &r);
    assert_ok_json(&r, "\"done\"");
    assert_int_equal(f.nlines, 1);
    assert_int_equal(f.levels[0], RATCHET_LOG_WARN);
    assert_string_equal(f.lines[0], "Unhandled promise rejection: TypeError: lost");
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

/* ---- positions ---------------------------------------------------------------------------- */

static void test_line_map(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    /* generated lines 1..4 come from the author's lines 7, (none), 9 and 12 */
    static const uint32_t map[] = {7, 1, 0, 0, 9, 5, 12, 3};
    const char *code = "function inner() {\n"
                       "  var x = 1;\n"
                       "  null.boom;\n"
                       "}\n"
                       "function main() { inner(); }\n";
    inst_open(&in, "{}");
    fake_init(&f);
    run_rt(&in, compile_rt(&in, code, "", map, 4), &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_non_null(r.error_stack);
    assert_non_null(strstr(r.error_stack, "\tat inner (main.js:9:5)"));
    /* line 5 is past the map: it takes the last mapped line, without a column */
    assert_non_null(strstr(r.error_stack, "\tat main (main.js:12)"));
    result_free(&r);

    /* a syntax error names the author's position at compile time */
    ratchet_task_source src = {
        .abi = RATCHET_ABI_INIT(ratchet_task_source),
        .task_name = "t",
        .filename = "main.js",
        .code = "var a = 1;\nvar b = ;\n",
        .code_len = strlen("var a = 1;\nvar b = ;\n"),
        .line_map = map,
        .line_map_lines = 4,
    };
    void *prog = (void *)1;
    rt_error_clear();
    assert_int_equal(in.ex->compile(in.self, &src, &prog), RATCHET_ERR);
    assert_non_null(strstr(rt_error_peek(), "main.js:7: SyntaxError"));

    /* through a promise: runtime frames dropped, user frames mapped */
    static const uint32_t map2[] = {3, 1, 4, 9};
    run_rt(&in,
           compile_rt(&in,
                      "function main() {\n  return Promise.resolve().then(function f() { null.x; });"
                      "\n}\n",
                      "promise", map2, 2),
           &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_non_null(strstr(r.error_stack, "\tat f (main.js:4:9)"));
    assert_null(strstr(r.error_stack, "ratchet:runtime"));
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

/* ---- built-ins and fetch -------------------------------------------------------------------- */

static void test_builtins(void **state)
{
    (void)state;
    expect_rt("function main() {\n"
              "  var m = new Map([[NaN, 'nan'], [0, 'zero']]); m.set('k', 1); m.delete(0);\n"
              "  var out = [];\n"
              "  m.forEach(function (v, k) { out.push(String(k) + '=' + v); });\n"
              "  return {map: out, size: m.size, nan: m.get(NaN), minus0: m.has(-0),\n"
              "          pad: 'x'.padStart(3, '-'), inc: [1, NaN].includes(NaN),\n"
              "          from: Array.from(new Set([1, 1, 2])), keys: Object.keys(m)};\n"
              "}\n",
              "map set string array array-from",
              "{\"map\": [\"NaN=nan\", \"k=1\"], \"size\": 2, \"nan\": \"nan\", \"minus0\": false,"
              " \"pad\": \"--x\", \"inc\": true, \"from\": [1, 2], \"keys\": []}");
}

static void test_fetch_styles(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    const char *answer = "{\"ok\": true, \"status\": 200, \"statusText\": \"OK\","
                         " \"headers\": {\"content-type\": \"application/json\"},"
                         " \"body\": {\"id\": 7}}";
    inst_open(&in, "{}");
    fake_init(&f);
    f.answer_json = answer;
    /* the synchronous style, unchanged output shape, with the module loaded */
    run_rt(&in, compile_rt(&in, "function main() { return fetch('http://x/'); }", "fetch", NULL, 0),
           &f, &r);
    assert_ok_json(&r, answer);
    result_free(&r);
    run_rt(&in,
           compile_rt(&in, "function main() { var r = fetch('http://x/'); return r.body.id; }",
                      "fetch", NULL, 0),
           &f, &r);
    assert_ok_json(&r, "7");
    result_free(&r);
    /* const r = await fetch(url); const j = await r.json(); return [r.status, j, type] */
    run_rt(&in,
           compile_rt(&in,
                      "function main() {\n"
                      "  return Promise.resolve(fetch('http://x/')).then(function (r) {\n"
                      "    return Promise.all([r.status, r.json(), r.text(), "
                      "r.headers.get('Content-Type'), typeof r.then]);\n"
                      "  });\n"
                      "}\n",
                      "fetch", NULL, 0),
           &f, &r);
    assert_ok_json(&r, "[200, {\"id\": 7}, \"{\\\"id\\\":7}\", \"application/json\", \"undefined\"]");
    result_free(&r);
    /* fetch(url).then(...) */
    run_rt(&in,
           compile_rt(&in,
                      "function main() { return fetch('http://x/').then(function (r) {"
                      " return r.ok; }); }",
                      "fetch", NULL, 0),
           &f, &r);
    assert_ok_json(&r, "true");
    result_free(&r);
    /* errors: thrown by the call; $jsc_fetch_async rejects instead */
    f.answer_json = NULL;
    f.answer_error = "HttpError";
    f.answer_message = "Not Found";
    f.answer_status = 404;
    run_rt(&in,
           compile_rt(&in,
                      "function main() { return $jsc_fetch_async('http://x/').catch(function (e) {"
                      " return [e.name, e.status]; }); }",
                      "fetch", NULL, 0),
           &f, &r);
    assert_ok_json(&r, "[\"HttpError\", 404]");
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

/* ---- helpers implemented in C (mujs_native*.c) -------------------------------------------- */

/* Each error path of the native helpers, with the message of their JavaScript: the same code
 * runs once on the natives and once on the modules' text (no markers: no natives), and both
 * must give the same result. */
static const char natives_code[] =
    "var G = this;\n"
    "function err(f) {\n"
    "  try { f(); return 'no error'; } catch (e) { return e.name + ': ' + e.message; }\n"
    "}\n"
    "function main() {\n"
    "  var closed = 0;\n"
    "  function counted(n) {\n"
    "    var i = 0, it = {next: function () { i++; return {value: i, done: i > n}; },\n"
    "                     'return': function () { closed++; return {}; }};\n"
    "    var o = {}; o['@@iterator'] = function () { return it; }; return o;\n"
    "  }\n"
    "  var xs = [1, 2, 3];\n"
    "  function named() {}\n"
    "  return [\n"
    "    err(function () { $jsc_obj_pattern(null, 'input', 'a'); }),\n"
    "    err(function () { $jsc_obj_pattern(undefined, '', null); }),\n"
    "    err(function () { $jsc_obj_pattern(undefined, 'x.y', null); }),\n"
    "    err(function () { $jsc_obj_pattern(null, null, 'k'); }),\n"
    "    err(function () { $jsc_arr(5, 2, 'xs', 0); }),\n"
    "    err(function () { $jsc_arr(5, 2, null, 0); }),\n"
    "    err(function () { $jsc_arr(null, 2, null, 0); }),\n"
    "    err(function () { $jsc_arr({}, 2, null, 0); }),\n"
    "    err(function () { $jsc_arr(named, 1, null, 0); }),\n"
    "    err(function () { $jsc_array_pattern(null, 1, 1, 'v'); }),\n"
    "    err(function () { $jsc_array_pattern(7, 1, 0, null); }),\n"
    "    err(function () { $jsc_of(undefined); }),\n"
    "    err(function () { $jsc_to_array(true); }),\n"
    "    err(function () { var o = {}; o['@@iterator'] = function () { return 1; };\n"
    "                      $jsc_iterator(o); }),\n"
    "    err(function () { $jsc_iter_close({'return': function () { return 1; }}); }),\n"
    "    err(function () { $jsc_iter_close({'return': 5}); }).split(':')[0],\n"
    "    err(function () { $jsc_iter_close({'return': function () { throw new Error('x'); }},\n"
    "                                      1); }),\n"
    "    err(function () { Array.prototype['@@iterator'].call(null); }),\n"
    "    err(function () { String.prototype['@@iterator'].call(undefined); }),\n"
    "    err(function () { $jsc_const_assign(); }),\n"
    "    err(function () { $jsc_tdz_fail('x'); }),\n"
    "    err(function () { $jsc_tdz_set($jsc_tdz, 1, 'y'); }),\n"
    "    $jsc_tdz_set(0, 2, 'y'),\n"
    "    err(function () { $jsc_fname(1, 'n'); }).split(':')[0],\n"
    "    $jsc_arr(xs, 2, null, 0) === xs, $jsc_arr(xs, 4, null, 0),\n"
    "    $jsc_arr(xs, 4, null, 1) === xs,\n"
    "    $jsc_arr(counted(5), 2, null, 0), closed, $jsc_arr(counted(1), 3, null, 0), closed,\n"
    "    $jsc_arr('a\\ud83d\\ude00', 2, null, 0),\n"
    "    $jsc_arr((function () { return arguments; })(4), 1, 'a', 0),\n"
    "    $jsc_array_pattern(xs, 1, 1, 'xs'), $jsc_array_pattern(counted(3), 1, 0, null), closed,\n"
    "    $jsc_array_pattern(counted(3), 1, 1, null), closed, $jsc_of(xs), $jsc_to_array('ab'),\n"
    "    $jsc_object_rest({a: 1, b: 2, c: 3}, ['a', 'c']), $jsc_object_rest('xy', [0]),\n"
    "    $jsc_holes([1, 2, 3], [1]).hasOwnProperty(1), $jsc_fname(function () {}, 'f').name,\n"
    "    named.name, Math.max.name, [].values().next(), [5].entries().next().value,\n"
    "    typeof Object.getOwnPropertyDescriptor(G, 'Symbol').get\n"
    "  ];\n"
    "}\n";

static const char natives_expected[] =
    "[\"TypeError: Cannot destructure property 'a' of 'input' as it is null.\","
    " \"TypeError: Cannot destructure 'undefined' as it is undefined.\","
    " \"TypeError: Cannot destructure 'x.y' as it is undefined.\","
    " \"TypeError: Cannot read properties of null (reading 'k')\","
    " \"TypeError: xs is not iterable\", \"TypeError: 5 is not iterable\","
    " \"TypeError: null is not iterable\", \"TypeError: object is not iterable\","
    " \"TypeError: named is not iterable\", \"TypeError: v is not iterable\","
    " \"TypeError: 7 is not iterable\", \"TypeError: undefined is not iterable\","
    " \"TypeError: true is not iterable\","
    " \"TypeError: Result of the Symbol.iterator method is not an object\","
    " \"TypeError: iterator.return() did not return an object\", \"TypeError\", \"no error\","
    " \"TypeError: Array.prototype.values called on null or undefined\","
    " \"TypeError: String.prototype[Symbol.iterator] called on null or undefined\","
    " \"TypeError: Assignment to constant variable.\","
    " \"ReferenceError: Cannot access 'x' before initialization\","
    " \"ReferenceError: Cannot access 'y' before initialization\", 2, \"TypeError\","
    " true, [1, 2, 3, null], true, [1, 2], 1, [1, null, null], 1, [\"a\", \"\\ud83d\\ude00\"], [4],"
    " [1, [2, 3]], [1], 2, [1, [2, 3]], 2, null, [\"a\", \"b\"], {\"b\": 2}, {\"1\": \"y\"},"
    " false, \"f\", \"named\", \"max\", {\"done\": true}, [0, 5],"
    " \"function\"]";

static void test_natives(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    const char *modules = "destructure block fnname holes array-iter";
    inst_open(&in, "{}");
    fake_init(&f);
    /* natives in use ($jsc_arr is a C function); the last value of natives_code says that
     * the symbol module (which iterator.js needs) is still an unloaded accessor */
    void *prog =
        compile_rt(&in, "function main() { return [String($jsc_arr)]; }", modules, NULL, 0);
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "[\"function $jsc_arr() { [native code] }\"]");
    result_free(&r);
    in.ex->release(in.self, prog);
    run_rt(&in, compile_rt(&in, natives_code, modules, NULL, 0), &f, &r);
    assert_ok_json(&r, natives_expected);
    result_free(&r);
    /* the same on the modules' JavaScript (where loading iterator loads symbol too) */
    exec_run(&in, prog = compile_rt_text(&in, natives_code, modules), "null", &f.ctx, &r);
    in.ex->release(in.self, prog);
    /* "undefined" is one character longer than "function": room for it */
    size_t jslen = strlen(natives_expected) + 2;
    char *js = malloc(jslen);
    assert_non_null(js);
    snprintf(js, jslen, "%s", natives_expected);
    char *last = strstr(js, "\"function\"]");
    assert_non_null(last);
    snprintf(last, jslen - (size_t)(last - js), "\"undefined\"]");
    assert_ok_json(&r, js);
    free(js);
    result_free(&r);

    /* an uncaught error of a native: the author's frames only */
    const char *uncaught =
        "function main(input) {\n  return $jsc_arr(input.n, 2, 'input.n', 0);\n}";
    run_rt(&in, compile_rt(&in, uncaught, modules, NULL, 0), &f, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_name, "TypeError");
    assert_string_equal(r.error_message, "input.n is not iterable");
    assert_non_null(r.error_stack);
    assert_non_null(strstr(r.error_stack, "\tat main (main.js:2)"));
    assert_null(strstr(r.error_stack, "(native)"));
    result_free(&r);
    fake_done(&f);
    inst_close(&in);
}

static void test_runtime_isolation_and_cost(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "{}");
    fake_init(&f);
    /* each execution has its own runtime state: a task changing it sees a fresh one next time */
    void *prog = compile_rt(&in,
                            "function main() { var had = typeof Map.prototype.extra;"
                            " Map.prototype.extra = 1; return had; }",
                            "map", NULL, 0);
    for (int i = 0; i < 3; i++) {
        exec_run(&in, prog, "null", &f.ctx, &r);
        assert_ok_json(&r, "\"undefined\"");
        result_free(&r);
    }
    in.ex->release(in.self, prog);
    /* no runtime: the hooks are absent and a returned promise-like object is just data */
    prog = compile_rt(&in, "function main() { return {then: 1, x: typeof $jsc_drain}; }", "", NULL,
                      0);
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "{\"then\": 1, \"x\": \"undefined\"}");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);
    inst_close(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_and_triggers),
        cmocka_unit_test(test_async_main),
        cmocka_unit_test(test_promise_ordering),
        cmocka_unit_test(test_rejection),
        cmocka_unit_test(test_never_settled_and_unhandled),
        cmocka_unit_test(test_line_map),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_fetch_styles),
        cmocka_unit_test(test_runtime_isolation_and_cost),
        cmocka_unit_test(test_natives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
