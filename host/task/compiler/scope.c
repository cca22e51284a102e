/*
 * host/task/compiler/scope.c - scope analysis: scopes, bindings, resolved references,
 * closures over loop bindings, the set of names the program uses (see scope.h).
 *
 * One walk per scope: on entering a scope its declarations are hoisted first (var to the
 * function, let/const/class/function to their block), then the children are visited and
 * every identifier is resolved outwards from the current scope.
 */
#include "scope.h"

#include "names.h"
#include "phases.h"

#include <string.h>

/* ---- scopes and bindings -------------------------------------------------------------------- */

typedef struct walk {
    jsc_ctx *cx;
    jsc_scope_info *scope;
    jsc_scope_info
        *this_fn; /* nearest non-arrow function (or the program): owner of this/arguments */
    jsc_node *loop;
    jsc_names *names;
} walk;

int jsc_is_loop(jsc_kind k)
{
    return k == N_FOR || k == N_FOR_IN || k == N_FOR_OF || k == N_WHILE || k == N_DO_WHILE;
}

static jsc_scope_info *scope_new(walk *w, jsc_scope_kind kind, jsc_node *node)
{
    jsc_scope_info *s = jsc_alloc(w->cx, sizeof *s);
    s->kind = kind;
    s->node = node;
    s->parent = w->scope;
    s->func = (kind == JSC_S_PROGRAM || kind == JSC_S_FUNCTION) ? s : w->scope->func;
    s->loop = w->loop;
    node->scope = s;
    return s;
}

jsc_binding *jsc_scope_lookup(jsc_scope_info *s, const char *name)
{
    for (; s; s = s->parent)
        for (jsc_binding *b = s->bindings; b; b = b->next)
            if (strcmp(b->name, name) == 0)
                return b;
    return NULL;
}

static jsc_binding *declare(walk *w, jsc_scope_info *s, const char *name, jsc_bind_kind kind,
                            jsc_node *decl)
{
    jsc_binding **p = &s->bindings;
    for (; *p; p = &(*p)->next)
        if (strcmp((*p)->name, name) == 0) {
            /* var after function, function after var, duplicate params: one binding; a
             * later function declaration gives the kind */
            if (kind == JSC_B_FUNC)
                (*p)->kind = kind, (*p)->decl = decl;
            return *p;
        }
    jsc_binding *b = jsc_alloc(w->cx, sizeof *b);
    b->name = name;
    b->src_name = name;
    b->kind = kind;
    b->scope = s;
    b->decl = decl;
    b->loop = s->loop;
    *p = b;
    return b;
}

/* Declare every name bound by a target or pattern. */
static void declare_pattern(walk *w, jsc_scope_info *s, jsc_node *p, jsc_bind_kind kind)
{
    if (!p)
        return;
    switch (p->kind) {
    case N_IDENT:
        declare(w, s, p->str, kind, p);
        break;
    case N_ARRAY_PATTERN:
    case N_OBJECT_PATTERN:
        for (jsc_node *e = p->a; e; e = e->next)
            declare_pattern(w, s, e, kind);
        break;
    case N_PROPERTY:
        declare_pattern(w, s, p->b ? p->b : p->a, kind);
        break;
    case N_ASSIGN_PATTERN:
    case N_REST:
        declare_pattern(w, s, p->a, kind);
        break;
    default:
        break;
    }
}

static jsc_bind_kind decl_kind(const jsc_node *var)
{
    if (var->flags & JSC_DECL_CONST)
        return JSC_B_CONST;
    return (var->flags & JSC_DECL_LET) ? JSC_B_LET : JSC_B_VAR;
}

static void declare_var_list(walk *w, jsc_scope_info *s, jsc_node *var)
{
    jsc_bind_kind kind = decl_kind(var);
    for (jsc_node *d = var->a; d; d = d->next)
        declare_pattern(w, s, d->a, kind);
}

/* var declarations anywhere in a function's statements (not in nested functions). */
static void hoist_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    walk *w = data;
    jsc_node *n = *slot;
    if (jsc_is_code_boundary(n))
        return;
    switch (n->kind) {
    case N_VAR:
        if (n->flags & JSC_DECL_VAR)
            declare_var_list(w, w->scope->func, n);
        return;
    default:
        jsc_each_child(cx, n, hoist_slot, data);
    }
}

/* let/const/class/function declarations directly in a statement list. */
static void declare_lexical(walk *w, jsc_scope_info *s, jsc_node *list)
{
    for (jsc_node *n = list; n; n = n->next) {
        if (n->kind == N_VAR && !(n->flags & JSC_DECL_VAR))
            declare_var_list(w, s, n);
        else if (n->kind == N_FUNC_DECL && n->str)
            declare(w, s, n->str, JSC_B_FUNC, n);
        else if (n->kind == N_CLASS_DECL && n->str)
            declare(w, s, n->str, JSC_B_CLASS, n);
    }
}

