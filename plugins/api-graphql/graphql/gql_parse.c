/*
 * gql_parse.c - a recursive-descent parser for GraphQL documents (specification section 2):
 * documents, operations, fragments, selections, values and types; the type system definitions
 * are in gql_parse_sdl.c. Messages and positions as graphql-js reports them.
 *
 * Recursion is bounded (max_nesting) so that a hostile document cannot exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_parse_int.h"

int gql_perr(parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(p->err->message, sizeof p->err->message, "Syntax Error: ");
    vsnprintf(p->err->message + n, sizeof p->err->message - (size_t)n, fmt, ap);
    va_end(ap);
    p->err->line = line;
    p->err->col = col;
    return -1;
}

int gql_padvance(parser *p)
{
    if (gql_lex_next(&p->lx) < 0) {
        if (!p->failed) {
            p->failed = 1;
            snprintf(p->err->message, sizeof p->err->message, "%s", p->lx.err);
            p->err->line = p->lx.err_line;
            p->err->col = p->lx.err_col;
        }
        return -1;
    }
    if (p->lx.tok.kind != GQL_T_EOF && p->max_tokens && ++p->ntokens > p->max_tokens)
        return gql_perr(p, p->lx.tok.line, p->lx.tok.col,
                        "Document contains more than %zu tokens. Parsing aborted.", p->max_tokens);
    return 0;
}

int gql_ppeek(parser *p, gql_tok k)
{
    return TOK.kind == k;
}

int gql_ppeek_kw(parser *p, const char *kw)
{
    return TOK.kind == GQL_T_NAME && strcmp(TOK.value, kw) == 0;
}

int gql_punexpected(parser *p, const gql_token *t)
{
    char d[256];
    gql_tok_describe(t, d, sizeof d);
    return gql_perr(p, t->line, t->col, "Unexpected %s.", d);
}

int gql_pexpect(parser *p, gql_tok k)
{
    if (TOK.kind == k)
        return gql_padvance(p);
    char d[256];
    gql_tok_describe(&TOK, d, sizeof d);
    if (k >= GQL_T_BANG && k <= GQL_T_BRACE_R)
        return gql_perr(p, TOK.line, TOK.col, "Expected \"%s\", found %s.", gql_tok_kind_name(k),
                        d);
    return gql_perr(p, TOK.line, TOK.col, "Expected %s, found %s.", gql_tok_kind_name(k), d);
}

int gql_poptional(parser *p, gql_tok k)
{
    if (TOK.kind != k)
        return 0;
    return gql_padvance(p) < 0 ? -1 : 1;
}

int gql_pexpect_kw(parser *p, const char *kw)
{
    if (gql_ppeek_kw(p, kw))
        return gql_padvance(p);
    char d[256];
    gql_tok_describe(&TOK, d, sizeof d);
    return gql_perr(p, TOK.line, TOK.col, "Expected \"%s\", found %s.", kw, d);
}

gql_node *gql_pnode(parser *p, gql_kind kind, const gql_token *at)
{
    gql_node *n = gql_arena_alloc(p->a, sizeof *n);
    if (!n) {
        gql_perr(p, at->line, at->col, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->line = at->line;
    n->col = at->col;
    return n;
}

int gql_penter(parser *p)
{
    if (++p->depth > p->max_depth)
        return gql_perr(p, TOK.line, TOK.col,
                        "Document nests deeper than %u levels. Parsing aborted.", p->max_depth);
    return 0;
}

const char *gql_pname(parser *p)
{
    if (TOK.kind != GQL_T_NAME) {
        gql_pexpect(p, GQL_T_NAME);
        return NULL;
    }
    const char *v = TOK.value;
    p->nline = TOK.line;
    p->ncol = TOK.col;
    return gql_padvance(p) < 0 ? NULL : v;
}

/* ---- types and values ---------------------------------------------------------------------- */

