/*
 * host/engine/store_revise.c - local revisions: what is stored when a task folder is edited in
 * place without a new version in its metadata.json.
 *
 * Versions are immutable (storage refuses the same name and version with other content). An
 * author editing main.js under a running server expects the next job to run the edit, not an
 * error asking for a version bump on every save. So when the folder a version was loaded from
 * now holds other content under the same version, the content is stored as the revision
 * "VERSION+rN" (N = 1, 2, ... in order of appearance): a new version, newer than VERSION and
 * than the earlier revisions in the storage's semantic order, so name lookups resolve to it.
 * Content equal to the newest revision (a restart, a save without change) is that revision;
 * content equal to an older one (an edit undone) becomes a new revision, so that the newest
 * version is always what the folder holds. Another folder claiming a stored version with other
 * content is still a conflict (the storage refuses it, asking for a new version): only a version's
 * own folder may revise it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "store.h"
#include "task/task_layer.h"

/* The revision number of `stored` as a revision of `base` ("1.0.0+r3" of "1.0.0": 3), 0 when
 * it is `base` itself, -1 when it is unrelated. */
static long revision_of(const char *stored, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(stored, base, n) != 0)
        return -1;
    if (stored[n] == '\0')
        return 0;
    if (strncmp(stored + n, "+r", 2) != 0)
        return -1;
    char *end = NULL;
    long r = strtol(stored + n + 2, &end, 10);
    return end && !*end && r > 0 ? r : -1;
}

struct json_object *rt_store_versions_index(rt_store *st)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = st->vt->task_list(st->inst, &out);
    struct json_object *tasks = rc == RATCHET_OK && out.data ? json_tokener_parse(out.data) : NULL;
    rt_buf_free(&out);
    if (!json_object_is_type(tasks, json_type_array)) {
        json_object_put(tasks);
        return NULL;
    }
    struct json_object *index = json_object_new_object();
    for (size_t i = 0; i < json_object_array_length(tasks); i++) {
        struct json_object *t = json_object_array_get_idx(tasks, i), *name, *vs;
        if (json_object_object_get_ex(t, "name", &name) &&
            json_object_object_get_ex(t, "versions", &vs) &&
            json_object_is_type(vs, json_type_array))
            json_object_object_add(index, json_object_get_string(name), json_object_get(vs));
    }
    json_object_put(tasks);
    return index;
}

int rt_store_revise(struct json_object *index, rt_task *t, const char *path, const char *checksum,
                    struct json_object *rec)
{
    struct json_object *vs = NULL;
    json_object_object_get_ex(index, t->name, &vs);
    long highest = -1;
    int own = 0;             /* a version or revision of it was loaded from `path` */
    const char *same = NULL; /* the newest revision, when it holds this content */
    for (size_t k = 0; vs && k < json_object_array_length(vs); k++) {
        struct json_object *v = json_object_array_get_idx(vs, k), *ver, *sum, *src;
        if (!json_object_object_get_ex(v, "version", &ver))
            continue;
        long r = revision_of(json_object_get_string(ver), t->version);
        if (r < 0)
            continue;
        if (json_object_object_get_ex(v, "source", &src) &&
            strcmp(json_object_get_string(src), path) == 0)
            own = 1;
        if (r > highest) {
            highest = r;
            same = json_object_object_get_ex(v, "checksum", &sum) &&
                           strcmp(json_object_get_string(sum), checksum) == 0
                       ? json_object_get_string(ver)
                       : NULL;
        }
    }
    if (!same && !own)
        return 0;
    ratchet_buf b = RATCHET_BUF_INIT;
    if (same)
        rt_buf_printf(&b, "%s", same);
    else
        rt_buf_printf(&b, "%s+r%ld", t->version, highest + 1);
    if (!b.data)
        return -1;
    free(t->version);
    t->version = b.data; /* ownership moves to t */
    json_object_object_add(rec, "version", json_object_new_string(t->version));
    return 0;
}
