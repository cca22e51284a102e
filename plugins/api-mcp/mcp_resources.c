/*
 * plugins/api-mcp/mcp_resources.c - resources/list and resources/read: each task's source and
 * schemas as ratchet://tasks/<name>/<file>, read from the latest stored version (engine
 * task_version), and the cursor encoding shared with tools/list.
 *
 * A cursor is "o:<offset>" in base64: opaque to clients, as the spec asks, and cheap to check.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"

#define URI_PREFIX "ratchet://tasks/"

/* The files of a task and where each comes from in the version record. */
typedef struct task_file {
    const char *file;
    const char *field; /* member of the task_version record */
    const char *mime;
    const char *what;
} task_file;

static const task_file files[] = {
    {"main.js", "code", "text/javascript", "source"},
    {"input.schema.json", "inputSchema", "application/schema+json", "input schema"},
    {"output.schema.json", "outputSchema", "application/schema+json", "output schema"},
    {"metadata.json", "metadata", "application/json", "metadata"},
};

#define NFILES (sizeof files / sizeof *files)

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void mcp_cursor_encode(int64_t offset, char *buf, size_t cap)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "o:%lld", (long long)offset);
    size_t o = 0;
    for (int i = 0; i < n && o + 5 < cap; i += 3) {
        unsigned v = (unsigned)(unsigned char)raw[i] << 16;
        v |= i + 1 < n ? (unsigned)(unsigned char)raw[i + 1] << 8 : 0;
        v |= i + 2 < n ? (unsigned char)raw[i + 2] : 0;
        buf[o++] = b64[(v >> 18) & 63];
        buf[o++] = b64[(v >> 12) & 63];
        buf[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        buf[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    buf[o] = '\0';
}

int64_t mcp_cursor_decode(const char *cursor)
{
    char raw[32];
    size_t o = 0, len = strlen(cursor);
    if (len == 0 || len % 4 || len > 28)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        unsigned v = 0;
        for (size_t k = 0; k < 4; k++) {
            const char *p = cursor[i + k] == '=' ? b64 : strchr(b64, cursor[i + k]);
            if (!p || !cursor[i + k])
                return -1;
            v = v << 6 | (unsigned)(p - b64);
        }
        raw[o++] = (char)(unsigned char)(v >> 16);
        raw[o++] = (char)(unsigned char)(v >> 8 & 255);
        raw[o++] = (char)(unsigned char)(v & 255);
    }
    raw[o] = '\0';
    char *end = NULL;
    long long n = strncmp(raw, "o:", 2) == 0 ? strtoll(raw + 2, &end, 10) : -1;
    return end && end != raw + 2 && !*end && n >= 0 && n < 1000000 ? n : -1;
}

/* The tasks of a tasks_list query (its items), or NULL. */
struct json_object *mcp_task_items(mcp *m, const char *query_json)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *list = NULL, *items = NULL;
    if (m->eng->tasks_list(query_json, &out) == RATCHET_OK && (list = mcp_from_text(out.data)) &&
        json_object_object_get_ex(list, "items", &items))
        items = json_object_get(items);
    json_object_put(list);
    mcp_host->buf_free(&out);
    return items;
}

int64_t mcp_page_offset(const char *cursor, char *why, size_t cap)
{
    int64_t offset = cursor ? mcp_cursor_decode(cursor) : 0;
    if (offset < 0)
        snprintf(why, cap, "invalid cursor: pass the nextCursor of the previous page");
    return offset;
}

struct json_object *mcp_resources_list(mcp *m, const char *cursor, char *why, size_t cap)
{
    int64_t offset = mcp_page_offset(cursor, why, cap);
    if (offset < 0)
        return NULL;
    /* Every task (at most 1,000: the engine's list limit), sorted by name. */
    struct json_object *tasks =
        mcp_task_items(m, "{\"sort\":\"name\",\"order\":\"asc\",\"limit\":1000}");
    size_t total = (tasks ? mcp_array_len(tasks) : 0) * NFILES, i = (size_t)offset;
    struct json_object *r = json_object_new_object(), *list = json_object_new_array();
    for (; i < total && i < (size_t)offset + (size_t)m->page_size; i++) {
        const char *name = mcp_get_string(json_object_array_get_idx(tasks, i / NFILES), "name");
        const task_file *f = &files[i % NFILES];
        char uri[320], title[320];
        snprintf(uri, sizeof uri, URI_PREFIX "%s/%s", name ? name : "", f->file);
        snprintf(title, sizeof title, "%s: %s", name ? name : "", f->what);
        struct json_object *res = json_object_new_object();
        json_object_object_add(res, "uri", json_object_new_string(uri));
        json_object_object_add(res, "name", json_object_new_string(f->file));
        json_object_object_add(res, "title", json_object_new_string(title));
        json_object_object_add(res, "mimeType", json_object_new_string(f->mime));
        json_object_array_add(list, res);
    }
    json_object_object_add(r, "resources", list);
    if (i < total) {
        char next[48];
        mcp_cursor_encode((int64_t)i, next, sizeof next);
        json_object_object_add(r, "nextCursor", json_object_new_string(next));
    }
    json_object_put(tasks);
    return r;
}

struct json_object *mcp_resources_read(mcp *m, const char *uri, int *code, char *why, size_t cap)
{
    const char *rest =
        strncmp(uri, URI_PREFIX, strlen(URI_PREFIX)) == 0 ? uri + strlen(URI_PREFIX) : NULL;
    const char *slash = rest ? strchr(rest, '/') : NULL;
    const task_file *f = NULL;
    for (size_t i = 0; slash && i < NFILES && !f; i++)
        if (strcmp(slash + 1, files[i].file) == 0)
            f = &files[i];
    char name[256];
    if (!f || slash == rest || (size_t)(slash - rest) >= sizeof name) {
        *code = MCP_RESOURCE_NOT_FOUND;
        snprintf(why, cap, "resource not found: %s (expected " URI_PREFIX "<task>/<file>)", uri);
        return NULL;
    }
    memcpy(name, rest, (size_t)(slash - rest));
    name[slash - rest] = '\0';
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *ver = NULL, *v = NULL;
    if (m->eng->task_version(name, NULL, &out) == RATCHET_OK)
        ver = mcp_from_text(out.data);
    mcp_host->buf_free(&out);
    if (!ver) {
        *code = MCP_RESOURCE_NOT_FOUND;
        snprintf(why, cap, "resource not found: %s (no task '%s')", uri, name);
        return NULL;
    }
    json_object_object_get_ex(ver, f->field, &v);
    const char *text = json_object_is_type(v, json_type_string)
                           ? json_object_get_string(v)
                           : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
    struct json_object *r = json_object_new_object(), *contents = json_object_new_array(),
                       *c = json_object_new_object();
    json_object_object_add(c, "uri", json_object_new_string(uri));
    json_object_object_add(c, "mimeType", json_object_new_string(f->mime));
    json_object_object_add(c, "text", json_object_new_string(text));
    json_object_array_add(contents, c);
    json_object_object_add(r, "contents", contents);
    json_object_put(ver);
    return r;
}
