/*
 * gql_coerce.c - input coercion (specification 3.5 Scalars, 3.9 Enums, 3.10 Input Objects, 3.11
 * Lists, 6.1.2 Coercing Variable Values, 6.4.1 Coercing Field Arguments): variables' json values
 * and argument literals to json values of their input types, messages as graphql-js's.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

static int fmt(char *msg, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static int fmt(char *msg, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(msg, size, f, ap);
    va_end(ap);
    return -1;
}

/* ---- json inputs (variables) --------------------------------------------------------------- */

static int scalar_input(json_object *in, const gql_type *t, json_object **out, char *msg,
                        size_t size)
{
    char *s = gql_json_inspect(in);
    const char *shown = s ? s : "?";
    int rc = 0;
    json_type jt = json_object_get_type(in);
    const char *n = t->name;
    if (t->kind == GQL_K_ENUM) {
        if (jt != json_type_string) {
            rc = fmt(msg, size, "Enum \"%s\" cannot represent non-string value: %s.", n, shown);
        } else {
            const char *str = json_object_get_string(in);
            size_t i = 0;
            while (i < t->nvalues && strcmp(t->values[i].name, str) != 0)
                i++;
            if (i == t->nvalues) {
                const char *names[256], *sugg[5];
                size_t k = 0;
                for (size_t j = 0; j < t->nvalues && k < 256; j++)
                    names[k++] = t->values[j].name;
                size_t ns = gql_suggest(str, names, k, sugg, 5);
                fmt(msg, size, "Value \"%s\" does not exist in \"%s\" enum.", str, n);
                gql_did_you_mean(msg, size, "the enum value", sugg, ns);
                rc = -1;
            } else {
                *out = json_object_get(in);
            }
        }
    } else if (!t->builtin) {
        *out = json_object_get(in); /* custom scalars take any json */
    } else if (strcmp(n, "Int") == 0) {
        double d = jt == json_type_int      ? (double)json_object_get_int64(in)
                   : jt == json_type_double ? json_object_get_double(in)
                                            : 0;
        if (jt != json_type_int && (jt != json_type_double || d != floor(d) || isinf(d)))
            rc = fmt(msg, size, "Int cannot represent non-integer value: %s", shown);
        else if (d < INT32_MIN || d > INT32_MAX)
            rc = fmt(msg, size, "Int cannot represent non 32-bit signed integer value: %s", shown);
        else
            *out = json_object_new_int((int32_t)d);
    } else if (strcmp(n, "Float") == 0) {
        if (jt != json_type_int && jt != json_type_double)
            rc = fmt(msg, size, "Float cannot represent non numeric value: %s", shown);
        else
            *out = json_object_get(in);
    } else if (strcmp(n, "String") == 0) {
        if (jt != json_type_string)
            rc = fmt(msg, size, "String cannot represent a non string value: %s", shown);
        else
            *out = json_object_get(in);
    } else if (strcmp(n, "Boolean") == 0) {
        if (jt != json_type_boolean)
            rc = fmt(msg, size, "Boolean cannot represent a non boolean value: %s", shown);
        else
            *out = json_object_get(in);
    } else { /* ID */
        if (jt == json_type_string)
            *out = json_object_get(in);
        else if (jt == json_type_int)
            *out = json_object_new_string(json_object_to_json_string(in));
        else
            rc = fmt(msg, size, "ID cannot represent value: %s", shown);
    }
    free(s);
    return rc;
}

/* An error of input(): "PATH\tVALUE\tMESSAGE" (the value where it failed, as inspect shows it). */
static int ferr(char *msg, size_t size, const char *path, json_object *at, const char *f, ...)
    __attribute__((format(printf, 5, 6)));
static int ferr(char *msg, size_t size, const char *path, json_object *at, const char *f, ...)
{
    char *shown = gql_json_inspect(at);
    int n = snprintf(msg, size, "%s\t%s\t", path, shown ? shown : "?");
    free(shown);
    if (n < 0 || (size_t)n >= size)
        return -1;
    va_list ap;
    va_start(ap, f);
    vsnprintf(msg + n, size - (size_t)n, f, ap);
    va_end(ap);
    return -1;
}

