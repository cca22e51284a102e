/*
 * plugins/api-rest/rest_ui.c - the routes a browser UI needs beyond the resources (the rows of
 * rest_routes.c with kinds REST_WHOAMI ... REST_TIMELINE): who the key is, making a key,
 * previewing a cron expression, validating an input, a task's source and tests, running its
 * tests, and executions per minute. Each reads its parameters, makes one engine call (engine
 * minor 2, plus task_test of minor 1) and answers {"data": ...} or the engine's error.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rest.h"

#define PREVIEW_DEFAULT  5
#define TIMELINE_DEFAULT 60

static const char *const scope_names[] = {"public", "read", "write", "admin"};

/* Answer the engine's result in `out` as {"data": ...} (st OK) or as its error. */
static void answer(const rest *r, ratchet_http_request *req, ratchet_status st,
                   const ratchet_buf *out, int status)
{
    if (st != RATCHET_OK)
        rest_send_engine_error(r, req, st, out->data);
    else
        rest_send_data(r, req, status, out->data);
}

/* A query argument as an integer in [lo, hi], `def` when absent; -1 after answering 400. */
static int int_arg(const rest *r, ratchet_http_request *req, const char *name, int def, int lo,
                   int hi)
{
    const char *s = r->http->query(req, name);
    if (!s)
        return def;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        rest_invalid(r, req, "%s must be an integer from %d to %d, not '%s'", name, lo, hi, s);
        return -1;
    }
    return (int)v;
}

/* ---- who am I ------------------------------------------------------------------------------- */

/* The id of the live key called `name`, or 0. */
static int64_t key_id(const rest *r, const char *name)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    int64_t id = 0;
    if (name && r->eng->keys_list(&out) == RATCHET_OK) {
        struct json_object *keys = rest_parse(out.data);
        size_t n = json_object_is_type(keys, json_type_array) ? json_object_array_length(keys) : 0;
        for (size_t i = 0; i < n && !id; i++) {
            struct json_object *k = json_object_array_get_idx(keys, i), *v = NULL;
            if (json_object_object_get_ex(k, "revokedAt", &v) && v)
                continue;
            if (json_object_object_get_ex(k, "name", &v) &&
                strcmp(json_object_get_string(v), name) == 0 &&
                json_object_object_get_ex(k, "id", &v))
                id = json_object_get_int64(v);
        }
        json_object_put(keys);
    }
    rest_host->buf_free(&out);
    return id;
}

static void whoami(const rest *r, ratchet_http_request *req)
{
    const char *name = r->http->key_name(req);
    ratchet_http_scope scope = r->http->key_scope(req);
    int64_t id = key_id(r, name);
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status st = rest_host->buf_append(&b, "{\"name\":", 8);
    if (st == RATCHET_OK)
        st = name ? rest_host->buf_json_string(&b, name) : rest_host->buf_append(&b, "null", 4);
    if (st == RATCHET_OK && id)
        st = rest_host->buf_printf(&b, ",\"id\":%lld", (long long)id);
    else if (st == RATCHET_OK)
        st = rest_host->buf_append(&b, ",\"id\":null", 10);
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(&b, ",\"scope\":\"%s\",\"scopes\":[", scope_names[scope & 3]);
    for (int s = RATCHET_HTTP_READ; st == RATCHET_OK && s <= (int)scope; s++)
        st =
            rest_host->buf_printf(&b, "%s\"%s\"", s > RATCHET_HTTP_READ ? "," : "", scope_names[s]);
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(&b, "],\"authRequired\":%s}", name ? "true" : "false");
    if (st != RATCHET_OK)
        rest_send_nomem(r, req);
    else
        rest_send_data(r, req, 200, b.data);
    rest_host->buf_free(&b);
}

/* ---- keys ----------------------------------------------------------------------------------- */

static const rest_field key_fields[] = {
    {"name", REST_T_STRING, NULL},
    {"scope", REST_T_STRING, "read|write|admin"},
    {NULL, 0, NULL},
};

