/* host/core/log_filter.c - per-sink event filters (see log_filter.h). */
#include "log_filter.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

typedef enum what { W_SOURCE, W_TASK, W_MESSAGE, W_FIELD, W_LEVEL } what;
typedef enum op { OP_EQ, OP_NE, OP_GE, OP_GT, OP_LE, OP_LT } op;

typedef struct term {
    what what;
    op op;
    char *key;   /* W_FIELD: the field's key */
    char *value; /* the glob (or level name) */
    int level;   /* W_LEVEL */
} term;

struct ratchet_log_filter {
    term *terms;
    size_t count;
};

int rt_glob_match(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == '?' || *pat == *s) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return !*pat;
}

void rt_log_filter_free(ratchet_log_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++) {
        free(f->terms[i].key);
        free(f->terms[i].value);
    }
    free(f->terms);
    free(f);
}

/* Split "name<op>value"; the operator is the first of = != >= > <= <. */
static int split_term(const char *t, size_t len, size_t *name_len, op *o, size_t *value_at)
{
    for (size_t i = 0; i < len; i++) {
        char c = t[i], n = i + 1 < len ? t[i + 1] : '\0';
        if (c == '=' || (c == '!' && n == '=') || c == '<' || c == '>') {
            *name_len = i;
            int two = (c != '=' && n == '=');
            *o = c == '='   ? OP_EQ
                 : c == '!' ? OP_NE
                 : c == '<' ? (two ? OP_LE : OP_LT)
                            : (two ? OP_GE : OP_GT);
            *value_at = i + 1 + (size_t)two;
            return i > 0;
        }
    }
    return 0;
}

static ratchet_status parse_term(term *tm, const char *t, size_t len, size_t idx, ratchet_buf *why)
{
    size_t nl = 0, va = 0;
    op o = OP_EQ;
    if (!split_term(t, len, &nl, &o, &va)) {
        if (why)
            rt_buf_printf(why,
                          "term %zu '%.*s': expected NAME=VALUE (NAME: source, task, "
                          "message, level, field.KEY; operators = != and, for level, >= > <= <)",
                          idx, (int)len, t);
        return RATCHET_ERR;
    }
    tm->op = o;
    tm->value = strndup(t + va, len - va);
    if (!tm->value)
        return RATCHET_NOMEM;
    const char *err = NULL;
    if (nl == 6 && strncmp(t, "source", 6) == 0)
        tm->what = W_SOURCE;
    else if (nl == 4 && strncmp(t, "task", 4) == 0)
        tm->what = W_TASK;
    else if (nl == 7 && strncmp(t, "message", 7) == 0)
        tm->what = W_MESSAGE;
    else if (nl == 5 && strncmp(t, "level", 5) == 0) {
        tm->what = W_LEVEL;
        tm->level = rt_log_level_parse(tm->value);
        if (tm->level < 0)
            err = "unknown level (trace|debug|info|warn|error)";
    } else if (nl > 6 && strncmp(t, "field.", 6) == 0) {
        tm->what = W_FIELD;
        if (!(tm->key = strndup(t + 6, nl - 6)))
            return RATCHET_NOMEM;
    } else {
        err = "unknown name (source, task, message, level, field.KEY)";
    }
    if (!err && tm->what != W_LEVEL && o != OP_EQ && o != OP_NE)
        err = "only level compares with < <= > >=; use = or !=";
    if (err && why)
        rt_buf_printf(why, "term %zu '%.*s': %s", idx, (int)len, t, err);
    return err ? RATCHET_ERR : RATCHET_OK;
}

ratchet_log_filter *rt_log_filter_new(const char *text, ratchet_buf *why)
{
    ratchet_log_filter *f = calloc(1, sizeof *f);
    size_t cap = 0;
    const char *p = text ? text : "";
    ratchet_status st = f ? RATCHET_OK : RATCHET_NOMEM;
    while (st == RATCHET_OK) {
        p += strspn(p, " \t\r\n");
        size_t len = strcspn(p, " \t\r\n");
        if (!len)
            break;
        if (f->count == cap) {
            cap = cap ? cap * 2 : 4;
            term *grown = realloc(f->terms, cap * sizeof *grown);
            if (!grown) {
                st = RATCHET_NOMEM;
                break;
            }
            f->terms = grown;
        }
        term *tm = &f->terms[f->count++];
        memset(tm, 0, sizeof *tm);
        st = parse_term(tm, p, len, f->count, why);
        p += len;
    }
    if (st == RATCHET_NOMEM && why)
        rt_buf_puts(why, "out of memory");
    if (st != RATCHET_OK) {
        rt_log_filter_free(f);
        return NULL;
    }
    return f;
}

static const char *field_value(const ratchet_log_event *ev, const char *key)
{
    for (size_t i = 0; ev->fields && i < ev->nfields; i++)
        if (ev->fields[i].key && strcmp(ev->fields[i].key, key) == 0)
            return ev->fields[i].value ? ev->fields[i].value : "";
    return NULL;
}

static int term_holds(const term *tm, const ratchet_log_event *ev)
{
    if (tm->what == W_LEVEL) {
        int l = (int)ev->level;
        switch (tm->op) {
        case OP_EQ:
            return l == tm->level;
        case OP_NE:
            return l != tm->level;
        case OP_GE:
            return l >= tm->level;
        case OP_GT:
            return l > tm->level;
        case OP_LE:
            return l <= tm->level;
        default:
            return l < tm->level;
        }
    }
    const char *v = NULL;
    int has_ctx = RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name);
    if (tm->what == W_SOURCE)
        v = ev->source ? ev->source : "";
    else if (tm->what == W_TASK)
        v = has_ctx && ev->task_name ? ev->task_name : "";
    else if (tm->what == W_MESSAGE)
        v = ev->message ? ev->message : "";
    else
        v = field_value(ev, tm->key);
    /* A missing field equals nothing and differs from everything. */
    int eq = v && rt_glob_match(tm->value, v);
    return tm->op == OP_EQ ? eq : !eq;
}

int rt_log_filter_match(const ratchet_log_filter *f, const ratchet_log_event *ev)
{
    for (size_t i = 0; f && i < f->count; i++)
        if (!term_holds(&f->terms[i], ev))
            return 0;
    return 1;
}
