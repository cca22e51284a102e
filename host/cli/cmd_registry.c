/* host/cli/cmd_registry.c - `ratchet registry serve-index|list`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"

static int serve_index(int argc, char **argv)
{
    const char *dir = NULL, *index = NULL, *base_url = NULL;
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            index = argv[++i];
        else if (strcmp(argv[i], "--base-url") == 0 && i + 1 < argc)
            base_url = argv[++i];
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else
            return rt_usage_error("registry",
                                  "unexpected argument '%s' (usage: ratchet registry "
                                  "serve-index DIR [-o FILE] [--base-url URL])",
                                  argv[i]);
    }
    if (!dir)
        return rt_usage_error("registry", "serve-index needs the folder of tasks (usage: ratchet "
                                          "registry serve-index DIR [-o FILE] [--base-url URL])");
    ratchet_buf path = RATCHET_BUF_INIT;
    if (!index) {
        size_t n = strlen(dir);
        rt_buf_printf(&path, "%.*s/index.json", (int)(n > 1 && dir[n - 1] == '/' ? n - 1 : n), dir);
        index = path.data;
    }
    int rc = index ? rt_registry_write_index(dir, index, base_url, stdout)
                   : rt_cli_fail("out of memory");
    rt_buf_free(&path);
    return rc;
}

static int list_sources(rt_app *app, int json)
{
    int rc = rt_app_load_settings(app);
    if (rc != RT_EXIT_OK)
        return rc;
    struct json_object *list = json_object_new_array();
    char *root = rt_registry_cache_root(app);
    for (size_t i = 0; i < app->settings.nsources; i++) {
        const rt_source_spec *s = &app->settings.sources[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(s->name));
        json_object_object_add(
            o, "type", json_object_new_string(s->type == RT_SOURCE_HTTP ? "http" : "filesystem"));
        json_object_object_add(o, "uri", json_object_new_string(s->uri));
        json_object_object_add(o, "enabled", json_object_new_boolean(s->enabled));
        if (s->type == RT_SOURCE_HTTP) {
            json_object_object_add(o, "pollingIntervalMs", json_object_new_int64(s->interval_ms));
            ratchet_buf cache = RATCHET_BUF_INIT;
            rt_buf_printf(&cache, "%s/%s", root ? root : ".", s->name);
            json_object_object_add(o, "cache",
                                   json_object_new_string(cache.data ? cache.data : ""));
            rt_buf_puts(&cache, "/index.cache.json");
            struct json_object *c = cache.data ? json_object_from_file(cache.data) : NULL, *v;
            if (!json_object_object_get_ex(c, "url", &v) ||
                strcmp(json_object_get_string(v), s->uri) != 0) {
                json_object_put(c); /* the cache of another URL: not this source's */
                c = NULL;
            }
            if (c && json_object_object_get_ex(c, "fetchedAt", &v))
                json_object_object_add(o, "fetchedAt", json_object_get(v));
            if (c && json_object_object_get_ex(c, "etag", &v) && v)
                json_object_object_add(o, "etag", json_object_get(v));
            json_object_put(c);
            rt_buf_free(&cache);
        }
        json_object_array_add(list, o);
    }
    free(root);
    if (json) {
        printf("%s\n", json_object_to_json_string_ext(list, JSON_C_TO_STRING_PRETTY |
                                                                JSON_C_TO_STRING_SPACED |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
    } else if (json_object_array_length(list) == 0) {
        printf("no registry sources (registry.sources in %s)\n",
               app->settings.path ? app->settings.path : "the built-in configuration");
    } else {
        printf("%-16s %-10s %-8s %-20s %s\n", "NAME", "TYPE", "ENABLED", "LAST FETCH", "URI");
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            struct json_object *o = json_object_array_get_idx(list, i), *v;
            const char *f =
                json_object_object_get_ex(o, "fetchedAt", &v) ? json_object_get_string(v) : "-";
            printf("%-16s %-10s %-8s %-20s %s\n",
                   json_object_get_string(json_object_object_get(o, "name")),
                   json_object_get_string(json_object_object_get(o, "type")),
                   json_object_get_boolean(json_object_object_get(o, "enabled")) ? "yes" : "no", f,
                   json_object_get_string(json_object_object_get(o, "uri")));
        }
    }
    json_object_put(list);
    return RT_EXIT_OK;
}

static int registry_run(rt_app *app, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "serve-index") == 0)
        return serve_index(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0))
            return rt_usage_error("registry", "usage: ratchet registry list [--json]");
        return list_sources(app, argc == 3);
    }
    return rt_usage_error("registry",
                          argc < 2 ? "missing subcommand (serve-index or list)"
                                   : "unknown subcommand '%s' (expected serve-index "
                                     "or list)",
                          argc < 2 ? "" : argv[1]);
}

const rt_command rt_cmd_registry = {
    "registry",
    "Publish a folder of tasks as an HTTP registry, or list the registries followed",
    "Usage: ratchet registry serve-index DIR [-o FILE] [--base-url URL]\n"
    "       ratchet registry list [--json]\n\n"
    "serve-index  make DIR a task registry any static web server can host: every task in\n"
    "             DIR (folders and .zip files, found as --tasks finds them) is validated,\n"
    "             written as NAME-VERSION.zip beside the index (folders zipped, with fixed\n"
    "             times so unchanged tasks give unchanged zips) and listed with its sha256\n"
    "             and size in FILE (default DIR/index.json). URLs in the index are relative\n"
    "             to it, or --base-url URL followed by the file name. Nothing is written when\n"
    "             a task does not load or the same name and version is there twice (exit 1).\n"
    "             Serve it, e.g.: cd DIR && python3 -m http.server 8000, and follow it with\n"
    "             registry.sources: [{name: mine, type: http,\n"
    "                                 uri: http://HOST:8000/index.json}]\n"
    "list         the configured registry.sources, and when each http source's index was\n"
    "             last fetched (its cache under registry.cache_dir).\n\n"
    "`ratchet tasks sync` fetches every http source now and reports what changed; `serve`\n"
    "fetches each one at start and every polling_interval.\n",
    registry_run,
};
