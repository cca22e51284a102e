/*
 * gql_parse_sdl.c - the parser's type system half (specification section 3): schema, scalar,
 * object, interface, union, enum and input object definitions, directive definitions, with
 * their descriptions; "extend" definitions are parsed by gql_parse.c through gql_ptype_def.
 */
#include <string.h>

#include "gql_parse_int.h"

/* ---- type system definitions --------------------------------------------------------------- */

const char *gql_pdescription(parser *p)
{
    if (gql_ppeek(p, GQL_T_STRING) || gql_ppeek(p, GQL_T_BLOCK_STRING)) {
        const char *d = TOK.value;
        return gql_padvance(p) < 0 ? NULL : d;
    }
    return NULL;
}

static gql_node *parse_input_value_def(parser *p)
{
    gql_token t = TOK;
    gql_node *d = gql_pnode(p, GQL_INPUT_VALUE_DEF, &t);
    if (!d)
        return NULL;
    d->text = gql_pdescription(p);
    if (p->failed || !(d->name = gql_pname(p), NAMEPOS(d), d->name) ||
        gql_pexpect(p, GQL_T_COLON) < 0 || !(d->type = gql_ptype(p)))
        return NULL;
    int eq = gql_poptional(p, GQL_T_EQUALS);
    if (eq < 0 || (eq && !(d->value = gql_pvalue(p, 1))))
        return NULL;
    d->dirs = gql_pdirectives(p, 1);
    return p->failed ? NULL : d;
}

/* ( InputValueDefinition+ ) or { InputValueDefinition+ } */
static gql_node *parse_input_value_defs(parser *p, gql_tok open, gql_tok close, int *present)
{
    gql_node *head = NULL, *tail = NULL;
    *present = 0;
    int r = gql_poptional(p, open);
    if (r <= 0)
        return NULL;
    *present = 1;
    do {
        gql_node *d = parse_input_value_def(p);
        if (!d)
            return NULL;
        APPEND(head, tail, d);
    } while (!gql_ppeek(p, close));
    if (gql_padvance(p) < 0)
        return NULL;
    return head;
}

static gql_node *parse_field_defs(parser *p)
{
    gql_node *head = NULL, *tail = NULL;
    int r = gql_poptional(p, GQL_T_BRACE_L);
    if (r <= 0)
        return NULL;
    do {
        gql_token t = TOK;
        gql_node *f = gql_pnode(p, GQL_FIELD_DEF, &t);
        int present;
        if (!f)
            return NULL;
        f->text = gql_pdescription(p);
        if (p->failed || !(f->name = gql_pname(p), NAMEPOS(f), f->name))
            return NULL;
        f->args = parse_input_value_defs(p, GQL_T_PAREN_L, GQL_T_PAREN_R, &present);
        if (p->failed || gql_pexpect(p, GQL_T_COLON) < 0 || !(f->type = gql_ptype(p)))
            return NULL;
        f->dirs = gql_pdirectives(p, 1);
        if (p->failed)
            return NULL;
        APPEND(head, tail, f);
    } while (!gql_ppeek(p, GQL_T_BRACE_R));
    if (gql_padvance(p) < 0)
        return NULL;
    return head;
}

static gql_node *parse_implements(parser *p)
{
    gql_node *head = NULL, *tail = NULL;
    if (!gql_ppeek_kw(p, "implements"))
        return NULL;
    if (gql_padvance(p) < 0 || gql_poptional(p, GQL_T_AMP) < 0)
        return NULL;
    do {
        gql_node *t = gql_pnamed_type(p);
        if (!t)
            return NULL;
        APPEND(head, tail, t);
        int amp = gql_poptional(p, GQL_T_AMP);
        if (amp < 0)
            return NULL;
        if (!amp)
            break;
    } while (1);
    return head;
}

