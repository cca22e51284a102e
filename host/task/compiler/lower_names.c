/*
 * host/task/compiler/lower_names.c - function names (ES2015 `name`) for tasks that read them.
 *
 * MuJS functions have no `name` property; the `fnname` runtime module gives every function
 * one through a getter on Function.prototype (from the function's own name). ES2015 also names
 * an anonymous function after what it is assigned to: `const f = () => {}`, `x = function ()
 * {}`, `{ m() {}, p: () => {} }`. This pass wraps such functions in `$jsc_fname(fn, "f")`,
 * which sets the name as an own property. It runs only when the source mentions `name` at all
 * (compile.c), so other tasks pay nothing; after the class pass (class methods are then
 * $jsc_method calls) and the function pass (arrows are then functions), before the object
 * pass (an object literal's method becomes a property whose value is the named function).
 */
#include <string.h>

#include "ast.h"
#include "phases.h"

static int anonymous_function(const jsc_node *n)
{
    return n && n->kind == N_FUNCTION && !n->str;
}

/* $jsc_fname(fn, name): `name` is the expression giving the name. */
static jsc_node *named_by(jsc_ctx *cx, jsc_node *fn, jsc_node *name)
{
    return jsc_helper_call(cx, "fnname", "$jsc_fname", jsc_link(fn, name), fn);
}

static jsc_node *named(jsc_ctx *cx, jsc_node *fn, const char *name)
{
    return named_by(cx, fn, jsc_string(cx, name, strlen(name), fn));
}

/* The name a property key gives its value, or NULL when it is computed. */
static const char *key_name(const jsc_node *prop)
{
    const jsc_node *k = prop->a;
    if (!k || (prop->flags & JSC_COMPUTED))
        return NULL;
    if (k->kind == N_IDENT || k->kind == N_STRING)
        return k->str;
    return NULL;
}

/* `{[key]: function () {}}`: the key is evaluated once, into a temporary, and names the
 * function: `{[$$t = key]: $jsc_fname(function () {}, $$t)}` (the object pass keeps the order:
 * key, then value). */
static void computed_key(jsc_ctx *cx, jsc_node *prop, jsc_node *fn_scope)
{
    jsc_node *key = prop->a;
    const char *tmp = jsc_declare_temp(cx, fn_scope);
    prop->a = jsc_assign(cx, jsc_ident(cx, tmp, key), key, key);
    prop->b = named_by(cx, prop->b, jsc_ident(cx, tmp, prop->b));
}

/* $jsc_method(target, "name", function () {...}, ...) from the class pass. */
static void class_method(jsc_ctx *cx, jsc_node *call)
{
    jsc_node *target = call->b, *key = target ? target->next : NULL;
    jsc_node *fn = key ? key->next : NULL;
    if (!key || key->kind != N_STRING || !anonymous_function(fn))
        return;
    jsc_node *rest = fn->next;
    fn->next = NULL;
    jsc_node *wrapped = named(cx, fn, key->str);
    wrapped->next = rest;
    key->next = wrapped;
}

static void find_super(jsc_ctx *cx, jsc_node **slot, void *data)
{
    if ((*slot)->kind == N_SUPER)
        *(int *)data = 1;
    else if ((*slot)->kind != N_FUNCTION || ((*slot)->flags & JSC_ARROW))
        jsc_each_child(cx, *slot, find_super, data);
}

/* Whether a method's body uses `super` (then it stays a method for the object pass). */
static int uses_super(jsc_ctx *cx, jsc_node *fn)
{
    int found = 0;
    jsc_each_child(cx, fn, find_super, &found);
    return found;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    jsc_node *fn_scope = data;
    jsc_each_child(cx, n, visit,
                   n->kind == N_FUNCTION || n->kind == N_FUNC_DECL ? (void *)n : data);
    if (n->kind == N_CALL && n->a->kind == N_IDENT && strcmp(n->a->str, "$jsc_method") == 0) {
        class_method(cx, n);
        return;
    }
    if (n->kind == N_PROPERTY && (n->flags & JSC_COMPUTED) &&
        !(n->flags & (JSC_GET | JSC_SET | JSC_METHOD)) && anonymous_function(n->b)) {
        computed_key(cx, n, fn_scope);
        return;
    }
    const char *name = NULL;
    jsc_node **value = NULL;
    if (n->kind == N_DECLARATOR && n->a && n->a->kind == N_IDENT) {
        name = n->a->str;
        value = &n->b;
    } else if (n->kind == N_ASSIGN && n->op == JT_ASSIGN && n->a->kind == N_IDENT) {
        name = n->a->str;
        value = &n->b;
    } else if (n->kind == N_PROPERTY && !(n->flags & (JSC_GET | JSC_SET))) {
        name = key_name(n);
        value = &n->b;
        if (name && (n->flags & JSC_METHOD) && !uses_super(cx, n->b))
            n->flags &= ~(uint32_t)JSC_METHOD; /* a plain property: the object pass keeps it */
        else if (n->flags & JSC_METHOD)
            name = NULL;
    }
    if (name && value && anonymous_function(*value) && strncmp(name, "$$", 2) != 0) {
        jsc_node *next = (*value)->next;
        (*value)->next = NULL;
        *value = named(cx, *value, name);
        (*value)->next = next;
    }
}

int jsc_lower_names(jsc_ctx *cx, jsc_node *prog)
{
    jsc_each_child(cx, prog, visit, prog);
    return !cx->failed;
}