gql_node *gql_ptype(parser *p)
{
    gql_token start = TOK;
    gql_node *t;
    if (gql_penter(p) < 0)
        return NULL;
    if (gql_poptional(p, GQL_T_BRACKET_L) == 1) {
        gql_node *inner = gql_ptype(p);
        if (!inner || gql_pexpect(p, GQL_T_BRACKET_R) < 0)
            return NULL;
        if (!(t = gql_pnode(p, GQL_LIST_TYPE, &start)))
            return NULL;
        t->type = inner;
    } else {
        if (p->failed || !(t = gql_pnode(p, GQL_NAMED_TYPE, &start)) ||
            !(t->name = gql_pname(p), NAMEPOS(t), t->name))
            return NULL;
    }
    p->depth--;
    int bang = gql_poptional(p, GQL_T_BANG);
    if (bang < 0)
        return NULL;
    if (bang) {
        gql_node *nn = gql_pnode(p, GQL_NON_NULL_TYPE, &start);
        if (!nn)
            return NULL;
        nn->type = t;
        return nn;
    }
    return t;
}

gql_node *gql_pnamed_type(parser *p)
{
    gql_token start = TOK;
    gql_node *t = gql_pnode(p, GQL_NAMED_TYPE, &start);
    if (!t || !(t->name = gql_pname(p), NAMEPOS(t), t->name))
        return NULL;
    return t;
}

static gql_node *parse_variable(parser *p)
{
    gql_token start = TOK;
    gql_node *v = gql_pnode(p, GQL_VARIABLE, &start);
    if (!v || gql_pexpect(p, GQL_T_DOLLAR) < 0 || !(v->name = gql_pname(p), NAMEPOS(v), v->name))
        return NULL;
    return v;
}

gql_node *gql_pvalue(parser *p, int is_const)
{
    gql_token t = TOK;
    gql_node *v = NULL;
    if (gql_penter(p) < 0)
        return NULL;
    switch (t.kind) {
    case GQL_T_BRACKET_L: {
        if (!(v = gql_pnode(p, GQL_LIST, &t)) || gql_padvance(p) < 0)
            return NULL;
        gql_node *tail = NULL;
        while (!gql_ppeek(p, GQL_T_BRACKET_R)) {
            gql_node *item = gql_pvalue(p, is_const);
            if (!item)
                return NULL;
            APPEND(v->sel, tail, item);
        }
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    }
    case GQL_T_BRACE_L: {
        if (!(v = gql_pnode(p, GQL_OBJECT, &t)) || gql_padvance(p) < 0)
            return NULL;
        gql_node *tail = NULL;
        while (!gql_ppeek(p, GQL_T_BRACE_R)) {
            gql_token ft = TOK;
            gql_node *f = gql_pnode(p, GQL_OBJECT_FIELD, &ft);
            if (!f || !(f->name = gql_pname(p), NAMEPOS(f), f->name) ||
                gql_pexpect(p, GQL_T_COLON) < 0 || !(f->value = gql_pvalue(p, is_const)))
                return NULL;
            APPEND(v->sel, tail, f);
        }
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    }
    case GQL_T_INT:
    case GQL_T_FLOAT:
        if (!(v = gql_pnode(p, t.kind == GQL_T_INT ? GQL_INT : GQL_FLOAT, &t)))
            return NULL;
        v->text = t.value;
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    case GQL_T_STRING:
    case GQL_T_BLOCK_STRING:
        if (!(v = gql_pnode(p, GQL_STRING, &t)))
            return NULL;
        v->text = t.value;
        v->text_len = t.value_len;
        v->flag = t.kind == GQL_T_BLOCK_STRING;
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    case GQL_T_NAME:
        if (strcmp(t.value, "true") == 0 || strcmp(t.value, "false") == 0) {
            if (!(v = gql_pnode(p, GQL_BOOLEAN, &t)))
                return NULL;
            v->flag = t.value[0] == 't';
        } else if (strcmp(t.value, "null") == 0) {
            if (!(v = gql_pnode(p, GQL_NULL, &t)))
                return NULL;
        } else {
            if (!(v = gql_pnode(p, GQL_ENUM, &t)))
                return NULL;
            v->text = t.value;
        }
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    case GQL_T_DOLLAR:
        if (is_const) {
            if (gql_padvance(p) < 0)
                return NULL;
            if (TOK.kind == GQL_T_NAME) {
                gql_perr(p, t.line, t.col, "Unexpected variable \"$%s\" in constant value.",
                         TOK.value);
                return NULL;
            }
            gql_punexpected(p, &t);
            return NULL;
        }
        if (!(v = parse_variable(p)))
            return NULL;
        break;
    default:
        gql_punexpected(p, &TOK);
        return NULL;
    }
    p->depth--;
    return v;
}

