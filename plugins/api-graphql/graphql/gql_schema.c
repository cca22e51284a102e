/*
 * gql_schema.c - a schema built from SDL (specification section 3, Type System): the builtins
 * (gql_builtin.c) and the schema's own definitions, type references resolved, root operation
 * types found, interface implementations checked, @deprecated / @specifiedBy / @oneOf read.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

static const char *const loc_names[GQL_LOC_COUNT] = {"QUERY",
                                                     "MUTATION",
                                                     "SUBSCRIPTION",
                                                     "FIELD",
                                                     "FRAGMENT_DEFINITION",
                                                     "FRAGMENT_SPREAD",
                                                     "INLINE_FRAGMENT",
                                                     "VARIABLE_DEFINITION",
                                                     "SCHEMA",
                                                     "SCALAR",
                                                     "OBJECT",
                                                     "FIELD_DEFINITION",
                                                     "ARGUMENT_DEFINITION",
                                                     "INTERFACE",
                                                     "UNION",
                                                     "ENUM",
                                                     "ENUM_VALUE",
                                                     "INPUT_OBJECT",
                                                     "INPUT_FIELD_DEFINITION",
                                                     "DIRECTIVE_DEFINITION"};

const char *gql_dir_loc_name(gql_dir_loc loc)
{
    return loc < GQL_LOC_COUNT ? loc_names[loc] : "?";
}

/* ---- lookups ------------------------------------------------------------------------------- */