/* ---- resolving ------------------------------------------------------------------------------ */

static int let_like(const jsc_binding *b)
{
    return b->kind == JSC_B_LET || b->kind == JSC_B_CONST || b->kind == JSC_B_CLASS ||
           (b->kind == JSC_B_FUNC && b->scope->func != b->scope);
}

static void resolve(walk *w, jsc_node *id)
{
    jsc_binding *b = jsc_scope_lookup(w->scope, id->str);
    id->scope = b;
    if (!b) {
        if (strcmp(id->str, "arguments") == 0)
            w->this_fn->uses_arguments = 1;
        return;
    }
    b->nrefs++;
    if (b->scope->func != w->scope->func) {
        b->captured = 1;
        if (b->loop && let_like(b))
            b->captured_in_loop = 1;
    }
}

static void mark_assigned(jsc_node *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case N_IDENT:
        if (t->scope)
            ((jsc_binding *)t->scope)->assigned = 1;
        break;
    case N_ARRAY_PATTERN:
    case N_OBJECT_PATTERN:
        for (jsc_node *e = t->a; e; e = e->next)
            mark_assigned(e);
        break;
    case N_PROPERTY:
        mark_assigned(t->b ? t->b : t->a);
        break;
    case N_ASSIGN_PATTERN:
    case N_REST:
        mark_assigned(t->a);
        break;
    default:
        break;
    }
}

static void visit(walk *w, jsc_node *n);

static void visit_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    (void)cx;
    visit(data, *slot);
}

static void visit_list(walk *w, jsc_node *list)
{
    for (jsc_node *n = list; n; n = n->next)
        visit(w, n);
}

static void visit_function(walk *w, jsc_node *fn)
{
    walk saved = *w;
    jsc_scope_info *s = scope_new(w, JSC_S_FUNCTION, fn);
    s->loop = NULL;
    w->scope = s;
    w->loop = NULL;
    if (!(fn->flags & JSC_ARROW))
        w->this_fn = s;
    for (jsc_node *p = fn->a; p; p = p->next)
        declare_pattern(w, s, p, JSC_B_PARAM);
    jsc_node *body = fn->b;
    if (body && !(fn->flags & JSC_EXPR_BODY)) {
        hoist_slot(w->cx, &body, w);
        declare_lexical(w, s, body->a);
        body->scope = NULL;
    }
    if (fn->kind == N_FUNCTION && fn->str && !jsc_scope_lookup(s, fn->str) &&
        !(fn->flags & (JSC_METHOD | JSC_GET | JSC_SET)))
        declare(w, s, fn->str, JSC_B_FNAME, fn);
    visit_list(w, fn->a);
    if (body && !(fn->flags & JSC_EXPR_BODY))
        visit_list(w, body->a);
    else
        visit(w, body);
    visit_list(w, fn->c);
    *w = saved;
}

static void visit_block(walk *w, jsc_node *n, jsc_node *list)
{
    walk saved = *w;
    w->scope = scope_new(w, JSC_S_BLOCK, n);
    declare_lexical(w, w->scope, list);
    jsc_each_child(w->cx, n, visit_slot, w);
    *w = saved;
}

static void visit_switch(walk *w, jsc_node *n)
{
    walk saved = *w;
    visit(w, n->a);
    w->scope = scope_new(w, JSC_S_BLOCK, n);
    for (jsc_node *c = n->b; c; c = c->next)
        declare_lexical(w, w->scope, c->b);
    visit_list(w, n->b);
    *w = saved;
}

static void visit_loop(walk *w, jsc_node *n)
{
    walk saved = *w;
    w->loop = n;
    n->scope = NULL;
    if ((n->kind == N_FOR || n->kind == N_FOR_IN || n->kind == N_FOR_OF) && n->a &&
        n->a->kind == N_VAR && !(n->a->flags & JSC_DECL_VAR)) {
        w->scope = scope_new(w, JSC_S_FOR, n);
        declare_var_list(w, w->scope, n->a);
    }
    if (n->kind != N_FOR && n->a && n->a->kind != N_VAR)
        mark_assigned(n->a); /* for (x in o), for ([a, b] of o): assignments */
    jsc_each_child(w->cx, n, visit_slot, w);
    if (n->kind != N_FOR && n->a && n->a->kind != N_VAR)
        mark_assigned(n->a);
    *w = saved;
}

static void visit_try(walk *w, jsc_node *n)
{
    visit(w, n->a);
    walk saved = *w;
    if (n->b) {
        w->scope = scope_new(w, JSC_S_CATCH, n);
        declare_pattern(w, w->scope, n->b, JSC_B_CATCH);
        visit(w, n->b);
    } else {
        n->scope = NULL;
    }
    visit(w, n->c);
    *w = saved;
    visit(w, n->d);
}