static void key_create(const rest *r, ratchet_http_request *req)
{
    struct json_object *body = NULL, *name = NULL, *scope = NULL;
    if (!rest_read_body(r, req, key_fields, 1, &body))
        return;
    if (!json_object_object_get_ex(body, "name", &name)) {
        rest_invalid(r, req, "name is required (1 to 64 letters, digits, '-', '_' or '.')");
    } else {
        json_object_object_get_ex(body, "scope", &scope);
        ratchet_buf out = RATCHET_BUF_INIT;
        ratchet_status st = r->eng->key_create(
            json_object_get_string(name), scope ? json_object_get_string(scope) : "read", &out);
        answer(r, req, st, &out, 201);
        rest_host->buf_free(&out);
    }
    json_object_put(body);
}

/* ---- schedules/preview ---------------------------------------------------------------------- */

static void cron_preview(const rest *r, ratchet_http_request *req)
{
    const char *cron = r->http->query(req, "cron");
    int count = int_arg(r, req, "count", PREVIEW_DEFAULT, 1, 50);
    if (count < 0)
        return;
    if (!cron || !*cron) {
        rest_invalid(r, req, "the query parameter cron (a cron expression) is required");
        return;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->cron_preview(cron, r->http->query(req, "timezone"), count, &out);
    answer(r, req, st, &out, 200);
    rest_host->buf_free(&out);
}

/* ---- tasks/{id}/validate-input, source, test ------------------------------------------------ */

static const rest_field input_fields[] = {
    {"input", REST_T_ANY, NULL},
    {NULL, 0, NULL},
};

static void validate_input(const rest *r, ratchet_http_request *req)
{
    struct json_object *body = NULL, *input = NULL;
    if (!rest_read_body(r, req, input_fields, 1, &body))
        return;
    json_object_object_get_ex(body, "input", &input);
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st =
        r->eng->input_validate(r->http->param(req, "id"), r->http->query(req, "version"),
                               input ? rest_json_text(input) : "{}", &out);
    answer(r, req, st, &out, 200);
    rest_host->buf_free(&out);
    json_object_put(body);
}

static void task_source(const rest *r, ratchet_http_request *req)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st =
        r->eng->task_source(r->http->param(req, "id"), r->http->query(req, "version"), &out);
    answer(r, req, st, &out, 200);
    rest_host->buf_free(&out);
}

static const rest_field test_fields[] = {
    {"names", REST_T_ARRAY | REST_T_NULL, NULL},
    {NULL, 0, NULL},
};

static void task_test(const rest *r, ratchet_http_request *req)
{
    struct json_object *body = NULL, *names = NULL;
    if (!rest_read_body(r, req, test_fields, 0, &body))
        return;
    json_object_object_get_ex(body, "names", &names);
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st =
        r->eng->task_test(r->http->param(req, "id"), names ? rest_json_text(names) : NULL, &out);
    answer(r, req, st, &out, 200);
    rest_host->buf_free(&out);
    json_object_put(body);
}

/* ---- stats/timeline ------------------------------------------------------------------------- */

static void timeline(const rest *r, ratchet_http_request *req)
{
    int minutes = int_arg(r, req, "minutes", TIMELINE_DEFAULT, 1, 1440);
    if (minutes < 0)
        return;
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->stats_timeline(minutes, &out);
    answer(r, req, st, &out, 200);
    rest_host->buf_free(&out);
}

void rest_ui_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    const rest *r = bind->r;
    switch (bind->op->kind) {
    case REST_WHOAMI:
        whoami(r, req);
        return;
    case REST_KEY_CREATE:
        key_create(r, req);
        return;
    case REST_CRON_PREVIEW:
        cron_preview(r, req);
        return;
    case REST_VALIDATE_INPUT:
        validate_input(r, req);
        return;
    case REST_TASK_SOURCE:
        task_source(r, req);
        return;
    case REST_TASK_TEST:
        task_test(r, req);
        return;
    default:
        timeline(r, req);
        return;
    }
}
