/*
 * host/task/compiler/lower_template.c - template literals and tagged templates.
 *
 * `a${x}b${y}` becomes "a".concat(x, "b", y): String.prototype.concat applies ToString to each
 * argument, as a template does (`+` would call valueOf first). A tagged template tag`a${x}`
 * becomes tag($$1 || ($$1 = $jsc_template(["a"], ["a"])), x): the strings array is made once
 * per call site (a `var` of the program) so every evaluation passes the same frozen object.
 * A member tag (o.f`...`) stays the callee of the call and keeps `this`.
 */
#include "ast.h"
#include "phases.h"

static void visit(jsc_ctx *cx, jsc_node **slot, void *data);

static jsc_node *part_string(jsc_ctx *cx, const jsc_node *part)
{
    return jsc_string(cx, part->str ? part->str : "", part->str ? part->len : 0, part);
}

/* An untagged template (its expressions already lowered). */
static jsc_node *lower_template(jsc_ctx *cx, jsc_node *t)
{
    jsc_node *part = t->a, *expr = t->b;
    jsc_node *recv = part_string(cx, part);
    if (!expr)
        return recv;
    jsc_node *args = NULL;
    for (part = part->next; expr; part = part ? part->next : NULL) {
        jsc_node *e = expr;
        expr = expr->next;
        e->next = NULL;
        jsc_list_append(&args, e);
        if (part && part->len > 0)
            jsc_list_append(&args, part_string(cx, part));
    }
    return jsc_call(cx, jsc_member(cx, recv, "concat", t), args, t);
}

static jsc_node *string_array(jsc_ctx *cx, const jsc_node *parts, int raw, const jsc_node *at)
{
    jsc_node *arr = jsc_node_new(cx, N_ARRAY, at);
    for (const jsc_node *p = parts; p; p = p->next) {
        jsc_node *e;
        if (raw)
            e = jsc_string(cx, p->raw ? p->raw : "", p->raw ? p->raw_len : 0, p);
        else if (p->str)
            e = jsc_string(cx, p->str, p->len, p);
        else
            e = jsc_void0(cx, p);
        jsc_list_append(&arr->a, e);
    }
    return arr;
}

static jsc_node *lower_tagged(jsc_ctx *cx, jsc_node *prog, jsc_node *n)
{
    jsc_node *t = n->b;
    const char *cache = jsc_declare_temp(cx, prog);
    jsc_node *cooked = string_array(cx, t->a, 0, t);
    cooked->next = string_array(cx, t->a, 1, t);
    jsc_node *make = jsc_call(cx, jsc_ident(cx, "$jsc_template", t), cooked, t);
    jsc_node *orr = jsc_node_new(cx, N_LOGICAL, t);
    orr->op = JT_OROR;
    orr->a = jsc_ident(cx, cache, t);
    orr->b = jsc_assign(cx, jsc_ident(cx, cache, t), make, t);
    orr->next = t->b;
    jsc_need(cx, "template");
    return jsc_call(cx, n->a, orr, n);
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    if (n->kind == N_TAGGED) {
        jsc_node **tag = &n->a;
        visit(cx, tag, data);
        for (jsc_node **e = &n->b->b; *e; e = &(*e)->next)
            visit(cx, e, data); /* an expression is replaced by one expression */
        jsc_replace(slot, lower_tagged(cx, data, n));
        return;
    }
    jsc_each_child(cx, n, visit, data);
    if (n->kind == N_TEMPLATE)
        jsc_replace(slot, lower_template(cx, n));
}

int jsc_lower_template(jsc_ctx *cx, jsc_node *prog)
{
    jsc_each_child(cx, prog, visit, prog);
    return !cx->failed;
}