static gql_node *parse_arguments(parser *p, int is_const)
{
    gql_node *head = NULL, *tail = NULL;
    int r = gql_poptional(p, GQL_T_PAREN_L);
    if (r <= 0)
        return NULL;
    do {
        gql_token t = TOK;
        gql_node *a = gql_pnode(p, GQL_ARGUMENT, &t);
        if (!a || !(a->name = gql_pname(p), NAMEPOS(a), a->name) ||
            gql_pexpect(p, GQL_T_COLON) < 0 || !(a->value = gql_pvalue(p, is_const)))
            return NULL;
        APPEND(head, tail, a);
    } while (!gql_ppeek(p, GQL_T_PAREN_R));
    if (gql_padvance(p) < 0)
        return NULL;
    return head;
}

gql_node *gql_pdirectives(parser *p, int is_const)
{
    gql_node *head = NULL, *tail = NULL;
    while (gql_ppeek(p, GQL_T_AT)) {
        gql_token t = TOK;
        gql_node *d = gql_pnode(p, GQL_DIRECTIVE, &t);
        if (!d || gql_padvance(p) < 0 || !(d->name = gql_pname(p), NAMEPOS(d), d->name))
            return NULL;
        d->args = parse_arguments(p, is_const);
        if (p->failed)
            return NULL;
        APPEND(head, tail, d);
    }
    return head;
}

/* ---- executable definitions ---------------------------------------------------------------- */

static gql_node *parse_selection_set(parser *p);

static gql_node *parse_selection(parser *p)
{
    gql_token t = TOK;
    gql_node *s;
    if (gql_ppeek(p, GQL_T_SPREAD)) {
        if (gql_padvance(p) < 0)
            return NULL;
        int has_on = gql_ppeek_kw(p, "on");
        if (!has_on && gql_ppeek(p, GQL_T_NAME)) {
            if (!(s = gql_pnode(p, GQL_FRAGMENT_SPREAD, &t)) ||
                !(s->name = gql_pname(p), NAMEPOS(s), s->name))
                return NULL;
            s->dirs = gql_pdirectives(p, 0);
            return p->failed ? NULL : s;
        }
        if (!(s = gql_pnode(p, GQL_INLINE_FRAGMENT, &t)))
            return NULL;
        if (has_on && (gql_padvance(p) < 0 || !(s->type = gql_pnamed_type(p))))
            return NULL;
        s->dirs = gql_pdirectives(p, 0);
        if (p->failed || !(s->sel = parse_selection_set(p)))
            return NULL;
        return s;
    }
    if (!(s = gql_pnode(p, GQL_FIELD, &t)) || !(s->name = gql_pname(p), NAMEPOS(s), s->name))
        return NULL;
    int colon = gql_poptional(p, GQL_T_COLON);
    if (colon < 0)
        return NULL;
    if (colon) {
        s->alias = s->name;
        if (!(s->name = gql_pname(p), NAMEPOS(s), s->name))
            return NULL;
    }
    s->args = parse_arguments(p, 0);
    if (p->failed)
        return NULL;
    s->dirs = gql_pdirectives(p, 0);
    if (p->failed)
        return NULL;
    if (gql_ppeek(p, GQL_T_BRACE_L)) {
        s->sline = TOK.line;
        s->scol = TOK.col;
        if (!(s->sel = parse_selection_set(p)))
            return NULL;
    }
    return s;
}