/* Coerce with a path for messages ("x.a[0]"); on error msg holds "PATH\tVALUE\tMESSAGE". */
static int input(const gql_schema *s, json_object *in, const gql_type *t, json_object **out,
                 char *path, size_t plen, size_t psize, char *msg, size_t size, int depth)
{
    *out = NULL;
    if (depth > 64)
        return ferr(msg, size, path, in, "Input nests too deeply.");
    if (t->kind == GQL_K_NON_NULL) {
        if (!in || json_object_is_type(in, json_type_null)) {
            char ts[256];
            return ferr(msg, size, path, in, "Expected non-nullable type \"%s\" not to be null.",
                        gql_type_str(t, ts, sizeof ts));
        }
        return input(s, in, t->of_type, out, path, plen, psize, msg, size, depth + 1);
    }
    if (!in || json_object_is_type(in, json_type_null))
        return 0;
    if (t->kind == GQL_K_LIST) {
        json_object *arr = json_object_new_array();
        if (!json_object_is_type(in, json_type_array)) {
            json_object *item;
            if (input(s, in, t->of_type, &item, path, plen, psize, msg, size, depth + 1) < 0) {
                json_object_put(arr);
                return -1;
            }
            json_object_array_add(arr, item);
            *out = arr;
            return 0;
        }
        for (size_t i = 0; i < json_object_array_length(in); i++) {
            json_object *item;
            snprintf(path + plen, psize - plen, "[%zu]", i);
            if (input(s, json_object_array_get_idx(in, i), t->of_type, &item, path, strlen(path),
                      psize, msg, size, depth + 1) < 0) {
                json_object_put(arr);
                return -1;
            }
            path[plen] = '\0';
            json_object_array_add(arr, item);
        }
        *out = arr;
        return 0;
    }
    if (t->kind == GQL_K_INPUT_OBJECT) {
        if (!json_object_is_type(in, json_type_object))
            return ferr(msg, size, path, in, "Expected type \"%s\" to be an object.", t->name);
        json_object *obj = json_object_new_object();
        for (size_t i = 0; i < t->ninput_fields; i++) {
            const gql_input_value *f = &t->input_fields[i];
            json_object *fv;
            if (!json_object_object_get_ex(in, f->name, &fv)) {
                if (f->default_value) {
                    json_object *dv = NULL;
                    int absent;
                    char m[256];
                    if (gql_coerce_literal(s, f->default_value, f->type, NULL, &dv, &absent, m,
                                           sizeof m) == 0)
                        json_object_object_add(obj, f->name, dv);
                } else if (f->type->kind == GQL_K_NON_NULL) {
                    char ts[256];
                    json_object_put(obj);
                    return ferr(msg, size, path, in,
                                "Field \"%s\" of required type \"%s\" was not provided.", f->name,
                                gql_type_str(f->type, ts, sizeof ts));
                }
                continue;
            }
            json_object *cv;
            snprintf(path + plen, psize - plen, ".%s", f->name);
            if (input(s, fv, f->type, &cv, path, strlen(path), psize, msg, size, depth + 1) < 0) {
                json_object_put(obj);
                return -1;
            }
            path[plen] = '\0';
            json_object_object_add(obj, f->name, cv);
        }
        json_object_object_foreach(in, key, val)
        {
            (void)val;
            if (gql_type_input_field(t, key))
                continue;
            const char *names[256], *sugg[5];
            size_t k = 0;
            for (size_t j = 0; j < t->ninput_fields && k < 256; j++)
                names[k++] = t->input_fields[j].name;
            size_t ns = gql_suggest(key, names, k, sugg, 5);
            ferr(msg, size, path, in, "Field \"%s\" is not defined by type \"%s\".", key, t->name);
            gql_did_you_mean(msg, size, NULL, sugg, ns);
            json_object_put(obj);
            return -1;
        }
        if (t->one_of) {
            if (json_object_object_length(in) != 1) {
                json_object_put(obj);
                return ferr(msg, size, path, in,
                            "Exactly one key must be specified for OneOf type \"%s\".", t->name);
            }
            json_object_object_foreach(in, k1, v1)
            {
                if (json_object_is_type(v1, json_type_null)) {
                    json_object_put(obj);
                    return ferr(msg, size, path, in, "Field \"%s\" must be non-null.", k1);
                }
            }
        }
        *out = obj;
        return 0;
    }
    char m[512];
    if (scalar_input(in, t, out, m, sizeof m) < 0)
        return ferr(msg, size, path, in, "%s", m);
    return 0;
}

