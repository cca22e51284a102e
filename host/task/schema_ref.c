/*
 * host/task/schema_ref.c - "$ref" resolution: URI references (RFC 3986), the identifiers "$id"
 * declares, JSON pointer fragments (RFC 6901), and fetching other documents through the
 * caller's resolver.
 *
 * Every document is scanned once when it arrives, registering its "$id"s (resources and
 * plain-name anchors) by absolute URI. A "$ref" then resolves against the base URI of the
 * schema it is in: a plain-name fragment is looked up as is; otherwise the URI without its
 * fragment names a resource, and the fragment is a JSON pointer walked from it, applying the
 * "$id"s met on the way to the base URI. A URI nobody declared is fetched (built-in
 * meta-schema first, then the resolver) and registered under that retrieval URI.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/linkhash.h>

#include "schema_internal.h"

/* --- RFC 3986 ----------------------------------------------------------------------------- */

typedef struct uri_parts {
    const char *scheme, *auth, *path, *query, *frag;
    size_t nscheme, nauth, npath, nquery, nfrag;
    int has_scheme, has_auth, has_query, has_frag;
} uri_parts;

/* Split by the RFC 3986 appendix B expression
 * ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))? */
static void uri_split(const char *u, uri_parts *p)
{
    memset(p, 0, sizeof *p);
    size_t n = strcspn(u, ":/?#");
    if (n > 0 && u[n] == ':') {
        p->has_scheme = 1;
        p->scheme = u;
        p->nscheme = n;
        u += n + 1;
    }
    if (u[0] == '/' && u[1] == '/') {
        p->has_auth = 1;
        p->auth = u + 2;
        p->nauth = strcspn(u + 2, "/?#");
        u += 2 + p->nauth;
    }
    p->path = u;
    p->npath = strcspn(u, "?#");
    u += p->npath;
    if (*u == '?') {
        p->has_query = 1;
        p->query = u + 1;
        p->nquery = strcspn(u + 1, "#");
        u += 1 + p->nquery;
    }
    if (*u == '#') {
        p->has_frag = 1;
        p->frag = u + 1;
        p->nfrag = strlen(u + 1);
    }
}

/* RFC 3986 section 5.2.4, appending the result to out. */
static void remove_dots(ratchet_buf *out, const char *path, size_t len)
{
    char *in = malloc(len + 1);
    if (!in)
        return;
    memcpy(in, path, len);
    in[len] = '\0';
    const char *p = in;
    size_t start = out->len;
    while (*p) {
        if (strncmp(p, "../", 3) == 0) {
            p += 3;
        } else if (strncmp(p, "./", 2) == 0) {
            p += 2;
        } else if (strncmp(p, "/./", 3) == 0) {
            p += 2;
        } else if (strcmp(p, "/.") == 0) {
            p = "/";
        } else if (strncmp(p, "/../", 4) == 0 || strcmp(p, "/..") == 0) {
            p = p[3] ? p + 3 : "/";
            while (out->len > start && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > start)
                out->len--;
            out->data[out->len] = '\0';
        } else if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
            break;
        } else {
            size_t seg = 1 + strcspn(p + 1, "/");
            if (*p != '/')
                seg = strcspn(p, "/");
            rt_buf_append(out, p, seg);
            p += seg;
        }
    }
    free(in);
}