static gql_node *parse_selection_set(parser *p)
{
    if (gql_penter(p) < 0 || gql_pexpect(p, GQL_T_BRACE_L) < 0)
        return NULL;
    gql_node *head = NULL, *tail = NULL;
    do {
        gql_node *s = parse_selection(p);
        if (!s)
            return NULL;
        APPEND(head, tail, s);
    } while (!gql_ppeek(p, GQL_T_BRACE_R));
    if (gql_padvance(p) < 0)
        return NULL;
    p->depth--;
    return head;
}

static gql_node *parse_variable_defs(parser *p)
{
    gql_node *head = NULL, *tail = NULL;
    int r = gql_poptional(p, GQL_T_PAREN_L);
    if (r <= 0)
        return NULL;
    do {
        gql_token t = TOK;
        gql_node *d = gql_pnode(p, GQL_VARIABLE_DEF, &t);
        gql_node *var = d ? parse_variable(p) : NULL;
        if (!var || gql_pexpect(p, GQL_T_COLON) < 0 || !(d->type = gql_ptype(p)))
            return NULL;
        d->name = var->name;
        d->nline = var->nline;
        d->ncol = var->ncol;
        int eq = gql_poptional(p, GQL_T_EQUALS);
        if (eq < 0 || (eq && !(d->value = gql_pvalue(p, 1))))
            return NULL;
        d->dirs = gql_pdirectives(p, 1);
        if (p->failed)
            return NULL;
        APPEND(head, tail, d);
    } while (!gql_ppeek(p, GQL_T_PAREN_R));
    if (gql_padvance(p) < 0)
        return NULL;
    return head;
}

static gql_node *parse_operation(parser *p)
{
    gql_token t = TOK;
    gql_node *op = gql_pnode(p, GQL_OPERATION, &t);
    if (!op)
        return NULL;
    if (gql_ppeek(p, GQL_T_BRACE_L)) {
        op->flag = GQL_QUERY;
        op->sel = parse_selection_set(p);
        return op->sel ? op : NULL;
    }
    if (gql_ppeek_kw(p, "query"))
        op->flag = GQL_QUERY;
    else if (gql_ppeek_kw(p, "mutation"))
        op->flag = GQL_MUTATION;
    else if (gql_ppeek_kw(p, "subscription"))
        op->flag = GQL_SUBSCRIPTION;
    else {
        gql_punexpected(p, &TOK);
        return NULL;
    }
    if (gql_padvance(p) < 0)
        return NULL;
    if (gql_ppeek(p, GQL_T_NAME) && !(op->name = gql_pname(p), NAMEPOS(op), op->name))
        return NULL;
    op->args = parse_variable_defs(p);
    if (p->failed)
        return NULL;
    op->dirs = gql_pdirectives(p, 0);
    if (p->failed || !(op->sel = parse_selection_set(p)))
        return NULL;
    return op;
}

static gql_node *parse_fragment(parser *p)
{
    gql_token t = TOK;
    gql_node *f = gql_pnode(p, GQL_FRAGMENT_DEF, &t);
    if (!f || gql_pexpect_kw(p, "fragment") < 0)
        return NULL;
    if (gql_ppeek_kw(p, "on")) {
        gql_punexpected(p, &TOK);
        return NULL;
    }
    if (!(f->name = gql_pname(p), NAMEPOS(f), f->name) || gql_pexpect_kw(p, "on") < 0 ||
        !(f->type = gql_pnamed_type(p)))
        return NULL;
    f->dirs = gql_pdirectives(p, 0);
    if (p->failed || !(f->sel = parse_selection_set(p)))
        return NULL;
    return f;
}

/* The token after the current one, without moving (for a description's keyword). */
static gql_token lookahead(parser *p)
{
    gql_lexer save = p->lx;
    gql_token t = TOK;
    if (gql_lex_next(&p->lx) == 0)
        t = p->lx.tok;
    else
        t.kind = GQL_T_SOF; /* the error is reported when really reached */
    p->lx = save;
    return t;
}

