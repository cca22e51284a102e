/* bring.c - the bounded ring of logger-buffered (see bring.h). */
#include "bring.h"

#include <string.h>

/* A slot whose string block grew past this for one huge event gives it back when cleared. */
#define BRING_KEEP_TEXT   16384
#define BRING_KEEP_FIELDS 64

ratchet_status bring_init(bring *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->slots = buffered_host->calloc(cap, sizeof *r->slots);
    if (!r->slots)
        return RATCHET_NOMEM;
    r->cap = cap;
    return RATCHET_OK;
}

void bring_free(bring *r)
{
    for (size_t i = 0; r->slots && i < r->cap; i++) {
        buffered_host->free(r->slots[i].text);
        buffered_host->free(r->slots[i].fields);
    }
    buffered_host->free(r->slots);
    memset(r, 0, sizeof *r);
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy s into the slot's block at *off; NULL stays NULL. */
static const char *put(bring_slot *sl, size_t *off, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *dst = sl->text + *off;
    memcpy(dst, s, n);
    *off += n;
    return dst;
}

static int ensure(bring_slot *sl, size_t text, size_t nfields)
{
    if (text > sl->text_cap) {
        size_t cap = text < 256 ? 256 : text;
        char *t = buffered_host->realloc(sl->text, cap);
        if (!t)
            return -1;
        sl->text = t;
        sl->text_cap = cap;
    }
    if (nfields > sl->fields_cap) {
        ratchet_log_field *f = buffered_host->realloc(sl->fields, nfields * sizeof *f);
        if (!f)
            return -1;
        sl->fields = f;
        sl->fields_cap = nfields;
    }
    return 0;
}

ratchet_status bring_push(bring *r, const ratchet_log_event *ev, int *dropped)
{
    *dropped = 0;
    if (r->count == r->cap) {
        r->head = (r->head + 1) % r->cap;
        r->count--;
        *dropped = 1;
    }
    int ctx = RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name);
    size_t nfields = ev->fields ? ev->nfields : 0;
    size_t text = str_size(ev->source) + str_size(ev->plugin) + str_size(ev->message);
    if (ctx)
        text += str_size(ev->trace_id) + str_size(ev->span_id) + str_size(ev->task_name);
    for (size_t i = 0; i < nfields; i++)
        text += str_size(ev->fields[i].key) + str_size(ev->fields[i].value);
    bring_slot *sl = &r->slots[(r->head + r->count) % r->cap];
    if (ensure(sl, text, nfields) != 0)
        return RATCHET_NOMEM;
    size_t off = 0;
    ratchet_log_event *e = &sl->ev;
    memset(e, 0, sizeof *e);
    e->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_log_event);
    e->time_us = ev->time_us;
    e->level = ev->level;
    e->source = put(sl, &off, ev->source);
    e->plugin = put(sl, &off, ev->plugin);
    e->message = put(sl, &off, ev->message);
    for (size_t i = 0; i < nfields; i++) {
        sl->fields[i].key = put(sl, &off, ev->fields[i].key);
        sl->fields[i].value = put(sl, &off, ev->fields[i].value);
    }
    e->fields = nfields ? sl->fields : NULL;
    e->nfields = nfields;
    e->trace_id = ctx && ev->trace_id ? put(sl, &off, ev->trace_id) : "";
    e->span_id = ctx && ev->span_id ? put(sl, &off, ev->span_id) : "";
    e->task_name = ctx && ev->task_name ? put(sl, &off, ev->task_name) : "";
    e->job_id = ctx ? ev->job_id : 0;
    e->execution_id = ctx ? ev->execution_id : 0;
    r->count++;
    return RATCHET_OK;
}

const ratchet_log_event *bring_at(const bring *r, size_t i)
{
    return &r->slots[(r->head + i) % r->cap].ev;
}

void bring_clear(bring *r)
{
    for (size_t i = 0; i < r->count; i++) {
        bring_slot *sl = &r->slots[(r->head + i) % r->cap];
        if (sl->text_cap > BRING_KEEP_TEXT) {
            buffered_host->free(sl->text);
            sl->text = NULL;
            sl->text_cap = 0;
        }
        if (sl->fields_cap > BRING_KEEP_FIELDS) {
            buffered_host->free(sl->fields);
            sl->fields = NULL;
            sl->fields_cap = 0;
        }
    }
    r->head = 0;
    r->count = 0;
}