gql_node *gql_ptype_def(parser *p, const char *kw)
{
    gql_token t = TOK;
    const char *desc = gql_pdescription(p);
    if (p->failed)
        return NULL;
    gql_node *d = NULL;
    if (strcmp(kw, "schema") == 0) {
        if (!(d = gql_pnode(p, GQL_SCHEMA_DEF, &t)) || gql_padvance(p) < 0)
            return NULL;
        d->text = desc;
        d->dirs = gql_pdirectives(p, 1);
        if (p->failed || gql_pexpect(p, GQL_T_BRACE_L) < 0)
            return NULL;
        gql_node *tail = NULL;
        do {
            gql_token ot = TOK;
            gql_node *o = gql_pnode(p, GQL_OPERATION_TYPE_DEF, &ot);
            if (!o)
                return NULL;
            if (gql_ppeek_kw(p, "query"))
                o->flag = GQL_QUERY;
            else if (gql_ppeek_kw(p, "mutation"))
                o->flag = GQL_MUTATION;
            else if (gql_ppeek_kw(p, "subscription"))
                o->flag = GQL_SUBSCRIPTION;
            else {
                gql_punexpected(p, &TOK);
                return NULL;
            }
            if (gql_padvance(p) < 0 || gql_pexpect(p, GQL_T_COLON) < 0 ||
                !(o->type = gql_pnamed_type(p)))
                return NULL;
            APPEND(d->sel, tail, o);
        } while (!gql_ppeek(p, GQL_T_BRACE_R));
        return gql_padvance(p) < 0 ? NULL : d;
    }
    if (strcmp(kw, "directive") == 0) {
        if (!(d = gql_pnode(p, GQL_DIRECTIVE_DEF, &t)) || gql_padvance(p) < 0 ||
            gql_pexpect(p, GQL_T_AT) < 0 || !(d->name = gql_pname(p), NAMEPOS(d), d->name))
            return NULL;
        d->text = desc;
        int present;
        d->args = parse_input_value_defs(p, GQL_T_PAREN_L, GQL_T_PAREN_R, &present);
        if (p->failed)
            return NULL;
        if (gql_ppeek_kw(p, "repeatable")) {
            d->flag = 1;
            if (gql_padvance(p) < 0)
                return NULL;
        }
        if (gql_pexpect_kw(p, "on") < 0 || gql_poptional(p, GQL_T_PIPE) < 0)
            return NULL;
        gql_node *tail = NULL;
        do {
            gql_token lt = TOK;
            gql_node *l = gql_pnode(p, GQL_NAME, &lt);
            if (!l || !(l->name = gql_pname(p), NAMEPOS(l), l->name))
                return NULL;
            int k = 0;
            for (; k < GQL_LOC_COUNT; k++)
                if (strcmp(l->name, gql_dir_loc_name((gql_dir_loc)k)) == 0)
                    break;
            if (k == GQL_LOC_COUNT) {
                gql_punexpected(p, &lt);
                return NULL;
            }
            l->flag = k;
            APPEND(d->refs, tail, l);
            int pipe = gql_poptional(p, GQL_T_PIPE);
            if (pipe < 0)
                return NULL;
            if (!pipe)
                break;
        } while (1);
        return d;
    }
    gql_kind kind = strcmp(kw, "scalar") == 0      ? GQL_SCALAR_DEF
                    : strcmp(kw, "type") == 0      ? GQL_OBJECT_DEF
                    : strcmp(kw, "interface") == 0 ? GQL_INTERFACE_DEF
                    : strcmp(kw, "union") == 0     ? GQL_UNION_DEF
                    : strcmp(kw, "enum") == 0      ? GQL_ENUM_DEF
                                                   : GQL_INPUT_DEF;
    if (!(d = gql_pnode(p, kind, &t)) || gql_padvance(p) < 0 ||
        !(d->name = gql_pname(p), NAMEPOS(d), d->name))
        return NULL;
    d->text = desc;
    if (kind == GQL_OBJECT_DEF || kind == GQL_INTERFACE_DEF) {
        d->refs = parse_implements(p);
        if (p->failed)
            return NULL;
    }
    d->dirs = gql_pdirectives(p, 1);
    if (p->failed)
        return NULL;
    int present;
    switch (kind) {
    case GQL_OBJECT_DEF:
    case GQL_INTERFACE_DEF:
        d->sel = parse_field_defs(p);
        break;
    case GQL_INPUT_DEF:
        d->sel = parse_input_value_defs(p, GQL_T_BRACE_L, GQL_T_BRACE_R, &present);
        break;
    case GQL_UNION_DEF: {
        int eq = gql_poptional(p, GQL_T_EQUALS);
        if (eq <= 0)
            break;
        if (gql_poptional(p, GQL_T_PIPE) < 0)
            return NULL;
        gql_node *tail = NULL;
        do {
            gql_node *m = gql_pnamed_type(p);
            if (!m)
                return NULL;
            APPEND(d->refs, tail, m);
            int pipe = gql_poptional(p, GQL_T_PIPE);
            if (pipe < 0)
                return NULL;
            if (!pipe)
                break;
        } while (1);
        break;
    }
    case GQL_ENUM_DEF: {
        int r = gql_poptional(p, GQL_T_BRACE_L);
        if (r <= 0)
            break;
        gql_node *tail = NULL;
        do {
            gql_token vt = TOK;
            gql_node *v = gql_pnode(p, GQL_ENUM_VALUE_DEF, &vt);
            if (!v)
                return NULL;
            v->text = gql_pdescription(p);
            if (p->failed)
                return NULL;
            if (gql_ppeek_kw(p, "true") || gql_ppeek_kw(p, "false") || gql_ppeek_kw(p, "null")) {
                char dsc[256];
                gql_tok_describe(&TOK, dsc, sizeof dsc);
                gql_perr(p, TOK.line, TOK.col,
                         "%s is reserved and cannot be used for an enum value.", dsc);
                return NULL;
            }
            if (!(v->name = gql_pname(p), NAMEPOS(v), v->name))
                return NULL;
            v->dirs = gql_pdirectives(p, 1);
            if (p->failed)
                return NULL;
            APPEND(d->sel, tail, v);
        } while (!gql_ppeek(p, GQL_T_BRACE_R));
        if (gql_padvance(p) < 0)
            return NULL;
        break;
    }
    default:
        break;
    }
    return p->failed ? NULL : d;
}