char *rt_schema_uri_resolve(const char *base, const char *ref)
{
    uri_parts b, r;
    uri_split(base ? base : "", &b);
    uri_split(ref, &r);
    ratchet_buf t = RATCHET_BUF_INIT;
    rt_buf_puts(&t, "");
    const uri_parts *auth_from = &r, *query_from = &r;
    if (r.has_scheme) {
        rt_buf_append(&t, r.scheme, r.nscheme);
        rt_buf_puts(&t, ":");
    } else if (b.has_scheme) {
        rt_buf_append(&t, b.scheme, b.nscheme);
        rt_buf_puts(&t, ":");
    }
    if (!r.has_scheme && !r.has_auth)
        auth_from = &b;
    if (auth_from->has_auth) {
        rt_buf_puts(&t, "//");
        rt_buf_append(&t, auth_from->auth, auth_from->nauth);
    }
    if (r.has_scheme || r.has_auth) {
        remove_dots(&t, r.path, r.npath);
    } else if (r.npath == 0) {
        rt_buf_append(&t, b.path, b.npath);
        if (!r.has_query)
            query_from = &b;
    } else if (r.path[0] == '/') {
        remove_dots(&t, r.path, r.npath);
    } else {
        /* Merge: the base path up to its last '/', then the reference. */
        ratchet_buf merged = RATCHET_BUF_INIT;
        rt_buf_puts(&merged, "");
        if (b.has_auth && b.npath == 0) {
            rt_buf_puts(&merged, "/");
        } else {
            size_t keep = b.npath;
            while (keep > 0 && b.path[keep - 1] != '/')
                keep--;
            rt_buf_append(&merged, b.path, keep);
        }
        rt_buf_append(&merged, r.path, r.npath);
        if (merged.data)
            remove_dots(&t, merged.data, merged.len);
        rt_buf_free(&merged);
    }
    if (query_from->has_query) {
        rt_buf_puts(&t, "?");
        rt_buf_append(&t, query_from->query, query_from->nquery);
    }
    if (r.has_frag && r.nfrag > 0) { /* an empty fragment names the same thing as none */
        rt_buf_puts(&t, "#");
        rt_buf_append(&t, r.frag, r.nfrag);
    }
    return t.data;
}

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* %XX decoding in place; malformed escapes stay as written. */
static void percent_decode(char *s)
{
    char *w = s;
    for (const char *p = s; *p; p++) {
        if (p[0] == '%' && hexdigit(p[1]) >= 0 && hexdigit(p[2]) >= 0) {
            char c = (char)(hexdigit(p[1]) * 16 + hexdigit(p[2]));
            if (c != '\0') {
                *w++ = c;
                p += 2;
                continue;
            }
        }
        *w++ = *p;
    }
    *w = '\0';
}

int rt_schema_draft_of(const char *uri)
{
    static const char *const names[] = {"draft-04", "draft-06", "draft-07"};
    static const int drafts[] = {4, 6, 7};
    const char *p = strncmp(uri, "http://", 7) == 0    ? uri + 7
                    : strncmp(uri, "https://", 8) == 0 ? uri + 8
                                                       : NULL;
    if (!p || strncmp(p, "json-schema.org/", 16) != 0)
        return 0;
    p += 16;
    for (size_t i = 0; i < 3; i++) {
        if (strncmp(p, names[i], 8) == 0 &&
            (strcmp(p + 8, "/schema") == 0 || strcmp(p + 8, "/schema#") == 0))
            return drafts[i];
    }
    return 0;
}

/* --- identifiers ------------------------------------------------------------------------ */

const char *rt_schema_id_of(int draft, struct json_object *obj)
{
    struct json_object *id, *ref;
    if (!json_object_is_type(obj, json_type_object))
        return NULL;
    /* "All other properties in a "$ref" object MUST be ignored", "$id" included. */
    if (json_object_object_get_ex(obj, "$ref", &ref) && json_object_is_type(ref, json_type_string))
        return NULL;
    if (!json_object_object_get_ex(obj, draft == 4 ? "id" : "$id", &id) ||
        !json_object_is_type(id, json_type_string))
        return NULL;
    return json_object_get_string(id);
}

const char *rt_schema_scope_of(rt_schema_cc *cc, int draft, const char *base,
                               struct json_object *obj)
{
    const char *id = rt_schema_id_of(draft, obj);
    if (!id || id[0] == '#' || id[0] == '\0') /* a plain-name anchor keeps the base */
        return base;
    char *full = rt_schema_uri_resolve(base, id);
    if (!full)
        return NULL;
    char *hash = strchr(full, '#');
    const char *scope = rt_schema_strndup(cc->s, full, hash ? (size_t)(hash - full) : strlen(full));
    free(full);
    return scope;
}

static rt_schema_res *index_find(rt_schema_cc *cc, const char *uri)
{
    void *v = NULL;
    return lh_table_lookup_ex(cc->index, uri, &v) ? v : NULL;
}

