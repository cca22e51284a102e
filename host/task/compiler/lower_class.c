/*
 * host/task/compiler/lower_class.c - classes to ES5 constructor functions.
 *
 *   class B extends A { constructor(x) { super(x); } m() { return super.m(); } static s() {} }
 * becomes (a class declaration is `let B = ...;` for the block pass)
 *   (function ($$1) {
 *       function B(x) {
 *           var $$2;
 *           if (!(this instanceof B)) $jsc_class_call(B);
 *           $$2 = $jsc_super_construct($$1, this, [x]);
 *           return $$2;
 *       }
 *       $jsc_class(B, $$1, "B", 1);
 *       $jsc_method(B.prototype, "m", function () { return $$1.prototype.m.call(this); });
 *       $jsc_method(B, "s", function () {});
 *       return B;
 *   })(A)
 * In a derived constructor `this` is the temporary that super() sets (arrows included).
 * Instance fields go into one initialiser function called on the new object (at the top of
 * a base constructor, right after super() in a derived one); static fields run after the
 * methods are defined, in a function called with `this` = the class. Computed keys are
 * evaluated once, in member order. Helpers are in runtime module `class`.
 */
#include "ast.h"
#include "phases.h"
#include "runtime.h"

#include <string.h>

typedef struct klass {
    jsc_node *iife;          /* the N_FUNCTION being built */
    const char *name;        /* the constructor's name inside the IIFE */
    const char *display;     /* C.name and messages */
    const char *super_t;     /* IIFE parameter holding the superclass; NULL: no extends */
    const char *init_t;      /* instance field initialiser; NULL: no instance fields */
    jsc_node *stmts;         /* IIFE body */
    jsc_node *inst, *stat;   /* field assignment statements */
} klass;

/* Context of a walk over one member's code for super, this and new.target. */
typedef struct sup {
    klass *k;
    int is_static, is_ctor, in_arrow;
    const char *this_t; /* derived constructor: the temporary standing for `this` */
    const jsc_node *at;
    int super_done; /* a top-level `super(...);` statement of the constructor ran before */
} sup;

static void visit(jsc_ctx *cx, jsc_node **slot, void *data);
static void sw_visit(jsc_ctx *cx, jsc_node **slot, void *data);

/* ---- small builders ------------------------------------------------------------------- */

/* A call of runtime helper `name`, needing the module that defines it. */
static jsc_node *call_helper(jsc_ctx *cx, const char *name, jsc_node *args, const jsc_node *at)
{
    const char *module = jsc_runtime_module_of(name);
    /* unknown: jsc_runtime_select says so */
    return jsc_helper_call(cx, module ? module : name, name, args, at);
}

/* `this` in a member; in a derived constructor the temporary super() sets, checked (`($$2 ||
 * $jsc_this_uninit())`, a ReferenceError) unless a top-level super() call came before. */
static jsc_node *this_expr(jsc_ctx *cx, const sup *s, const jsc_node *at)
{
    if (!s->this_t)
        return jsc_node_new(cx, N_THIS, at);
    if (s->super_done)
        return jsc_ident(cx, s->this_t, at);
    jsc_node *n = jsc_node_new(cx, N_LOGICAL, at);
    n->op = JT_OROR;
    n->a = jsc_ident(cx, s->this_t, at);
    n->b = call_helper(cx, "$jsc_this_uninit", NULL, at);
    n->flags = JSC_PARENS;
    return n;
}

/* The object super.x starts its lookup from. */
static jsc_node *home(jsc_ctx *cx, const sup *s, const jsc_node *at)
{
    if (s->k->super_t)
        return s->is_static ? jsc_ident(cx, s->k->super_t, at)
                            : jsc_member(cx, jsc_ident(cx, s->k->super_t, at), "prototype", at);
    return jsc_member(cx, jsc_ident(cx, s->is_static ? "Function" : "Object", at), "prototype", at);
}

