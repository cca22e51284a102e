/* host/cli/cmd_keys.c - `ratchet keys create|list|revoke`: the API keys of the http front end. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "opsutil.h"

static const char *str_of(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "";
}

static int keys_create(rt_app *app, const char *name, const char *scope, int json)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    char secret[RT_KEY_SECRET_MAX];
    int64_t id = 0;
    rt_error err;
    if (rt_keys_create(&st, name, scope, secret, &id, &err) != RATCHET_OK)
        rc = rt_cli_fail("keys create: %s", err.msg);
    else if (json)
        printf("{\n  \"id\": %lld,\n  \"name\": \"%s\",\n  \"scope\": \"%s\",\n  \"key\": \"%s\"\n}\n",
               (long long)id, name, scope, secret);
    else {
        printf("%s\n", secret);
        fprintf(stderr,
                "ratchet: created API key '%s' (scope %s). It is shown only this once: send it as\n"
                "  Authorization: Bearer <key>   (or X-API-Key: <key>)\n",
                name, scope);
    }
    memset(secret, 0, sizeof secret);
    rt_store_close(&st);
    return rc;
}

static int keys_list(rt_app *app, int json)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    if (!RATCHET_HAS_FIELD(st.vt, ratchet_storage_vtable, key_list) || !st.vt->key_list) {
        rt_store_close(&st);
        return rt_cli_fail("keys list: the storage plugin does not store API keys");
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    struct json_object *keys = NULL;
    rc = rt_ops_reply(st.vt->key_list(st.inst, &out), &out, "keys", json, &keys);
    if (rc == RT_EXIT_OK && !json) {
        printf("%-6s %-24s %-6s %-12s %-26s %s\n", "ID", "NAME", "SCOPE", "PREFIX", "CREATED",
               "REVOKED");
        for (size_t i = 0; i < json_object_array_length(keys); i++) {
            struct json_object *k = json_object_array_get_idx(keys, i);
            printf("%-6s %-24s %-6s %-12s %-26s %s\n", str_of(k, "id"), str_of(k, "name"),
                   str_of(k, "scope"), str_of(k, "prefix"), str_of(k, "createdAt"),
                   *str_of(k, "revokedAt") ? str_of(k, "revokedAt") : "-");
        }
    }
    json_object_put(keys);
    rt_store_close(&st);
    return rc;
}

static int keys_revoke(rt_app *app, const char *ref)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    if (!RATCHET_HAS_FIELD(st.vt, ratchet_storage_vtable, key_revoke) || !st.vt->key_revoke) {
        rt_store_close(&st);
        return rt_cli_fail("keys revoke: the storage plugin does not store API keys");
    }
    rt_error_clear();
    ratchet_status s = st.vt->key_revoke(st.inst, ref, rt_host_api()->now_us() / 1000);
    char what[128];
    snprintf(what, sizeof what, "keys revoke %s", ref);
    if (s == RATCHET_NOTFOUND) {
        rt_error_clear();
        rc = rt_cli_fail("keys revoke: no live key named '%s' (see `ratchet keys list`)", ref);
    } else if (s != RATCHET_OK)
        rc = rt_store_fail(s, what);
    else
        fprintf(stderr, "ratchet: revoked API key '%s'\n", ref);
    rt_store_close(&st);
    return rc;
}

static int keys_run(rt_app *app, int argc, char **argv)
{
    const char *name = NULL, *scope = "read";
    int json = 0;
    const char *pos = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
            scope = argv[++i];
        else if (argv[i][0] != '-' && !pos)
            pos = argv[i];
        else
            return rt_usage_error("keys", "unexpected argument '%s'", argv[i]);
    }
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "create") == 0 && !pos) {
        if (!name)
            return rt_usage_error("keys", "keys create needs --name NAME");
        return keys_create(app, name, scope, json);
    }
    if (strcmp(sub, "list") == 0 && !pos && !name)
        return keys_list(app, json);
    if (strcmp(sub, "revoke") == 0 && pos && !name && !json)
        return keys_revoke(app, pos);
    return rt_usage_error("keys", "usage: ratchet keys create --name NAME [--scope read|write|"
                                  "admin] [--json] | keys list [--json] | keys revoke NAME|ID");
}

const rt_command rt_cmd_keys = {
    "keys",
    "Create, list and revoke the API keys of the HTTP front ends",
    "Usage: ratchet keys create --name NAME [--scope read|write|admin] [--json]\n"
    "       ratchet keys list [--json]\n"
    "       ratchet keys revoke NAME|ID\n\n"
    "Keys are kept in the engine's storage as SHA-256 hashes; `create` prints the secret once\n"
    "(on stdout; with --json as {id, name, scope, key}). Clients send it as\n"
    "`Authorization: Bearer KEY` or `X-API-Key: KEY` to an http listener with `auth: api_key`.\n"
    "Scopes: read (GET routes), write (also POST/PATCH/DELETE), admin (everything). A revoked\n"
    "key stops working at once (the http plugin may accept it for up to 10 s from its cache).\n",
    keys_run,
};