static int index_add(rt_schema_cc *cc, const char *uri, struct json_object *obj, const char *scope,
                     const char *where, int draft)
{
    rt_schema_res *old = index_find(cc, uri);
    if (old) {
        if (old->obj == obj)
            return 1;
        return rt_schema_cc_fail(cc, where, "identifier \"%s\" is also declared at %s", uri,
                                 rt_schema_pointer_display(old->where));
    }
    rt_schema_res *res = rt_schema_alloc(cc->s, sizeof *res);
    char *key = rt_schema_strdup(cc->s, uri);
    if (!res || !key || lh_table_insert(cc->index, key, res) != 0)
        return rt_schema_cc_fail(cc, where, "out of memory");
    res->obj = obj;
    res->scope = scope;
    res->where = where;
    res->draft = draft;
    return 1;
}

/* Register the identifiers in a schema and its subschemas. scope is the base URI around obj. */
static int scan(rt_schema_cc *cc, struct json_object *obj, const char *scope, const char *where,
                int draft, int depth)
{
    if (!json_object_is_type(obj, json_type_object))
        return 1;
    if (depth > RT_SCHEMA_MAX_DEPTH)
        return rt_schema_cc_fail(cc, where, "schema too deeply nested (more than %d levels)",
                                 RT_SCHEMA_MAX_DEPTH);
    const char *inner = rt_schema_scope_of(cc, draft, scope, obj);
    if (!inner)
        return rt_schema_cc_fail(cc, where, "out of memory");
    const char *id = rt_schema_id_of(draft, obj);
    if (id) {
        char *full = rt_schema_uri_resolve(scope, id);
        if (!full)
            return rt_schema_cc_fail(cc, where, "out of memory");
        char *hash = strchr(full, '#');
        int ok = 1;
        if (hash && hash[1] == '/')
            ok = rt_schema_cc_fail(cc, rt_schema_where_child(cc, where, draft == 4 ? "id" : "$id"),
                                   "\"%s\" must not have a JSON pointer fragment", id);
        else if (hash)
            ok = index_add(cc, full, obj, inner, where, draft);
        if (ok && id[0] != '#')
            ok = index_add(cc, inner, obj, inner, where, draft);
        free(full);
        if (!ok)
            return 0;
    }
    json_object_object_foreach(obj, key, val)
    {
        int kind = rt_schema_keyword_kind(draft, key);
        if (kind == RT_SCHEMA_KW_OTHER)
            continue;
        const char *w = rt_schema_where_child(cc, where, key);
        if (!w)
            return rt_schema_cc_fail(cc, where, "out of memory");
        if (kind == RT_SCHEMA_KW_SCHEMA ||
            (kind == RT_SCHEMA_KW_ITEMS && !json_object_is_type(val, json_type_array))) {
            if (!scan(cc, val, inner, w, draft, depth + 1))
                return 0;
        } else if (kind == RT_SCHEMA_KW_ARRAY || kind == RT_SCHEMA_KW_ITEMS) {
            size_t n =
                json_object_is_type(val, json_type_array) ? json_object_array_length(val) : 0;
            for (size_t i = 0; i < n; i++)
                if (!scan(cc, json_object_array_get_idx(val, i), inner,
                          rt_schema_where_index(cc, w, i), draft, depth + 1))
                    return 0;
        } else if (json_object_is_type(val, json_type_object)) { /* MAP, DEPS */
            json_object_object_foreach(val, name, sub)
            {
                if (!scan(cc, sub, inner, rt_schema_where_child(cc, w, name), draft, depth + 1))
                    return 0;
            }
        }
    }
    return 1;
}

/* The draft a document declares, or dflt when it declares none; 0 (after failing) when it
 * declares one this validator does not implement. */
static int doc_draft(rt_schema_cc *cc, struct json_object *doc, const char *where, int dflt)
{
    struct json_object *sv;
    if (!json_object_is_type(doc, json_type_object) ||
        !json_object_object_get_ex(doc, "$schema", &sv))
        return dflt;
    if (!json_object_is_type(sv, json_type_string))
        return rt_schema_cc_fail(cc, rt_schema_where_child(cc, where, "$schema"),
                                 "$schema must be a string (a meta-schema URI)");
    int d = rt_schema_draft_of(json_object_get_string(sv));
    if (!d)
        return rt_schema_cc_fail(
            cc, rt_schema_where_child(cc, where, "$schema"),
            "unsupported $schema \"%s\": this validator implements draft-07 "
            "(and draft-06, draft-04: http://json-schema.org/draft-07/schema#)",
            json_object_get_string(sv));
    return d;
}