static size_t hash_name(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

const gql_type *gql_schema_type(const gql_schema *s, const char *name)
{
    if (!s->nbuckets || !name)
        return NULL;
    for (size_t i = hash_name(name) & (s->nbuckets - 1);; i = (i + 1) & (s->nbuckets - 1)) {
        gql_type *t = s->buckets[i];
        if (!t)
            return NULL;
        if (strcmp(t->name, name) == 0)
            return t;
    }
}

const gql_field *gql_type_field(const gql_type *t, const char *name)
{
    for (size_t i = 0; t && i < t->nfields; i++)
        if (strcmp(t->fields[i].name, name) == 0)
            return &t->fields[i];
    return NULL;
}

const gql_input_value *gql_type_input_field(const gql_type *t, const char *name)
{
    for (size_t i = 0; t && i < t->ninput_fields; i++)
        if (strcmp(t->input_fields[i].name, name) == 0)
            return &t->input_fields[i];
    return NULL;
}

const gql_directive *gql_schema_directive(const gql_schema *s, const char *name)
{
    for (size_t i = 0; i < s->ndirectives; i++)
        if (strcmp(s->directives[i]->name, name) == 0)
            return s->directives[i];
    return NULL;
}

const gql_field *gql_field_def(const gql_schema *s, const gql_type *t, const char *name)
{
    if (!t)
        return NULL;
    if (name[0] == '_' && name[1] == '_') {
        if (strcmp(name, "__typename") == 0 && gql_is_composite(t))
            return &s->meta[2];
        if (t == s->query && strcmp(name, "__schema") == 0)
            return &s->meta[0];
        if (t == s->query && strcmp(name, "__type") == 0)
            return &s->meta[1];
    }
    if (t->kind != GQL_K_OBJECT && t->kind != GQL_K_INTERFACE)
        return NULL;
    return gql_type_field(t, name);
}

const gql_type *gql_named(const gql_type *t)
{
    while (t && (t->kind == GQL_K_LIST || t->kind == GQL_K_NON_NULL))
        t = t->of_type;
    return t;
}

int gql_is_input_type(const gql_type *t)
{
    t = gql_named(t);
    return t && (t->kind == GQL_K_SCALAR || t->kind == GQL_K_ENUM || t->kind == GQL_K_INPUT_OBJECT);
}

int gql_is_output_type(const gql_type *t)
{
    t = gql_named(t);
    return t && t->kind != GQL_K_INPUT_OBJECT;
}

int gql_is_leaf(const gql_type *t)
{
    return t && (t->kind == GQL_K_SCALAR || t->kind == GQL_K_ENUM);
}

int gql_is_composite(const gql_type *t)
{
    return t && (t->kind == GQL_K_OBJECT || t->kind == GQL_K_INTERFACE || t->kind == GQL_K_UNION);
}

int gql_is_abstract(const gql_type *t)
{
    return t && (t->kind == GQL_K_INTERFACE || t->kind == GQL_K_UNION);
}

int gql_is_possible(const gql_type *abstract, const gql_type *obj)
{
    if (abstract == obj)
        return 1;
    for (size_t i = 0; i < abstract->npossible; i++)
        if (abstract->possible[i] == obj)
            return 1;
    return 0;
}

static void type_str_append(const gql_type *t, char *buf, size_t size, size_t *pos)
{
    const char *pre = t && t->kind == GQL_K_LIST ? "[" : "";
    const char *name = !t ? "?" : t->name ? t->name : "";
    size_t n = strlen(pre) + strlen(name);
    if (*pos + n < size) {
        memcpy(buf + *pos, pre, strlen(pre));
        memcpy(buf + *pos + strlen(pre), name, strlen(name));
        *pos += n;
    }
    if (t && (t->kind == GQL_K_LIST || t->kind == GQL_K_NON_NULL))
        type_str_append(t->of_type, buf, size, pos);
    const char *post = !t ? "" : t->kind == GQL_K_LIST ? "]" : t->kind == GQL_K_NON_NULL ? "!" : "";
    if (*post && *pos + 1 < size)
        buf[(*pos)++] = *post;
    buf[*pos] = '\0';
}

const char *gql_type_str(const gql_type *t, char *buf, size_t size)
{
    size_t pos = 0;
    buf[0] = '\0';
    type_str_append(t, buf, size, &pos);
    return buf;
}

gql_type *gql_list_of(gql_arena *a, gql_type *t)
{
    if (!t->list_of) {
        gql_type *l = gql_arena_alloc(a, sizeof *l);
        if (!l)
            return NULL;
        l->kind = GQL_K_LIST;
        l->of_type = t;
        t->list_of = l;
    }
    return t->list_of;
}

gql_type *gql_nonnull_of(gql_arena *a, gql_type *t)
{
    if (!t->nonnull_of) {
        gql_type *l = gql_arena_alloc(a, sizeof *l);
        if (!l)
            return NULL;
        l->kind = GQL_K_NON_NULL;
        l->of_type = t;
        t->nonnull_of = l;
    }
    return t->nonnull_of;
}

/* Wrappers are made in the schema's arena, shared by every document: a type reference in a
 * request names at most a few levels, each made once per named type, so this does not grow
 * with requests. It is the one write to a shared schema after building; documents are
 * validated on many threads, so it is guarded. */
#include <pthread.h>
static pthread_mutex_t wrap_lock = PTHREAD_MUTEX_INITIALIZER;

gql_type *gql_type_from_ast(const gql_schema *s, const gql_node *t)
{
    if (!t)
        return NULL;
    if (t->kind == GQL_NAMED_TYPE)
        return (gql_type *)gql_schema_type(s, t->name);
    gql_type *in = gql_type_from_ast(s, t->type);
    if (!in)
        return NULL;
    pthread_mutex_lock(&wrap_lock);
    gql_type *r =
        t->kind == GQL_LIST_TYPE ? gql_list_of(s->arena, in) : gql_nonnull_of(s->arena, in);
    pthread_mutex_unlock(&wrap_lock);
    return r;
}

/* ---- building ------------------------------------------------------------------------------ */

typedef struct builder {
    gql_schema *s;
    char *err;
    size_t errsize;
    int failed;
} builder;

static int berr(builder *b, const gql_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int berr(builder *b, const gql_node *at, const char *fmt, ...)
{
    if (b->failed)
        return -1;
    b->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    int n = at ? snprintf(b->err, b->errsize, "%u:%u: ", at->line, at->col) : 0;
    if (n < 0 || (size_t)n >= b->errsize)
        n = 0;
    vsnprintf(b->err + n, b->errsize - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int add_type(builder *b, gql_type *t, const gql_node *at)
{
    gql_schema *s = b->s;
    if (gql_schema_type(s, t->name))
        return berr(b, at, "There can be only one type named \"%s\".", t->name);
    if ((s->ntypes + 1) * 2 > s->nbuckets) {
        size_t nb = s->nbuckets ? s->nbuckets * 2 : 64;
        gql_type **bk = gql_arena_alloc(s->arena, nb * sizeof *bk);
        gql_type **ty = gql_arena_alloc(s->arena, nb * sizeof *ty);
        if (!bk || !ty)
            return berr(b, at, "out of memory");
        for (size_t i = 0; i < s->ntypes; i++) {
            ty[i] = s->types[i];
            size_t h = hash_name(ty[i]->name) & (nb - 1);
            while (bk[h])
                h = (h + 1) & (nb - 1);
            bk[h] = ty[i];
        }
        s->buckets = bk;
        s->types = ty;
        s->nbuckets = nb;
    }
    size_t h = hash_name(t->name) & (s->nbuckets - 1);
    while (s->buckets[h])
        h = (h + 1) & (s->nbuckets - 1);
    s->buckets[h] = t;
    s->types[s->ntypes++] = t;
    return 0;
}

static gql_type *resolve_ref(builder *b, const gql_node *ref, int builtin)
{
    const gql_node *n = ref;
    while (n->kind != GQL_NAMED_TYPE)
        n = n->type;
    gql_type *named = (gql_type *)gql_schema_type(b->s, n->name);
    if (!named) {
        berr(b, n, "Unknown type \"%s\".", n->name);
        return NULL;
    }
    if (!builtin)
        named->used = 1;
    gql_type *t = gql_type_from_ast(b->s, ref);
    if (!t)
        berr(b, ref, "out of memory");
    return t;
}

static const gql_node *find_dir(const gql_node *dirs, const char *name)
{
    for (const gql_node *d = dirs; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static const gql_node *find_arg(const gql_node *args, const char *name)
{
    for (const gql_node *a = args; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a->value;
    return NULL;
}

/* The reason of @deprecated, or NULL when not deprecated. */
static const char *deprecation(builder *b, const gql_node *dirs)
{
    const gql_node *d = find_dir(dirs, "deprecated");
    if (!d)
        return NULL;
    const gql_node *r = find_arg(d->args, "reason");
    if (r && r->kind == GQL_STRING)
        return r->text;
    if (r && r->kind != GQL_NULL) {
        berr(b, r, "@deprecated(reason:) must be a string.");
        return NULL;
    }
    return "No longer supported";
}

static size_t count(const gql_node *n)
{
    size_t c = 0;
    for (; n; n = n->next)
        c++;
    return c;
}

static int build_input_values(builder *b, const gql_node *defs, gql_input_value **out, size_t *n,
                              int builtin, const char *owner)
{
    *n = count(defs);
    if (*n == 0)
        return 0;
    gql_input_value *v = gql_arena_alloc(b->s->arena, *n * sizeof *v);
    if (!v)
        return berr(b, defs, "out of memory");
    size_t i = 0;
    for (const gql_node *d = defs; d; d = d->next, i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[j].name, d->name) == 0)
                return berr(b, d, "%s has more than one \"%s\".", owner, d->name);
        v[i].name = d->name;
        v[i].description = d->text;
        v[i].default_value = d->value;
        v[i].deprecation = deprecation(b, d->dirs);
        if (!(v[i].type = resolve_ref(b, d->type, builtin)))
            return -1;
        if (!gql_is_input_type(v[i].type))
            return berr(b, d, "The type of %s.%s must be an input type.", owner, d->name);
    }
    *out = v;
    return 0;
}

static int build_fields(builder *b, gql_type *t, const gql_node *def)
{
    t->nfields = count(def->sel);
    if (t->nfields == 0)
        return berr(b, def, "Type %s must define one or more fields.", t->name);
    t->fields = gql_arena_alloc(b->s->arena, t->nfields * sizeof *t->fields);
    if (!t->fields)
        return berr(b, def, "out of memory");
    size_t i = 0;
    for (const gql_node *f = def->sel; f; f = f->next, i++) {
        gql_field *fd = &t->fields[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->fields[j].name, f->name) == 0)
                return berr(b, f, "Field \"%s.%s\" can only be defined once.", t->name, f->name);
        fd->name = f->name;
        fd->description = f->text;
        fd->deprecation = deprecation(b, f->dirs);
        if (!(fd->type = resolve_ref(b, f->type, t->builtin)))
            return -1;
        if (!gql_is_output_type(fd->type))
            return berr(b, f, "The type of %s.%s must be Output Type.", t->name, f->name);
        char owner[256];
        snprintf(owner, sizeof owner, "%s.%s", t->name, f->name);
        if (build_input_values(b, f->args, &fd->args, &fd->nargs, t->builtin, owner) < 0)
            return -1;
    }
    return 0;
}

static int build_refs(builder *b, const gql_node *refs, gql_type ***out, size_t *n,
                      gql_type_kind want, const char *what)
{
    *n = count(refs);
    if (*n == 0)
        return 0;
    *out = gql_arena_alloc(b->s->arena, *n * sizeof **out);
    if (!*out)
        return berr(b, refs, "out of memory");
    size_t i = 0;
    for (const gql_node *r = refs; r; r = r->next, i++) {
        gql_type *t = (gql_type *)gql_schema_type(b->s, r->name);
        if (!t)
            return berr(b, r, "Unknown type \"%s\".", r->name);
        if (t->kind != want)
            return berr(b, r, "%s \"%s\" is not an %s type.", what, r->name,
                        want == GQL_K_OBJECT ? "object" : "interface");
        t->used = 1;
        (*out)[i] = t;
    }
    return 0;
}

static int add_possible(builder *b, gql_type *iface, gql_type *obj)
{
    for (size_t i = 0; i < iface->npossible; i++)
        if (iface->possible[i] == obj)
            return 0;
    gql_type **p = gql_arena_alloc(b->s->arena, (iface->npossible + 1) * sizeof *p);
    if (!p)
        return berr(b, NULL, "out of memory");
    if (iface->npossible)
        memcpy(p, iface->possible, iface->npossible * sizeof *p);
    p[iface->npossible++] = obj;
    iface->possible = p;
    return 0;
}

/* A field type is a valid implementation of the interface's field type (covariant). */
static int subtype(const gql_type *sub, const gql_type *super)
{
    if (sub == super)
        return 1;
    if (super->kind == GQL_K_NON_NULL)
        return sub->kind == GQL_K_NON_NULL && subtype(sub->of_type, super->of_type);
    if (sub->kind == GQL_K_NON_NULL)
        return subtype(sub->of_type, super);
    if (super->kind == GQL_K_LIST)
        return sub->kind == GQL_K_LIST && subtype(sub->of_type, super->of_type);
    if (sub->kind == GQL_K_LIST)
        return 0;
    return gql_is_abstract(super) && sub->kind == GQL_K_OBJECT && gql_is_possible(super, sub);
}

static int check_implementations(builder *b, gql_type *t, const gql_node *def)
{
    for (size_t i = 0; i < t->ninterfaces; i++) {
        gql_type *in = t->interfaces[i];
        for (size_t k = 0; k < in->nfields; k++) {
            const gql_field *want = &in->fields[k];
            const gql_field *got = gql_type_field(t, want->name);
            if (!got)
                return berr(b, def, "Interface field %s.%s expected but %s does not provide it.",
                            in->name, want->name, t->name);
            if (!subtype(got->type, want->type))
                return berr(b, def, "Interface field %s.%s expects a compatible type in %s.%s.",
                            in->name, want->name, t->name, got->name);
        }
    }
    return 0;
}

static int build(builder *b, const gql_doc *docs[2])
{
    gql_schema *s = b->s;
    /* pass 1: named types */
    for (int d = 0; d < 2; d++) {
        for (const gql_node *n = docs[d]->defs; n; n = n->next) {
            gql_type_kind k;
            switch (n->kind) {
            case GQL_SCALAR_DEF:
                k = GQL_K_SCALAR;
                break;
            case GQL_OBJECT_DEF:
                k = GQL_K_OBJECT;
                break;
            case GQL_INTERFACE_DEF:
                k = GQL_K_INTERFACE;
                break;
            case GQL_UNION_DEF:
                k = GQL_K_UNION;
                break;
            case GQL_ENUM_DEF:
                k = GQL_K_ENUM;
                break;
            case GQL_INPUT_DEF:
                k = GQL_K_INPUT_OBJECT;
                break;
            case GQL_SCHEMA_DEF:
            case GQL_DIRECTIVE_DEF:
                if (n->kind == GQL_SCHEMA_DEF && (n->flag & GQL_EXTENSION))
                    return berr(b, n, "Type system extensions are not supported.");
                continue;
            default:
                return berr(b, n, "The schema may hold only type system definitions.");
            }
            if (n->flag & GQL_EXTENSION)
                return berr(b, n, "Type system extensions are not supported.");
            if (d == 1 && n->name[0] == '_' && n->name[1] == '_')
                return berr(b, n,
                            "Name \"%s\" must not begin with \"__\", which is reserved by "
                            "GraphQL introspection.",
                            n->name);
            gql_type *t = gql_arena_alloc(s->arena, sizeof *t);
            if (!t)
                return berr(b, n, "out of memory");
            t->kind = k;
            t->name = n->name;
            t->description = n->text;
            t->builtin = d == 0;
            if (add_type(b, t, n) < 0)
                return -1;
        }
    }
    /* pass 2: members */
    for (int d = 0; d < 2; d++) {
        for (const gql_node *n = docs[d]->defs; n; n = n->next) {
            if (n->kind == GQL_SCHEMA_DEF || n->kind == GQL_DIRECTIVE_DEF)
                continue;
            gql_type *t = (gql_type *)gql_schema_type(s, n->name);
            switch (n->kind) {
            case GQL_SCALAR_DEF: {
                const gql_node *sb = find_dir(n->dirs, "specifiedBy");
                if (sb) {
                    const gql_node *u = find_arg(sb->args, "url");
                    if (!u || u->kind != GQL_STRING)
                        return berr(b, sb, "@specifiedBy needs a url string.");
                    t->specified_by = u->text;
                }
                break;
            }
            case GQL_OBJECT_DEF:
            case GQL_INTERFACE_DEF:
                if (build_fields(b, t, n) < 0 ||
                    build_refs(b, n->refs, &t->interfaces, &t->ninterfaces, GQL_K_INTERFACE,
                               "Type") < 0)
                    return -1;
                break;
            case GQL_UNION_DEF:
                if (build_refs(b, n->refs, &t->possible, &t->npossible, GQL_K_OBJECT,
                               "Union member") < 0)
                    return -1;
                if (t->npossible == 0)
                    return berr(b, n, "Union type %s must define one or more member types.",
                                t->name);
                break;
            case GQL_ENUM_DEF: {
                t->nvalues = count(n->sel);
                if (t->nvalues == 0)
                    return berr(b, n, "Enum type %s must define one or more values.", t->name);
                t->values = gql_arena_alloc(s->arena, t->nvalues * sizeof *t->values);
                if (!t->values)
                    return berr(b, n, "out of memory");
                size_t i = 0;
                for (const gql_node *v = n->sel; v; v = v->next, i++) {
                    for (size_t j = 0; j < i; j++)
                        if (strcmp(t->values[j].name, v->name) == 0)
                            return berr(b, v, "Enum value \"%s.%s\" can only be defined once.",
                                        t->name, v->name);
                    t->values[i].name = v->name;
                    t->values[i].description = v->text;
                    t->values[i].deprecation = deprecation(b, v->dirs);
                }
                break;
            }
            case GQL_INPUT_DEF:
                t->one_of = find_dir(n->dirs, "oneOf") != NULL;
                if (!n->sel)
                    return berr(b, n, "Input Object type %s must define one or more fields.",
                                t->name);
                if (build_input_values(b, n->sel, &t->input_fields, &t->ninput_fields, t->builtin,
                                       t->name) < 0)
                    return -1;
                break;
            default:
                break;
            }
            if (b->failed)
                return -1;
        }
    }
    /* interfaces know their implementations */
    for (size_t i = 0; i < s->ntypes; i++) {
        gql_type *t = s->types[i];
        for (size_t k = 0; t->kind == GQL_K_OBJECT && k < t->ninterfaces; k++)
            if (add_possible(b, t->interfaces[k], t) < 0)
                return -1;
    }
    for (int d = 0; d < 2; d++)
        for (const gql_node *n = docs[d]->defs; n; n = n->next)
            if ((n->kind == GQL_OBJECT_DEF || n->kind == GQL_INTERFACE_DEF) &&
                check_implementations(b, (gql_type *)gql_schema_type(s, n->name), n) < 0)
                return -1;
    /* directives */
    size_t nd = 0;
    for (int d = 0; d < 2; d++)
        for (const gql_node *n = docs[d]->defs; n; n = n->next)
            nd += n->kind == GQL_DIRECTIVE_DEF;
    s->directives = gql_arena_alloc(s->arena, (nd + 1) * sizeof *s->directives);
    if (!s->directives)
        return berr(b, NULL, "out of memory");
    for (int d = 0; d < 2; d++) {
        for (const gql_node *n = docs[d]->defs; n; n = n->next) {
            if (n->kind != GQL_DIRECTIVE_DEF)
                continue;
            if (gql_schema_directive(s, n->name))
                return berr(b, n, "There can be only one directive named \"@%s\".", n->name);
            gql_directive *dir = gql_arena_alloc(s->arena, sizeof *dir);
            if (!dir)
                return berr(b, n, "out of memory");
            dir->name = n->name;
            dir->description = n->text;
            dir->repeatable = n->flag;
            dir->builtin = d == 0;
            for (const gql_node *l = n->refs; l; l = l->next) {
                if (!(dir->locations & (1u << l->flag)) && dir->norder < GQL_LOC_COUNT_MAX)
                    dir->order[dir->norder++] = (uint8_t)l->flag;
                dir->locations |= 1u << l->flag;
            }
            char owner[256];
            snprintf(owner, sizeof owner, "@%s", n->name);
            if (build_input_values(b, n->args, &dir->args, &dir->nargs, d == 0, owner) < 0)
                return -1;
            s->directives[s->ndirectives++] = dir;
        }
    }
    /* root operation types */
    const gql_node *sd = NULL;
    for (const gql_node *n = docs[1]->defs; n; n = n->next) {
        if (n->kind != GQL_SCHEMA_DEF)
            continue;
        if (sd)
            return berr(b, n, "Must provide only one schema definition.");
        sd = n;
    }
    if (sd) {
        s->description = sd->text;
        for (const gql_node *o = sd->sel; o; o = o->next) {
            gql_type *t = (gql_type *)gql_schema_type(s, o->type->name);
            if (!t)
                return berr(b, o->type, "Unknown type \"%s\".", o->type->name);
            if (t->kind != GQL_K_OBJECT)
                return berr(b, o->type, "Root type %s must be an object type.", t->name);
            gql_type **slot = o->flag == GQL_QUERY      ? &s->query
                              : o->flag == GQL_MUTATION ? &s->mutation
                                                        : &s->subscription;
            if (*slot)
                return berr(b, o, "There can be only one %s type in schema.",
                            o->flag == GQL_QUERY      ? "query"
                            : o->flag == GQL_MUTATION ? "mutation"
                                                      : "subscription");
            *slot = t;
        }
    } else {
        static const char *const names[] = {"Query", "Mutation", "Subscription"};
        gql_type **slots[] = {&s->query, &s->mutation, &s->subscription};
        for (int i = 0; i < 3; i++) {
            gql_type *t = (gql_type *)gql_schema_type(s, names[i]);
            if (t && t->kind == GQL_K_OBJECT)
                *slots[i] = t;
        }
    }
    if (!s->query)
        return berr(b, NULL, "Query root type must be provided.");
    s->query->used = 1;
    /* the introspection types use String and Boolean */
    ((gql_type *)gql_schema_type(s, "String"))->used = 1;
    ((gql_type *)gql_schema_type(s, "Boolean"))->used = 1;
    return 0;
}

static int build_meta(builder *b)
{
    gql_schema *s = b->s;
    s->meta = gql_arena_alloc(s->arena, 3 * sizeof *s->meta);
    gql_input_value *name_arg = gql_arena_alloc(s->arena, sizeof *name_arg);
    gql_type *str = (gql_type *)gql_schema_type(s, "String");
    gql_type *schema_t = (gql_type *)gql_schema_type(s, "__Schema");
    gql_type *type_t = (gql_type *)gql_schema_type(s, "__Type");
    if (!s->meta || !name_arg || !str || !schema_t || !type_t)
        return berr(b, NULL, "out of memory");
    name_arg->name = "name";
    name_arg->type = gql_nonnull_of(s->arena, str);
    s->meta[0] = (gql_field){.name = "__schema",
                             .description = "Access the current type schema of this server.",
                             .type = gql_nonnull_of(s->arena, schema_t)};
    s->meta[1] = (gql_field){.name = "__type",
                             .description = "Request the type information of a single type.",
                             .type = type_t,
                             .args = name_arg,
                             .nargs = 1};
    s->meta[2] = (gql_field){.name = "__typename",
                             .description = "The name of the current Object type at runtime.",
                             .type = gql_nonnull_of(s->arena, str)};
    if (!s->meta[0].type || !name_arg->type || !s->meta[2].type)
        return berr(b, NULL, "out of memory");
    return 0;
}

gql_schema *gql_schema_parse(const char *sdl, size_t len, char *err, size_t errsize)
{
    builder b = {NULL, err, errsize, 0};
    err[0] = '\0';
    gql_arena *a = gql_arena_new();
    gql_schema *s = a ? gql_arena_alloc(a, sizeof *s) : NULL;
    if (!s) {
        gql_arena_free(a);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    s->arena = a;
    b.s = s;
    gql_syntax_error se;
    const gql_doc *docs[2];
    size_t blen = 0;
    for (size_t i = 0; gql_builtin_sdl[i]; i++)
        blen += strlen(gql_builtin_sdl[i]);
    char *builtins = gql_arena_alloc(a, blen + 1);
    if (!builtins) {
        gql_arena_free(a);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    for (size_t i = 0, off = 0; gql_builtin_sdl[i]; i++) {
        size_t l = strlen(gql_builtin_sdl[i]);
        memcpy(builtins + off, gql_builtin_sdl[i], l);
        off += l;
    }
    docs[0] = gql_parse_in(a, builtins, blen, NULL, &se);
    if (!docs[0]) {
        snprintf(err, errsize, "builtins: %u:%u: %s", se.line, se.col, se.message);
        gql_arena_free(a);
        return NULL;
    }
    gql_parse_limits lim = {1024, 0};
    docs[1] = gql_parse_in(a, sdl, len, &lim, &se);
    if (!docs[1]) {
        snprintf(err, errsize, "%u:%u: %s", se.line, se.col, se.message);
        gql_arena_free(a);
        return NULL;
    }
    s->sdl = (gql_doc *)docs[1];
    if (build(&b, docs) < 0 || build_meta(&b) < 0) {
        gql_arena_free(a);
        return NULL;
    }
    gql_introspect_install(s);
    return s;
}

void gql_schema_free(gql_schema *s)
{
    if (s)
        gql_arena_free(s->arena);
}

int gql_schema_resolver(gql_schema *s, const char *type, const char *field, gql_resolve_fn fn,
                        void *data)
{
    gql_type *t = (gql_type *)gql_schema_type(s, type);
    if (!t || t->kind != GQL_K_OBJECT)
        return -1;
    for (size_t i = 0; i < t->nfields; i++) {
        if (strcmp(t->fields[i].name, field) == 0) {
            t->fields[i].resolve = fn;
            t->fields[i].data = data;
            return 0;
        }
    }
    return -1;
}

int gql_schema_type_resolver(gql_schema *s, const char *type, gql_resolve_type_fn fn)
{
    gql_type *t = (gql_type *)gql_schema_type(s, type);
    if (!gql_is_abstract(t))
        return -1;
    t->resolve_type = fn;
    return 0;
}