/* The key of super.x / super[x] as an expression. */
static jsc_node *super_key(jsc_ctx *cx, jsc_node *ref)
{
    if (ref->kind == N_INDEX)
        return ref->b;
    return jsc_string(cx, ref->str, strlen(ref->str), ref);
}

static int is_super_ref(const jsc_node *n)
{
    return (n->kind == N_MEMBER || n->kind == N_INDEX) && n->a->kind == N_SUPER;
}

/* ---- super, this, new.target inside a member -------------------------------------------- */

static void sw_children_of_ref(jsc_ctx *cx, jsc_node *ref, sup *s)
{
    if (ref->kind == N_INDEX)
        sw_visit(cx, &ref->b, s);
}

static void sw_list(jsc_ctx *cx, jsc_node **head, sup *s)
{
    for (jsc_node **p = head; *p; p = &(*p)->next)
        sw_visit(cx, p, s);
}

/* super(args) in a derived constructor. */
static jsc_node *super_ctor_call(jsc_ctx *cx, sup *s, jsc_node *n)
{
    klass *k = s->k;
    if (!s->is_ctor || !k->super_t || !s->this_t) {
        jsc_error(cx, n, "'super' keyword unexpected here");
        return n;
    }
    sw_list(cx, &n->b, s);
    jsc_node *arr = jsc_node_new(cx, N_ARRAY, n);
    arr->a = n->b;
    jsc_node *args =
        jsc_link(jsc_ident(cx, k->super_t, n), jsc_link(jsc_node_new(cx, N_THIS, n), arr));
    jsc_node *set = jsc_assign(cx, jsc_ident(cx, s->this_t, n),
                               call_helper(cx, "$jsc_super_construct", args, n), n);
    if (!k->init_t)
        return set;
    jsc_node *init = jsc_call(cx, jsc_member(cx, jsc_ident(cx, k->init_t, n), "call", n),
                              jsc_ident(cx, s->this_t, n), n);
    jsc_node *sq = jsc_node_new(cx, N_SEQUENCE, n);
    sq->a = jsc_link(set, jsc_link(init, jsc_ident(cx, s->this_t, n)));
    return sq;
}

/* super.m(args) -> HOME.m.call(this, args) */
static jsc_node *super_method_call(jsc_ctx *cx, sup *s, jsc_node *n)
{
    jsc_node *ref = n->a;
    sw_children_of_ref(cx, ref, s);
    sw_list(cx, &n->b, s);
    ref->a = home(cx, s, ref);
    jsc_node *self = this_expr(cx, s, n);
    self->next = n->b;
    n->a = jsc_member(cx, ref, "call", n);
    n->b = self;
    return n;
}

static jsc_node *super_assign(jsc_ctx *cx, sup *s, jsc_node *n)
{
    if (n->op != JT_ASSIGN) {
        jsc_error(cx, n, "compound assignment to a super property is not supported");
        return n;
    }
    sw_children_of_ref(cx, n->a, s);
    sw_visit(cx, &n->b, s);
    jsc_node *key = super_key(cx, n->a);
    key->next = NULL;
    n->b->next = NULL;
    jsc_node *args = jsc_link(home(cx, s, n), jsc_link(key, jsc_link(n->b, this_expr(cx, s, n))));
    return call_helper(cx, "$jsc_super_set", args, n);
}

static jsc_node *super_get(jsc_ctx *cx, sup *s, jsc_node *n)
{
    sw_children_of_ref(cx, n, s);
    jsc_node *key = super_key(cx, n);
    key->next = NULL;
    jsc_node *args = jsc_link(home(cx, s, n), jsc_link(key, this_expr(cx, s, n)));
    return call_helper(cx, "$jsc_super_get", args, n);
}