static int add_doc(rt_schema_cc *cc, struct json_object *doc, const char *uri, const char *where,
                   int draft)
{
    const char *scope = rt_schema_scope_of(cc, draft, uri, doc);
    if (!scope)
        return rt_schema_cc_fail(cc, where, "out of memory");
    return index_add(cc, uri, doc, scope, where, draft) && scan(cc, doc, uri, where, draft, 0);
}

int rt_schema_ref_add_main(rt_schema_cc *cc, struct json_object *doc, const char *doc_uri)
{
    int draft = doc_draft(cc, doc, "", 7);
    if (!draft)
        return 0;
    cc->draft = draft;
    return add_doc(cc, doc, doc_uri, "", draft);
}

/* Fetch the document at uri (no fragment) and register it. Returns 0 when there is none (no
 * failure recorded) or after recording a failure (cc->failed). */
static int load_doc(rt_schema_cc *cc, const char *uri)
{
    struct json_object *doc = NULL;
    int meta = rt_schema_draft_of(uri);
    if (meta)
        doc = rt_schema_meta_parse(meta);
    else if (cc->resolver)
        doc = cc->resolver(cc->rdata, uri);
    if (!doc)
        return 0;
    rt_schema *s = cc->s;
    if (s->ndocs == s->capdocs) {
        size_t cap = s->capdocs ? s->capdocs * 2 : 4;
        struct json_object **docs = realloc(s->docs, cap * sizeof *docs);
        if (!docs) {
            json_object_put(doc);
            return rt_schema_cc_fail(cc, uri, "out of memory");
        }
        s->docs = docs;
        s->capdocs = cap;
    }
    s->docs[s->ndocs++] = doc;
    uri = rt_schema_strdup(s, uri); /* the caller's copy is temporary; scopes point at this */
    if (!uri)
        return rt_schema_cc_fail(cc, NULL, "out of memory");
    ratchet_buf w = RATCHET_BUF_INIT;
    rt_buf_printf(&w, "%s#", uri);
    const char *where = w.data ? rt_schema_strdup(s, w.data) : NULL;
    rt_buf_free(&w);
    if (!where)
        return rt_schema_cc_fail(cc, uri, "out of memory");
    int draft = doc_draft(cc, doc, where, cc->draft);
    return draft && add_doc(cc, doc, uri, where, draft);
}

/* --- JSON pointers ---------------------------------------------------------------------- */

typedef struct walk {
    struct json_object *obj;
    const char *scope, *where;
    int draft;
} walk;