static void visit_class(walk *w, jsc_node *n)
{
    walk saved = *w;
    n->scope = NULL;
    if (n->str) {
        w->scope = scope_new(w, JSC_S_CLASS, n);
        declare(w, w->scope, n->str, JSC_B_CLASS, n);
    }
    jsc_each_child(w->cx, n, visit_slot, w);
    *w = saved;
}

static void visit_property(walk *w, jsc_node *n)
{
    if (n->a && (n->flags & JSC_COMPUTED))
        visit(w, n->a);
    else if (n->a && n->a->kind == N_IDENT)
        n->a->scope = NULL; /* a key, not a variable */
    if (n->b)
        visit(w, n->b);
    else if (n->a && (n->flags & JSC_SHORTHAND))
        resolve(w, n->a);
}

static void note_name(walk *w, const jsc_node *n)
{
    switch (n->kind) {
    case N_IDENT:
    case N_FUNCTION:
    case N_FUNC_DECL:
    case N_CLASS:
    case N_CLASS_DECL:
    case N_LABELED:
    case N_MEMBER:
        if (n->str)
            jsc_names_add(w->cx, w->names, n->str);
        break;
    default:
        break;
    }
}

static void visit(walk *w, jsc_node *n)
{
    if (!n)
        return;
    note_name(w, n);
    switch (n->kind) {
    case N_IDENT:
        resolve(w, n);
        return;
    case N_THIS:
        w->this_fn->uses_this = 1;
        return;
    case N_FUNCTION:
    case N_FUNC_DECL:
        visit_function(w, n);
        return;
    case N_CLASS:
    case N_CLASS_DECL:
        visit_class(w, n);
        return;
    case N_BLOCK:
        visit_block(w, n, n->a);
        return;
    case N_SWITCH:
        visit_switch(w, n);
        return;
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
    case N_WHILE:
    case N_DO_WHILE:
        visit_loop(w, n);
        return;
    case N_TRY:
        visit_try(w, n);
        return;
    case N_PROPERTY:
        visit_property(w, n);
        return;
    case N_CALL:
        if (n->a && n->a->kind == N_IDENT && strcmp(n->a->str, "eval") == 0)
            w->scope->func->has_eval = 1;
        break;
    default:
        break;
    }
    jsc_each_child(w->cx, n, visit_slot, w);
    if (n->kind == N_ASSIGN || n->kind == N_UPDATE)
        mark_assigned(n->a);
}

int jsc_scope(jsc_ctx *cx, jsc_node *prog)
{
    walk w = {cx, NULL, NULL, NULL, NULL};
    jsc_names *names = jsc_alloc(cx, sizeof *names);
    w.names = names;
    jsc_scope_info *root = scope_new(&w, JSC_S_PROGRAM, prog);
    root->names = names;
    w.scope = root;
    w.this_fn = root;
    hoist_slot(cx, &prog, &w);
    declare_lexical(&w, root, prog->a);
    visit_list(&w, prog->a);
    visit_list(&w, prog->c);
    if (!cx->temp_prefix)
        cx->temp_prefix = jsc_names_temp_prefix(cx, names);
    return !cx->failed;
}

/* ---- queries --------------------------------------------------------------------------------- */

jsc_binding *jsc_ident_binding(const jsc_node *ident)
{
    return ident && ident->kind == N_IDENT ? ident->scope : NULL;
}

int jsc_is_global_ref(const jsc_node *ident)
{
    return ident && ident->kind == N_IDENT && ident->scope == NULL;
}

static jsc_names *names_of(const jsc_node *prog)
{
    const jsc_scope_info *root = prog ? prog->scope : NULL;
    return root ? root->names : NULL;
}

int jsc_scope_name_used(const jsc_node *prog, const char *name)
{
    return jsc_names_has(names_of(prog), name);
}

void jsc_scope_add_name(jsc_ctx *cx, jsc_node *prog, const char *name)
{
    jsc_names *set = names_of(prog);
    if (set)
        jsc_names_add(cx, set, name);
}

const char *jsc_scope_fresh_name(jsc_ctx *cx, jsc_node *prog, const char *base)
{
    const char *prefix = cx->temp_prefix ? cx->temp_prefix : "$$";
    for (unsigned i = 1;; i++) {
        const char *name = jsc_sprintf(cx, "%s$%u", base, i);
        if (strncmp(name, prefix, strlen(prefix)) != 0 && !jsc_scope_name_used(prog, name)) {
            jsc_scope_add_name(cx, prog, name);
            return name;
        }
    }
}