/* Kinds handled before their children; returns 1 when it handled n. */
static int sw_special(jsc_ctx *cx, jsc_node **slot, sup *s)
{
    jsc_node *n = *slot;
    switch (n->kind) {
    case N_CALL:
        if (n->a->kind == N_SUPER)
            jsc_replace(slot, super_ctor_call(cx, s, n));
        else if (is_super_ref(n->a))
            jsc_replace(slot, super_method_call(cx, s, n));
        else
            return 0;
        return 1;
    case N_ASSIGN:
        if (!is_super_ref(n->a))
            return 0;
        jsc_replace(slot, super_assign(cx, s, n));
        return 1;
    case N_UPDATE:
    case N_UNARY:
        if (!is_super_ref(n->a) || (n->kind == N_UNARY && n->op != JT_DELETE))
            return 0;
        jsc_error(cx, n, "'%s' of a super property is not supported",
                  n->kind == N_UPDATE ? "increment" : "delete");
        return 1;
    case N_MEMBER:
    case N_INDEX:
        if (n->a->kind != N_SUPER)
            return 0;
        jsc_replace(slot, super_get(cx, s, n));
        return 1;
    default:
        return 0;
    }
}

static void sw_visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    sup *s = data;
    jsc_node *n = *slot;
    if (sw_special(cx, slot, s))
        return;
    switch (n->kind) {
    case N_FUNCTION:
    case N_FUNC_DECL:
        if (!(n->flags & JSC_ARROW))
            return; /* its own this; super cannot appear in it */
        s->in_arrow++;
        jsc_each_child(cx, n, sw_visit, s);
        s->in_arrow--;
        return;
    case N_THIS:
        if (s->this_t)
            jsc_replace(slot, this_expr(cx, s, n));
        return;
    case N_NEW_TARGET:
        jsc_replace(slot, s->is_ctor ? jsc_member(cx, jsc_node_new(cx, N_THIS, n), "constructor", n)
                                     : jsc_void0(cx, n));
        return;
    case N_SUPER:
        jsc_error(cx, n, "'super' keyword unexpected here");
        return;
    case N_PROPERTY:
        if ((n->flags & JSC_COMPUTED) && n->a)
            sw_visit(cx, &n->a, s);
        if (n->b && n->b != n->a)
            sw_visit(cx, &n->b, s);
        return;
    default:
        break;
    }
    jsc_each_child(cx, n, sw_visit, s);
    if (n->kind == N_RETURN && s->this_t && !s->in_arrow && !n->a)
        n->a = jsc_ident(cx, s->this_t, n);
}

/* Walk the parameters and body of member function fn (or an initialiser expression). */
static void sw_member(jsc_ctx *cx, klass *k, jsc_node **slot, int is_static)
{
    sup s = {k, is_static, 0, 0, NULL, *slot, 0};
    if ((*slot)->kind == N_FUNCTION)
        jsc_each_child(cx, *slot, sw_visit, &s);
    else
        sw_visit(cx, slot, &s);
}

/* ---- members -------------------------------------------------------------------------- */

/* A member's key as an expression; computed field keys are evaluated now into a temporary. */
static jsc_node *member_key(jsc_ctx *cx, klass *k, jsc_node *p, int for_field)
{
    jsc_node *key = p->a;
    if (!(p->flags & JSC_COMPUTED))
        return key->kind == N_IDENT ? jsc_string(cx, key->str, strlen(key->str), key) : key;
    sw_member(cx, k, &p->a, 0); /* super in a computed key belongs to the outer class */
    key = p->a;
    if (!for_field)
        return key;
    const char *t = jsc_declare_temp(cx, k->iife);
    key->next = NULL;
    jsc_list_append(&k->stmts, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, t, key), key, key)));
    return jsc_ident(cx, t, key);
}

static jsc_node *target_of(jsc_ctx *cx, klass *k, int is_static, const jsc_node *at)
{
    jsc_node *c = jsc_ident(cx, k->name, at);
    return is_static ? c : jsc_member(cx, c, "prototype", at);
}