int gql_coerce_input(const gql_schema *s, json_object *in, const gql_type *t, json_object **out,
                     char *msg, size_t size)
{
    char path[512] = "";
    return input(s, in, t, out, path, 0, sizeof path, msg, size, 0);
}

/* ---- literals (arguments, defaults) -------------------------------------------------------- */

static int literal(const gql_schema *s, const gql_node *v, const gql_type *t, json_object *vars,
                   json_object **out, int *absent, int depth)
{
    *out = NULL;
    *absent = 0;
    if (depth > 256)
        return -1;
    if (v->kind == GQL_VARIABLE) {
        json_object *val;
        if (!vars || !json_object_object_get_ex(vars, v->name, &val)) {
            *absent = 1;
            return 0;
        }
        if (!val && t->kind == GQL_K_NON_NULL)
            return -1;
        *out = json_object_get(val);
        return 0;
    }
    if (t->kind == GQL_K_NON_NULL) {
        if (v->kind == GQL_NULL)
            return -1;
        return literal(s, v, t->of_type, vars, out, absent, depth + 1);
    }
    if (v->kind == GQL_NULL)
        return 0;
    if (t->kind == GQL_K_LIST) {
        json_object *arr = json_object_new_array();
        if (v->kind != GQL_LIST) {
            json_object *item;
            int ab;
            if (literal(s, v, t->of_type, vars, &item, &ab, depth + 1) < 0 || ab) {
                json_object_put(arr);
                return -1;
            }
            json_object_array_add(arr, item);
            *out = arr;
            return 0;
        }
        for (const gql_node *i = v->sel; i; i = i->next) {
            json_object *item;
            int ab;
            if (literal(s, i, t->of_type, vars, &item, &ab, depth + 1) < 0 ||
                (ab && t->of_type->kind == GQL_K_NON_NULL)) {
                json_object_put(arr);
                return -1;
            }
            json_object_array_add(arr, item); /* an absent variable in a list is null */
        }
        *out = arr;
        return 0;
    }
    if (t->kind == GQL_K_INPUT_OBJECT) {
        if (v->kind != GQL_OBJECT)
            return -1;
        json_object *obj = json_object_new_object();
        for (size_t i = 0; i < t->ninput_fields; i++) {
            const gql_input_value *f = &t->input_fields[i];
            const gql_node *fn = v->sel;
            while (fn && strcmp(fn->name, f->name) != 0)
                fn = fn->next;
            json_object *fv = NULL;
            int ab = 1;
            if (fn && literal(s, fn->value, f->type, vars, &fv, &ab, depth + 1) < 0) {
                json_object_put(obj);
                return -1;
            }
            if (ab) {
                if (f->default_value) {
                    if (literal(s, f->default_value, f->type, NULL, &fv, &ab, depth + 1) < 0) {
                        json_object_put(obj);
                        return -1;
                    }
                } else if (f->type->kind == GQL_K_NON_NULL) {
                    json_object_put(obj);
                    return -1;
                } else {
                    continue;
                }
            }
            json_object_object_add(obj, f->name, fv);
        }
        for (const gql_node *fn = v->sel; fn; fn = fn->next) {
            if (!gql_type_input_field(t, fn->name)) {
                json_object_put(obj);
                return -1;
            }
        }
        *out = obj;
        return 0;
    }
    /* leaf: build the json of the literal and coerce it as an input */
    json_object *j = NULL;
    switch (v->kind) {
    case GQL_INT: {
        errno = 0;
        long long n = strtoll(v->text, NULL, 10);
        if (errno)
            return -1;
        if (t->kind == GQL_K_SCALAR && t->builtin && strcmp(t->name, "ID") == 0)
            j = json_object_new_string(v->text);
        else
            j = json_object_new_int64(n);
        break;
    }
    case GQL_FLOAT:
        j = json_object_new_double(strtod(v->text, NULL));
        break;
    case GQL_STRING:
        j = json_object_new_string_len(v->text, (int)v->text_len);
        break;
    case GQL_BOOLEAN:
        j = json_object_new_boolean(v->flag);
        break;
    case GQL_ENUM:
        if (t->kind != GQL_K_ENUM && t->builtin)
            return -1;
        j = json_object_new_string(v->text);
        break;
    case GQL_LIST:
    case GQL_OBJECT:
        if (t->builtin || t->kind == GQL_K_ENUM)
            return -1;
        /* a custom scalar takes any literal: as json, variables resolved */
        if (v->kind == GQL_LIST) {
            j = json_object_new_array();
            for (const gql_node *i = v->sel; i; i = i->next) {
                json_object *item;
                int ab;
                if (literal(s, i, t, vars, &item, &ab, depth + 1) < 0) {
                    json_object_put(j);
                    return -1;
                }
                json_object_array_add(j, item);
            }
        } else {
            j = json_object_new_object();
            for (const gql_node *f = v->sel; f; f = f->next) {
                json_object *item;
                int ab;
                if (literal(s, f->value, t, vars, &item, &ab, depth + 1) < 0) {
                    json_object_put(j);
                    return -1;
                }
                if (!ab)
                    json_object_object_add(j, f->name, item);
            }
        }
        *out = j;
        return 0;
    default:
        return -1;
    }
    if (t->kind == GQL_K_ENUM && v->kind != GQL_ENUM) {
        json_object_put(j);
        return -1;
    }
    char m[256];
    int rc = scalar_input(j, t, out, m, sizeof m);
    json_object_put(j);
    return rc;
}