static gql_node *parse_definition(parser *p)
{
    if (gql_ppeek(p, GQL_T_BRACE_L))
        return parse_operation(p);
    int has_desc = gql_ppeek(p, GQL_T_STRING) || gql_ppeek(p, GQL_T_BLOCK_STRING);
    gql_token kw = has_desc ? lookahead(p) : TOK;
    if (has_desc && kw.kind == GQL_T_SOF) {
        gql_padvance(p); /* reports the lexer's error */
        return NULL;
    }
    if (has_desc && kw.kind == GQL_T_BRACE_L) {
        gql_perr(p, TOK.line, TOK.col,
                 "Unexpected description, descriptions are not supported on shorthand queries.");
        return NULL;
    }
    if (kw.kind == GQL_T_NAME) {
        static const char *const tsd[] = {"schema", "scalar", "type",  "interface",
                                          "union",  "enum",   "input", "directive"};
        for (size_t i = 0; i < sizeof tsd / sizeof *tsd; i++)
            if (strcmp(kw.value, tsd[i]) == 0)
                return gql_ptype_def(p, tsd[i]);
        int exec = strcmp(kw.value, "query") == 0 || strcmp(kw.value, "mutation") == 0 ||
                   strcmp(kw.value, "subscription") == 0 || strcmp(kw.value, "fragment") == 0;
        if (exec) {
            /* Description? on operations and fragments (the September 2025 edition) */
            gql_token dt = TOK;
            const char *desc = gql_pdescription(p);
            if (p->failed)
                return NULL;
            gql_node *d =
                strcmp(kw.value, "fragment") == 0 ? parse_fragment(p) : parse_operation(p);
            if (d && desc) {
                d->text = desc;
                d->line = dt.line;
                d->col = dt.col;
            }
            return d;
        }
        if (has_desc) {
            gql_perr(p, TOK.line, TOK.col,
                     "Unexpected description, only GraphQL definitions support descriptions.");
            return NULL;
        }
        if (strcmp(kw.value, "extend") == 0) {
            /* parsed so that validation can say it is not executable; a schema refuses it */
            gql_token et = TOK;
            if (gql_padvance(p) < 0)
                return NULL;
            for (size_t i = 0; i < sizeof tsd / sizeof *tsd; i++) {
                if (i != 7 && gql_ppeek_kw(p, tsd[i])) {
                    gql_node *d = gql_ptype_def(p, tsd[i]);
                    if (d) {
                        d->flag |= GQL_EXTENSION;
                        d->line = et.line;
                        d->col = et.col;
                    }
                    return d;
                }
            }
            gql_punexpected(p, &TOK);
            return NULL;
        }
    }
    gql_punexpected(p, &kw);
    return NULL;
}

gql_doc *gql_parse_in(gql_arena *arena, const char *src, size_t len, const gql_parse_limits *lim,
                      gql_syntax_error *err)
{
    parser pr;
    parser *p = &pr;
    memset(p, 0, sizeof *p);
    memset(err, 0, sizeof *err);
    p->a = arena;
    p->err = err;
    p->max_depth = lim && lim->max_nesting ? lim->max_nesting : 128;
    p->max_tokens = lim ? lim->max_tokens : 0;
    gql_lex_init(&p->lx, src, len, arena);
    gql_doc *doc = gql_arena_alloc(arena, sizeof *doc);
    if (!doc) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    doc->arena = arena;
    if (gql_padvance(p) < 0)
        return NULL;
    gql_node *tail = NULL;
    do {
        gql_node *d = parse_definition(p);
        if (!d)
            return NULL;
        APPEND(doc->defs, tail, d);
        doc->ndefs++;
    } while (!gql_ppeek(p, GQL_T_EOF));
    return doc;
}

gql_doc *gql_parse(const char *src, size_t len, const gql_parse_limits *lim, gql_syntax_error *err)
{
    gql_arena *a = gql_arena_new();
    if (!a) {
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    gql_doc *d = gql_parse_in(a, src, len, lim, err);
    if (!d)
        gql_arena_free(a);
    return d;
}

void gql_doc_free(gql_doc *doc)
{
    if (doc)
        gql_arena_free(doc->arena);
}
