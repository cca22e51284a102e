/*
 * gql_introspect.c - introspection (specification section 4): __schema, __type(name:) and the
 * fields of __Schema, __Type, __Field, __InputValue, __EnumValue and __Directive, resolved from
 * the schema's own structures (the values are pointers to them).
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

static const char *const kind_names[] = {"SCALAR", "OBJECT",       "INTERFACE", "UNION",
                                         "ENUM",   "INPUT_OBJECT", "LIST",      "NON_NULL"};

static int str(gql_value *out, const char *s)
{
    if (s)
        out->json = json_object_new_string(s);
    return 0;
}

static int boolean(gql_value *out, int b)
{
    out->json = json_object_new_boolean(b);
    return 0;
}

static int ptr(gql_value *out, const void *p)
{
    out->ptr = (void *)p;
    return 0;
}

static int list(gql_value *out, size_t n)
{
    out->is_list = 1;
    out->nitems = 0;
    out->items = n ? calloc(n, sizeof *out->items) : NULL;
    return n && !out->items ? -1 : 0;
}

static int add(gql_value *out, const void *p)
{
    out->items[out->nitems++].ptr = (void *)p;
    return 0;
}

static int include_deprecated(const gql_resolve_info *info)
{
    json_object *v;
    return json_object_object_get_ex(info->args, "includeDeprecated", &v) &&
           json_object_get_boolean(v);
}

static int input_values(gql_resolve_info *info, gql_value *out, const gql_input_value *vals,
                        size_t n)
{
    int all = include_deprecated(info);
    if (list(out, n) < 0)
        return gql_resolve_error(info, NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (all || !vals[i].deprecation)
            add(out, &vals[i]);
    return 0;
}

static int schema_field(gql_resolve_info *info, const char *f, gql_value *out)
{
    const gql_schema *s = info->schema;
    if (strcmp(f, "description") == 0)
        return str(out, s->description);
    if (strcmp(f, "types") == 0) {
        if (list(out, s->ntypes) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < s->ntypes; i++) {
            const gql_type *t = s->types[i];
            if (!t->builtin || t->used || strncmp(t->name, "__", 2) == 0)
                add(out, t);
        }
        return 0;
    }
    if (strcmp(f, "queryType") == 0)
        return ptr(out, s->query);
    if (strcmp(f, "mutationType") == 0)
        return ptr(out, s->mutation);
    if (strcmp(f, "subscriptionType") == 0)
        return ptr(out, s->subscription);
    if (strcmp(f, "directives") == 0) {
        if (list(out, s->ndirectives) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < s->ndirectives; i++)
            add(out, s->directives[i]);
        return 0;
    }
    return 0;
}

static int type_field(gql_resolve_info *info, const gql_type *t, const char *f, gql_value *out)
{
    int fields = t->kind == GQL_K_OBJECT || t->kind == GQL_K_INTERFACE;
    if (strcmp(f, "kind") == 0)
        return str(out, kind_names[t->kind]);
    if (strcmp(f, "name") == 0)
        return str(out, t->name);
    if (strcmp(f, "description") == 0)
        return str(out, t->description);
    if (strcmp(f, "specifiedByURL") == 0)
        return str(out, t->specified_by);
    if (strcmp(f, "ofType") == 0)
        return ptr(out, t->of_type);
    if (strcmp(f, "isOneOf") == 0)
        return t->kind == GQL_K_INPUT_OBJECT ? boolean(out, t->one_of) : 0;
    if (strcmp(f, "fields") == 0) {
        if (!fields)
            return 0;
        int all = include_deprecated(info);
        if (list(out, t->nfields) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < t->nfields; i++)
            if (all || !t->fields[i].deprecation)
                add(out, &t->fields[i]);
        return 0;
    }
    if (strcmp(f, "interfaces") == 0) {
        if (!fields)
            return 0;
        if (list(out, t->ninterfaces) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < t->ninterfaces; i++)
            add(out, t->interfaces[i]);
        return 0;
    }
    if (strcmp(f, "possibleTypes") == 0) {
        if (!gql_is_abstract(t))
            return 0;
        if (list(out, t->npossible) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < t->npossible; i++)
            add(out, t->possible[i]);
        return 0;
    }
    if (strcmp(f, "enumValues") == 0) {
        if (t->kind != GQL_K_ENUM)
            return 0;
        int all = include_deprecated(info);
        if (list(out, t->nvalues) < 0)
            return gql_resolve_error(info, NULL, "out of memory");
        for (size_t i = 0; i < t->nvalues; i++)
            if (all || !t->values[i].deprecation)
                add(out, &t->values[i]);
        return 0;
    }
    if (strcmp(f, "inputFields") == 0) {
        if (t->kind != GQL_K_INPUT_OBJECT)
            return 0;
        return input_values(info, out, t->input_fields, t->ninput_fields);
    }
    return 0;
}

int gql_introspect_resolve(gql_resolve_info *info, gql_value *out)
{
    const char *f = info->field->name;
    const void *p = info->parent->ptr;
    const char *pt = info->parent_type->name;
    if (info->field == &info->schema->meta[0])
        return ptr(out, info->schema);
    if (info->field == &info->schema->meta[1]) {
        json_object *n;
        if (json_object_object_get_ex(info->args, "name", &n))
            return ptr(out, gql_schema_type(info->schema, json_object_get_string(n)));
        return 0;
    }
    if (strcmp(pt, "__Schema") == 0)
        return schema_field(info, f, out);
    if (strcmp(pt, "__Type") == 0)
        return type_field(info, p, f, out);
    if (strcmp(pt, "__Field") == 0) {
        const gql_field *fd = p;
        if (strcmp(f, "name") == 0)
            return str(out, fd->name);
        if (strcmp(f, "description") == 0)
            return str(out, fd->description);
        if (strcmp(f, "args") == 0)
            return input_values(info, out, fd->args, fd->nargs);
        if (strcmp(f, "type") == 0)
            return ptr(out, fd->type);
        if (strcmp(f, "isDeprecated") == 0)
            return boolean(out, fd->deprecation != NULL);
        if (strcmp(f, "deprecationReason") == 0)
            return str(out, fd->deprecation);
        return 0;
    }
    if (strcmp(pt, "__InputValue") == 0) {
        const gql_input_value *iv = p;
        if (strcmp(f, "name") == 0)
            return str(out, iv->name);
        if (strcmp(f, "description") == 0)
            return str(out, iv->description);
        if (strcmp(f, "type") == 0)
            return ptr(out, iv->type);
        if (strcmp(f, "defaultValue") == 0) {
            if (!iv->default_value)
                return 0;
            /* graphql-js prints the coerced value (2.0 is 2): coerce, then print */
            json_object *j = NULL;
            int absent;
            char msg[256];
            char *s = gql_coerce_literal(info->schema, iv->default_value, iv->type, NULL, &j,
                                         &absent, msg, sizeof msg) == 0
                          ? gql_print_json(j, iv->type)
                          : gql_print_value(iv->default_value);
            json_object_put(j);
            if (!s)
                return gql_resolve_error(info, NULL, "out of memory");
            out->json = json_object_new_string(s);
            free(s);
            return 0;
        }
        if (strcmp(f, "isDeprecated") == 0)
            return boolean(out, iv->deprecation != NULL);
        if (strcmp(f, "deprecationReason") == 0)
            return str(out, iv->deprecation);
        return 0;
    }
    if (strcmp(pt, "__EnumValue") == 0) {
        const gql_enum_value *ev = p;
        if (strcmp(f, "name") == 0)
            return str(out, ev->name);
        if (strcmp(f, "description") == 0)
            return str(out, ev->description);
        if (strcmp(f, "isDeprecated") == 0)
            return boolean(out, ev->deprecation != NULL);
        if (strcmp(f, "deprecationReason") == 0)
            return str(out, ev->deprecation);
        return 0;
    }
    if (strcmp(pt, "__Directive") == 0) {
        const gql_directive *d = p;
        if (strcmp(f, "name") == 0)
            return str(out, d->name);
        if (strcmp(f, "description") == 0)
            return str(out, d->description);
        if (strcmp(f, "isRepeatable") == 0)
            return boolean(out, d->repeatable);
        if (strcmp(f, "args") == 0)
            return input_values(info, out, d->args, d->nargs);
        if (strcmp(f, "isDeprecated") == 0)
            return boolean(out, 0);
        if (strcmp(f, "deprecationReason") == 0)
            return 0;
        if (strcmp(f, "locations") == 0) {
            if (list(out, GQL_LOC_COUNT) < 0)
                return gql_resolve_error(info, NULL, "out of memory");
            for (size_t i = 0; i < d->norder; i++)
                out->items[out->nitems++].json =
                    json_object_new_string(gql_dir_loc_name((gql_dir_loc)d->order[i]));
            return 0;
        }
    }
    return 0;
}

void gql_introspect_install(gql_schema *s)
{
    static const char *const types[] = {"__Schema",     "__Type",      "__Field",
                                        "__InputValue", "__EnumValue", "__Directive"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        gql_type *t = (gql_type *)gql_schema_type(s, types[i]);
        for (size_t k = 0; t && k < t->nfields; k++)
            t->fields[k].resolve = gql_introspect_resolve;
    }
}
