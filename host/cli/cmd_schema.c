/* host/cli/cmd_schema.c - `ratchet schema check SCHEMA.json INSTANCE.json`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_layer.h"
#include "cli.h"
#include "task/task_layer.h"

/* Its own exit statuses: 1 means "the instance is invalid", so every other failure (usage,
 * unreadable or malformed files, an unusable schema) is 2. */
#define SCHEMA_EXIT_INVALID 1
#define SCHEMA_EXIT_ERROR   2
#define MAX_FILE_BYTES      (64L * 1024 * 1024)

static int read_stream(FILE *f, const char *name, ratchet_buf *out, ratchet_buf *why)
{
    char chunk[65536];
    size_t n;
    rt_buf_puts(out, "");
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > (size_t)MAX_FILE_BYTES) {
            rt_buf_printf(why, "%s: larger than %ld MiB", name, MAX_FILE_BYTES / (1024 * 1024));
            return 0;
        }
        if (rt_buf_append(out, chunk, n) != RATCHET_OK) {
            rt_buf_printf(why, "%s: out of memory", name);
            return 0;
        }
    }
    if (ferror(f) || !out->data) {
        rt_buf_printf(why, "%s: cannot read: %s", name, strerror(errno));
        return 0;
    }
    return 1;
}

/* Line and column (1-based, in bytes) of offset in text. */
static void position(const char *text, size_t offset, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Parse the file (or stdin for "-") as one JSON value. rt_json_check() decides what is JSON
 * (json-c alone tolerates NaN, single quotes, ...; nesting is bounded at 32 like every JSON
 * input of Ratchet) and its "<reason> at byte offset N" becomes "<file>:line:col: <reason>".
 * On failure returns 0 with the message in why. JSON null is a valid result (*out = NULL). */
static int load_json(const char *path, struct json_object **out, ratchet_buf *why)
{
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "(stdin)" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        rt_buf_printf(why, "%s: cannot open: %s", path, strerror(errno));
        return 0;
    }
    ratchet_buf text = RATCHET_BUF_INIT;
    int ok = read_stream(f, name, &text, why);
    if (!is_stdin)
        fclose(f);
    const char *t = text.data;
    size_t len = text.len;
    if (ok && len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0) { /* a UTF-8 byte order mark */
        t += 3;
        len -= 3;
    }
    ratchet_buf bad = RATCHET_BUF_INIT;
    if (ok && rt_json_check(t, len, &bad) != RATCHET_OK) {
        const char *reason = bad.data ? bad.data : "out of memory";
        const char *at = bad.data ? strstr(bad.data, " at byte offset ") : NULL;
        size_t off = at ? (size_t)strtoull(at + 16, NULL, 10) : 0, line, col;
        position(t, off > len ? len : off, &line, &col);
        rt_buf_printf(why, "%s:%zu:%zu: invalid JSON: %.*s", name, line, col,
                      at ? (int)(at - reason) : (int)strlen(reason), reason);
        ok = 0;
    }
    rt_buf_free(&bad);
    if (ok) {
        struct json_tokener *tok = json_tokener_new();
        struct json_object *obj = NULL;
        enum json_tokener_error jerr = json_tokener_error_depth;
        if (tok) {
            json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
            obj = json_tokener_parse_ex(tok, t, (int)len);
            jerr = json_tokener_get_error(tok);
            if (!obj && jerr == json_tokener_continue) { /* a top-level number ends at EOF */
                obj = json_tokener_parse_ex(tok, "", 1);
                jerr = json_tokener_get_error(tok);
            }
            json_tokener_free(tok);
        }
        if (jerr != json_tokener_success) { /* checked above: json-c ran out of memory */
            rt_buf_printf(why, "%s: out of memory parsing JSON", name);
            json_object_put(obj);
            ok = 0;
        } else {
            *out = obj;
        }
    }
    rt_buf_free(&text);
    return ok;
}