/* Unescape one reference token (~1 is '/', ~0 is '~') in place; 0 for a bad escape. */
static int unescape_token(char *t)
{
    char *w = t;
    for (const char *p = t; *p; p++) {
        if (*p == '~') {
            if (p[1] != '0' && p[1] != '1')
                return 0;
            *w++ = p[1] == '0' ? '~' : '/';
            p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return 1;
}

/* Follow the pointer ptr (decoded, "" or starting with '/') from wk->obj. */
static int walk_pointer(rt_schema_cc *cc, walk *wk, char *ptr, const char *ref, const char *where)
{
    enum { POS_SCHEMA, POS_CONTAINER, POS_OTHER } pos = POS_SCHEMA;
    char *p = ptr;
    while (*p == '/') {
        char *tok = p + 1;
        char *end = strchr(tok, '/');
        char saved = end ? *end : '\0';
        if (end)
            *end = '\0';
        if (!unescape_token(tok))
            return rt_schema_cc_fail(cc, where,
                                     "cannot resolve \"%s\": bad ~ escape in the pointer", ref);
        struct json_object *next = NULL;
        int found = 0;
        if (json_object_is_type(wk->obj, json_type_object)) {
            found = json_object_object_get_ex(wk->obj, tok, &next);
        } else if (json_object_is_type(wk->obj, json_type_array)) {
            char *e = NULL;
            unsigned long i = strtoul(tok, &e, 10);
            found = tok[0] >= '0' && tok[0] <= '9' && *e == '\0' &&
                    (tok[0] != '0' || tok[1] == '\0') && i < json_object_array_length(wk->obj);
            if (found)
                next = json_object_array_get_idx(wk->obj, (size_t)i);
        }
        if (!found)
            return rt_schema_cc_fail(cc, where, "cannot resolve \"%s\": no \"%s\" in %s", ref, tok,
                                     rt_schema_pointer_display(wk->where));
        int kind = pos == POS_SCHEMA ? rt_schema_keyword_kind(wk->draft, tok) : RT_SCHEMA_KW_OTHER;
        if (pos == POS_CONTAINER)
            pos = POS_SCHEMA;
        else if (pos == POS_SCHEMA && kind == RT_SCHEMA_KW_SCHEMA)
            pos = POS_SCHEMA;
        else if (pos == POS_SCHEMA && kind == RT_SCHEMA_KW_ITEMS)
            pos = json_object_is_type(next, json_type_array) ? POS_CONTAINER : POS_SCHEMA;
        else if (pos == POS_SCHEMA && kind != RT_SCHEMA_KW_OTHER)
            pos = POS_CONTAINER;
        else
            pos = POS_OTHER;
        wk->where = rt_schema_where_child(cc, wk->where, tok);
        if (pos == POS_SCHEMA)
            wk->scope = rt_schema_scope_of(cc, wk->draft, wk->scope, next);
        if (!wk->where || !wk->scope)
            return rt_schema_cc_fail(cc, where, "out of memory");
        wk->obj = next;
        if (end)
            *end = saved;
        p = end ? end : tok + strlen(tok);
    }
    if (pos != POS_SCHEMA) /* reached through an unknown keyword: still used as a schema */
        wk->scope = rt_schema_scope_of(cc, wk->draft, wk->scope, wk->obj);
    return wk->scope ? 1 : rt_schema_cc_fail(cc, where, "out of memory");
}

/* --- "$ref" ------------------------------------------------------------------------------ */

static int lookup(rt_schema_cc *cc, walk *wk, const char *ref, const char *uri, const char *where)
{
    char *hash = strchr(uri, '#');
    char *nofrag = strndup(uri, hash ? (size_t)(hash - uri) : strlen(uri));
    char *frag = strdup(hash ? hash + 1 : "");
    int ok = 0;
    if (!nofrag || !frag) {
        ok = rt_schema_cc_fail(cc, where, "out of memory");
        goto out;
    }
    int plain_name = frag[0] != '\0' && frag[0] != '/';
    rt_schema_res *res = index_find(cc, plain_name ? uri : nofrag);
    if (!res && !index_find(cc, nofrag)) {
        if (!load_doc(cc, nofrag)) {
            if (!cc->failed)
                rt_schema_cc_fail(cc, where, "cannot resolve \"%s\": no document at %s%s", ref,
                                  nofrag[0] ? nofrag : "(this document)",
                                  cc->resolver ? "" : " (no resolver)");
            goto out;
        }
        res = index_find(cc, plain_name ? uri : nofrag);
    }
    if (!res) {
        rt_schema_cc_fail(cc, where, "cannot resolve \"%s\": %s declares no \"$id\": \"#%s\"", ref,
                          nofrag[0] ? nofrag : "the document", frag);
        goto out;
    }
    wk->obj = res->obj;
    wk->scope = res->scope;
    wk->where = res->where;
    wk->draft = res->draft;
    if (plain_name) {
        ok = 1;
        goto out;
    }
    percent_decode(frag);
    ok = walk_pointer(cc, wk, frag, ref, where);
out:
    free(nofrag);
    free(frag);
    return ok;
}

rt_schema_node *rt_schema_ref_resolve(rt_schema_cc *cc, const char *ref, const char *base,
                                      const char *where)
{
    char *uri = rt_schema_uri_resolve(base, ref);
    if (!uri) {
        rt_schema_cc_fail(cc, where, "out of memory");
        return NULL;
    }
    walk wk = {NULL, NULL, NULL, 7};
    rt_schema_node *n = NULL;
    if (lookup(cc, &wk, ref, uri, where)) {
        if (!json_object_is_type(wk.obj, json_type_object) &&
            !(wk.draft > 4 && json_object_is_type(wk.obj, json_type_boolean)))
            rt_schema_cc_fail(cc, where, "cannot resolve \"%s\": %s is %s, not a schema", ref,
                              rt_schema_pointer_display(wk.where), rt_schema_type_name(wk.obj));
        else
            n = rt_schema_node_get(cc, wk.obj, wk.scope, wk.where, wk.draft);
    }
    free(uri);
    return n;
}