static void add_field(jsc_ctx *cx, klass *k, jsc_node *p)
{
    int is_static = (p->flags & JSC_STATIC) != 0;
    jsc_node *ix;
    if (!(p->flags & JSC_COMPUTED) && p->a->kind == N_IDENT) {
        ix = jsc_member(cx, jsc_node_new(cx, N_THIS, p), p->a->str, p);
    } else {
        jsc_node *key = member_key(cx, k, p, 1);
        key->next = NULL;
        ix = jsc_node_new(cx, N_INDEX, p);
        ix->a = jsc_node_new(cx, N_THIS, p);
        ix->b = key;
    }
    if (p->b)
        sw_member(cx, k, &p->b, is_static);
    jsc_node *val = p->b ? p->b : jsc_void0(cx, p);
    val->next = NULL;
    jsc_node *st = jsc_expr_stmt(cx, jsc_assign(cx, ix, val, p));
    jsc_list_append(is_static ? &k->stat : &k->inst, st);
}

static void add_method(jsc_ctx *cx, klass *k, jsc_node *p)
{
    int is_static = (p->flags & JSC_STATIC) != 0;
    jsc_node *key = member_key(cx, k, p, 0);
    jsc_node *fn = p->b;
    sw_member(cx, k, &p->b, is_static);
    fn->flags &= ~(uint32_t)(JSC_METHOD | JSC_GET | JSC_SET);
    key->next = NULL;
    fn->next = NULL;
    jsc_node *args = jsc_link(target_of(cx, k, is_static, p), key);
    if (p->flags & (JSC_GET | JSC_SET)) {
        int get = (p->flags & JSC_GET) != 0;
        jsc_link(key, jsc_link(get ? fn : jsc_void0(cx, p), get ? jsc_void0(cx, p) : fn));
        jsc_list_append(&k->stmts, jsc_expr_stmt(cx, call_helper(cx, "$jsc_accessor", args, p)));
    } else {
        jsc_link(key, fn);
        jsc_list_append(&k->stmts, jsc_expr_stmt(cx, call_helper(cx, "$jsc_method", args, p)));
    }
}

/* ---- the constructor ------------------------------------------------------------------ */

static jsc_node *stmt_call_init(jsc_ctx *cx, klass *k, jsc_node *self, const jsc_node *at)
{
    jsc_node *c = jsc_call(cx, jsc_member(cx, jsc_ident(cx, k->init_t, at), "call", at), self, at);
    return jsc_expr_stmt(cx, c);
}

/* if (!(this instanceof C)) $jsc_class_call(C); */
static jsc_node *call_check(jsc_ctx *cx, klass *k, const jsc_node *at)
{
    jsc_node *inst = jsc_node_new(cx, N_BINARY, at);
    inst->op = JT_INSTANCEOF;
    inst->a = jsc_node_new(cx, N_THIS, at);
    inst->b = jsc_ident(cx, k->name, at);
    jsc_node *neg = jsc_node_new(cx, N_UNARY, at);
    neg->op = JT_NOT;
    neg->a = inst;
    jsc_node *iff = jsc_node_new(cx, N_IF, at);
    iff->a = neg;
    iff->b = jsc_expr_stmt(cx, call_helper(cx, "$jsc_class_call", jsc_ident(cx, k->name, at), at));
    return iff;
}

/* The implicit constructor body of a derived class: super(...arguments). */
static jsc_node *implicit_derived(jsc_ctx *cx, klass *k, const char *self, const jsc_node *at)
{
    jsc_node *args =
        jsc_link(jsc_ident(cx, k->super_t, at),
                 jsc_link(jsc_node_new(cx, N_THIS, at), jsc_ident(cx, "arguments", at)));
    jsc_node *set = jsc_assign(cx, jsc_ident(cx, self, at),
                               call_helper(cx, "$jsc_super_construct", args, at), at);
    jsc_node *list = jsc_expr_stmt(cx, set);
    if (k->init_t)
        jsc_list_append(&list, stmt_call_init(cx, k, jsc_ident(cx, self, at), at));
    return list;
}