typedef struct resolver_state {
    ratchet_buf why; /* why the last document could not be loaded */
} resolver_state;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* "$ref"s to file: URIs (relative refs resolve against the schema file's own file: URI) load
 * that file; nothing else is fetched: the command never uses the network. */
static struct json_object *file_resolver(void *data, const char *uri)
{
    resolver_state *st = data;
    const char *p = NULL;
    if (strncmp(uri, "file:///", 8) == 0)
        p = uri + 7;
    else if (strncmp(uri, "file://localhost/", 17) == 0)
        p = uri + 16;
    if (!p) {
        st->why.len = 0;
        rt_buf_printf(&st->why, "%s: only file: references are loaded (no network access)", uri);
        return NULL;
    }
    char *path = strdup(p);
    if (!path)
        return NULL;
    char *w = path;
    for (const char *r = path; *r; r++) {
        if (r[0] == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0 &&
            (hexval(r[1]) | hexval(r[2])) != 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    struct json_object *doc = NULL;
    st->why.len = 0;
    if (!load_json(path, &doc, &st->why))
        doc = NULL;
    free(path);
    return doc;
}

/* file:// URI of an existing file, for resolving the schema's relative "$ref"s. */
static char *file_uri(const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            rt_buf_append(&b, (const char *)p, 1);
        else
            rt_buf_printf(&b, "%%%02X", *p);
    }
    free(abs);
    return b.data;
}

static void print_error(void *data, const char *pointer, const char *keyword, const char *message)
{
    (void)data;
    printf("%s: %s: %s\n", rt_schema_pointer_display(pointer), keyword, message);
}

static int fail2(const char *fmt, const char *a, const char *b)
{
    fputs("ratchet: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return SCHEMA_EXIT_ERROR;
}

static int schema_check(const char *schema_path, const char *instance_path)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    struct json_object *schema = NULL, *instance = NULL;
    int rc = SCHEMA_EXIT_ERROR;
    if (!load_json(schema_path, &schema, &why) || !load_json(instance_path, &instance, &why)) {
        fail2("%s%s", why.data ? why.data : "out of memory", "");
        goto out;
    }
    resolver_state st = {RATCHET_BUF_INIT};
    char *base = strcmp(schema_path, "-") == 0 ? NULL : file_uri(schema_path);
    rt_error err;
    rt_schema *s = rt_schema_compile(schema, base, file_resolver, &st, &err);
    free(base);
    if (!s) {
        fail2("%s: unusable schema: %s", schema_path, err.msg);
        if (st.why.data && st.why.len)
            fail2("%s%s", st.why.data, "");
        rt_buf_free(&st.why);
        goto out;
    }
    rt_buf_free(&st.why);
    size_t n = rt_schema_validate(s, instance, print_error, NULL);
    rt_schema_free(s);
    if (n == 0) {
        printf("valid\n");
        rc = RT_EXIT_OK;
    } else {
        if (n >= RT_SCHEMA_MAX_ERRORS)
            fprintf(stderr, "ratchet: %s: stopped after %d errors\n", instance_path,
                    RT_SCHEMA_MAX_ERRORS);
        rc = SCHEMA_EXIT_INVALID;
    }
out:
    json_object_put(schema);
    json_object_put(instance);
    rt_buf_free(&why);
    return rc;
}

static int schema_run(rt_app *app, int argc, char **argv)
{
    (void)app;
    if (argc < 2)
        return rt_usage_error("schema", "missing subcommand (check)");
    if (strcmp(argv[1], "check") != 0)
        return rt_usage_error("schema", "unknown subcommand '%s' (expected check)", argv[1]);
    const char *files[2];
    int nfiles = 0, dashdash = 0;
    for (int i = 2; i < argc; i++) {
        if (!dashdash && strcmp(argv[i], "--") == 0) {
            dashdash = 1;
        } else if (!dashdash && argv[i][0] == '-' && argv[i][1] != '\0') {
            return rt_usage_error("schema", "unexpected argument '%s'", argv[i]);
        } else if (nfiles == 2) {
            return rt_usage_error("schema", "unexpected argument '%s'", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles < 2)
        return rt_usage_error("schema", "usage: ratchet schema check SCHEMA.json INSTANCE.json");
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
        return rt_usage_error("schema", "only one of SCHEMA and INSTANCE can be '-' (stdin)");
    return schema_check(files[0], files[1]);
}

const rt_command rt_cmd_schema = {
    "schema",
    "Validate a JSON document against a JSON Schema (draft-07)",
    "Usage: ratchet schema check SCHEMA.json INSTANCE.json\n"
    "\n"
    "Validate INSTANCE.json against the JSON Schema SCHEMA.json (draft-07; draft-06 and\n"
    "draft-04 schemas are recognised by their $schema). Either file may be '-' for stdin.\n"
    "\"$ref\"s to other files resolve relative to the schema file; nothing is fetched over\n"
    "the network.\n"
    "\n"
    "Prints \"valid\", or one line per error (at most 100):\n"
    "  <JSON pointer>: <keyword>: <message>\n"
    "  e.g. /items/2/price: minimum: 3 is less than the minimum of 5\n"
    "(the whole document is shown as \"(root)\").\n"
    "\n"
    "Exit status: 0 valid, 1 invalid, 2 unusable schema, unreadable or malformed JSON file,\n"
    "or usage error.\n",
    schema_run,
};