int gql_coerce_literal(const gql_schema *s, const gql_node *v, const gql_type *t, json_object *vars,
                       json_object **out, int *absent, char *msg, size_t size)
{
    if (literal(s, v, t, vars, out, absent, 0) < 0) {
        char *p = gql_print_value(v);
        fmt(msg, size, "Expected value of type \"%s\", found %s.", "", p ? p : "?");
        free(p);
        return -1;
    }
    return 0;
}

int gql_coerce_args(const gql_schema *s, const gql_input_value *defs, size_t ndefs,
                    const gql_node *args, json_object *vars, json_object **out, char *msg,
                    size_t size)
{
    json_object *obj = json_object_new_object();
    for (size_t i = 0; i < ndefs; i++) {
        const gql_input_value *d = &defs[i];
        const gql_node *a = args;
        while (a && strcmp(a->name, d->name) != 0)
            a = a->next;
        char ts[256];
        gql_type_str(d->type, ts, sizeof ts);
        json_object *v = NULL;
        int absent = 1;
        if (a && literal(s, a->value, d->type, vars, &v, &absent, 0) < 0) {
            json_object_put(obj);
            if (a->value->kind == GQL_VARIABLE)
                return fmt(msg, size, "Argument \"%s\" of non-null type \"%s\" must not be null.",
                           d->name, ts);
            char *p = gql_print_value(a->value);
            fmt(msg, size, "Argument \"%s\" has invalid value %s.", d->name, p ? p : "?");
            free(p);
            return -1;
        }
        if (absent) {
            if (d->default_value) {
                if (literal(s, d->default_value, d->type, NULL, &v, &absent, 0) < 0) {
                    json_object_put(obj);
                    return fmt(msg, size, "Argument \"%s\" has an invalid default value.", d->name);
                }
            } else if (d->type->kind == GQL_K_NON_NULL) {
                json_object_put(obj);
                if (a)
                    return fmt(msg, size,
                               "Argument \"%s\" of required type \"%s\" was provided the variable "
                               "\"$%s\" which was not provided a runtime value.",
                               d->name, ts, a->value->name);
                return fmt(msg, size, "Argument \"%s\" of required type \"%s\" was not provided.",
                           d->name, ts);
            } else {
                continue;
            }
        }
        json_object_object_add(obj, d->name, v);
    }
    *out = obj;
    return 0;
}

int gql_should_include(const gql_schema *s, const gql_node *sel, json_object *vars)
{
    (void)s;
    for (const gql_node *d = sel->dirs; d; d = d->next) {
        int skip = strcmp(d->name, "skip") == 0;
        if (!skip && strcmp(d->name, "include") != 0)
            continue;
        const gql_node *a = d->args;
        while (a && strcmp(a->name, "if") != 0)
            a = a->next;
        if (!a)
            continue;
        int val;
        if (a->value->kind == GQL_BOOLEAN) {
            val = a->value->flag;
        } else if (a->value->kind == GQL_VARIABLE) {
            json_object *j;
            if (!vars || !json_object_object_get_ex(vars, a->value->name, &j))
                continue; /* validation: no runtime value; keep the selection */
            val = json_object_get_boolean(j);
        } else {
            continue;
        }
        if (skip && val)
            return 0;
        if (!skip && !val)
            return 0;
    }
    return 1;
}