static jsc_node *build_ctor(jsc_ctx *cx, klass *k, jsc_node *prop, const jsc_node *at)
{
    jsc_node *fn = jsc_node_new(cx, N_FUNC_DECL, prop ? prop : at);
    fn->str = k->name;
    fn->flags |= JSC_LOWERED;
    jsc_node *src = prop ? prop->b : NULL;
    if (src) {
        fn->a = src->a;
        fn->b = src->b;
        fn->c = src->c;
        fn->flags |= src->flags & JSC_STRICT;
    } else {
        fn->b = jsc_node_new(cx, N_BLOCK, at);
    }
    const char *self = k->super_t ? jsc_declare_temp(cx, fn) : NULL;
    sup s = {k, 0, 1, 0, self, at, 0};
    for (jsc_node **p = &fn->a; *p; p = &(*p)->next)
        sw_visit(cx, p, &s);
    for (jsc_node **p = &fn->b->a; *p; p = &(*p)->next) {
        int top_super = (*p)->kind == N_EXPR_STMT && (*p)->a->kind == N_CALL &&
                        (*p)->a->a->kind == N_SUPER;
        sw_visit(cx, p, &s);
        s.super_done |= top_super;
    }
    jsc_node *head = call_check(cx, k, at);
    if (!self && k->init_t)
        jsc_list_append(&head, stmt_call_init(cx, k, jsc_node_new(cx, N_THIS, at), at));
    if (self && !src)
        jsc_list_append(&head, implicit_derived(cx, k, self, at));
    /* after a directive prologue, if any */
    jsc_node **p = &fn->b->a;
    while (*p && (*p)->kind == N_EXPR_STMT && (*p)->a->kind == N_STRING)
        p = &(*p)->next;
    jsc_list_last(head)->next = *p;
    *p = head;
    if (self) {
        jsc_node *ret = jsc_node_new(cx, N_RETURN, at);
        s.super_done = 0; /* returning without super() is the same ReferenceError */
        ret->a = src ? this_expr(cx, &s, at) : jsc_ident(cx, self, at);
        jsc_list_append(&fn->b->a, ret);
    }
    return fn;
}

/* ---- the class ------------------------------------------------------------------------ */

/* `NAME = function () { stmts }` (as a statement) or `(function () { stmts }).call(NAME)`. */
static jsc_node *field_fn(jsc_ctx *cx, jsc_node *stmts, const jsc_node *at)
{
    jsc_node *fn = jsc_node_new(cx, N_FUNCTION, at);
    fn->b = jsc_node_new(cx, N_BLOCK, at);
    fn->b->a = stmts;
    fn->flags = JSC_STRICT;
    return fn;
}

static void add_members(jsc_ctx *cx, klass *k, jsc_node *cls, jsc_node **ctor)
{
    for (jsc_node *p = cls->b; p; p = p->next) {
        if (p->kind != N_PROPERTY)
            continue;
        if (p->flags & JSC_CONSTRUCTOR)
            *ctor = p;
        else if (p->flags & JSC_FIELD)
            add_field(cx, k, p);
        else
            add_method(cx, k, p);
    }
}

static int has_instance_fields(const jsc_node *cls)
{
    for (const jsc_node *p = cls->b; p; p = p->next)
        if ((p->flags & JSC_FIELD) && !(p->flags & JSC_STATIC))
            return 1;
    return 0;
}

static jsc_node *lower_class(jsc_ctx *cx, jsc_node *cls, const char *hint)
{
    klass k = {0};
    k.iife = jsc_node_new(cx, N_FUNCTION, cls);
    k.iife->flags = JSC_LOWERED | JSC_STRICT;
    k.name = cls->str ? cls->str : jsc_temp_name(cx);
    k.display = cls->str ? cls->str : hint ? hint : "";
    if (cls->a) {
        k.super_t = jsc_temp_name(cx);
        k.iife->a = jsc_ident(cx, k.super_t, cls->a);
    }
    if (has_instance_fields(cls))
        k.init_t = jsc_declare_temp(cx, k.iife);
    jsc_node *ctor_prop = NULL;
    jsc_node *setup = jsc_ident(cx, k.name, cls);
    jsc_link(setup, jsc_link(cls->a ? jsc_ident(cx, k.super_t, cls) : jsc_node_new(cx, N_NULL, cls),
                             jsc_link(jsc_string(cx, k.display, strlen(k.display), cls),
                                      jsc_number(cx, cls->a ? 1 : 0, cls))));
    k.stmts = jsc_expr_stmt(cx, call_helper(cx, "$jsc_class", setup, cls));
    add_members(cx, &k, cls, &ctor_prop);
    if (k.init_t) {
        jsc_node *set = jsc_assign(cx, jsc_ident(cx, k.init_t, cls), field_fn(cx, k.inst, cls), cls);
        jsc_list_append(&k.stmts, jsc_expr_stmt(cx, set));
    }
    if (k.stat) {
        jsc_node *call = jsc_member(cx, field_fn(cx, k.stat, cls), "call", cls);
        jsc_list_append(&k.stmts,
                        jsc_expr_stmt(cx, jsc_call(cx, call, jsc_ident(cx, k.name, cls), cls)));
    }
    jsc_node *ret = jsc_node_new(cx, N_RETURN, cls);
    ret->a = jsc_ident(cx, k.name, cls);
    jsc_list_append(&k.stmts, ret);
    jsc_node *ctor = build_ctor(cx, &k, ctor_prop, cls);
    ctor->next = k.stmts;
    k.iife->b = jsc_node_new(cx, N_BLOCK, cls);
    k.iife->b->a = ctor;
    jsc_node *call = jsc_call(cx, k.iife, NULL, cls);
    if (cls->a) {
        cls->a->next = NULL;
        call->b = cls->a;
    }
    if (cls->kind == N_CLASS)
        return call;
    jsc_node *decl = jsc_var_decl(cx, k.name, call, cls);
    decl->flags = JSC_DECL_LET;
    return decl;
}

/* Lower the class at *slot (children first, so nested classes are done already). */
static void lower_at(jsc_ctx *cx, jsc_node **slot, const char *hint)
{
    jsc_node *n = *slot;
    jsc_each_child(cx, n, visit, NULL);
    jsc_replace(slot, lower_class(cx, n, hint));
}

static int anonymous_class(const jsc_node *n)
{
    return n && n->kind == N_CLASS && !n->str;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    (void)data;
    if (n->kind == N_CLASS || n->kind == N_CLASS_DECL) {
        lower_at(cx, slot, NULL);
        return;
    }
    /* name inference: `x = class {}`, `var x = class {}`, `{x: class {}}` */
    const char *hint = NULL;
    if ((n->kind == N_DECLARATOR || (n->kind == N_ASSIGN && n->op == JT_ASSIGN)) &&
        n->a->kind == N_IDENT && anonymous_class(n->b))
        hint = n->a->str;
    else if (n->kind == N_PROPERTY && !(n->flags & JSC_COMPUTED) && anonymous_class(n->b) &&
             (n->a->kind == N_IDENT || n->a->kind == N_STRING))
        hint = n->a->str;
    if (!hint) {
        jsc_each_child(cx, n, visit, NULL);
        return;
    }
    visit(cx, &n->a, NULL);
    lower_at(cx, &n->b, hint);
}

int jsc_lower_class(jsc_ctx *cx, jsc_node *prog)
{
    jsc_each_child(cx, prog, visit, NULL);
    return !cx->failed;
}
