/* host/engine/analysis_render.c - the error report as text within a token budget (analysis.h):
 * rendered, measured (tokens ~ characters / 4), and while too long cut by the next step of a
 * fixed order, least useful part first. */
#include <stdio.h>
#include <string.h>

#include "analysis.h"

#define RELATED_KEEP  10
#define PATTERNS_KEEP 3
#define FRAMES_KEEP   3
#define MESSAGE_KEEP  200

static struct json_object *get(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) && !json_object_is_type(v, json_type_null)
               ? v
               : NULL;
}

static size_t count(struct json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* Keep the last `keep` entries of array `key` of o; returns how many were there. 0 when
 * nothing changed. */
static size_t keep_tail(struct json_object *o, const char *key, size_t keep)
{
    struct json_object *a = get(o, key);
    size_t n = count(a);
    if (n <= keep)
        return 0;
    json_object_array_del_idx(a, 0, n - keep);
    return n;
}

static size_t keep_head(struct json_object *a, size_t keep)
{
    size_t n = count(a);
    if (n <= keep)
        return 0;
    json_object_array_del_idx(a, keep, n - keep);
    return n;
}

static int drop(struct json_object *o, const char *key)
{
    if (!get(o, key))
        return 0;
    json_object_object_del(o, key);
    return 1;
}

/* Each step cuts one part and writes what it dropped into `what`; 0 when there was nothing
 * to cut. */
typedef int (*cut_fn)(struct json_object *r, char *what, size_t len);

static int cut_related_old(struct json_object *r, char *what, size_t len)
{
    size_t n = keep_tail(r, "related", RELATED_KEEP);
    if (n) {
        snprintf(what, len, "related events but the last %d of %zu", RELATED_KEEP, n);
        json_object_object_add(r, "relatedCut", json_object_new_string(what));
    }
    return n > 0;
}

static int cut_system(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "system state");
    return drop(r, "system");
}

static int cut_prompts(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "suggested prompts");
    return drop(r, "prompts");
}

static int cut_source_context(struct json_object *r, char *what, size_t len)
{
    struct json_object *fr = get(get(r, "error"), "frames");
    int cut = 0;
    for (size_t i = 0; i < count(fr); i++) {
        struct json_object *src = get(json_object_array_get_idx(fr, i), "source");
        for (size_t k = count(src); k-- > 0;)
            if (!json_object_get_boolean(get(json_object_array_get_idx(src, k), "failing"))) {
                json_object_array_del_idx(src, k, 1);
                cut = 1;
            }
    }
    snprintf(what, len, "source lines around the failing ones");
    return cut;
}

static int cut_input(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "the input");
    return drop(get(r, "context"), "input");
}

static int cut_suggestions(struct json_object *r, char *what, size_t len)
{
    struct json_object *p = get(r, "patterns");
    int cut = keep_head(p, PATTERNS_KEEP) > 0;
    for (size_t i = 0; i < count(p); i++) {
        struct json_object *m = json_object_array_get_idx(p, i);
        cut |= keep_head(get(m, "suggestions"), 1) > 0;
        cut |= drop(m, "description");
    }
    snprintf(what, len, "patterns beyond the first %d and their suggestions but the first",
             PATTERNS_KEEP);
    return cut;
}

static int cut_related(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "related events");
    json_object_object_del(r, "relatedCut");
    return drop(r, "related");
}

static int cut_frames(struct json_object *r, char *what, size_t len)
{
    size_t n = keep_head(get(get(r, "error"), "frames"), FRAMES_KEEP);
    snprintf(what, len, "stack frames but the first %d of %zu", FRAMES_KEEP, n);
    return n > 0;
}

static int cut_stack(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "the stack text");
    return drop(get(r, "error"), "stack");
}

static int cut_one_message(struct json_object *o)
{
    const char *m = json_object_get_string(get(o, "message"));
    if (!m || strlen(m) <= MESSAGE_KEEP)
        return 0;
    char buf[MESSAGE_KEEP + 8];
    snprintf(buf, sizeof buf, "%.*s...", MESSAGE_KEEP, m);
    json_object_object_add(o, "message", json_object_new_string(buf));
    return 1;
}

static int cut_messages(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "the message beyond %d characters", MESSAGE_KEEP);
    int a = cut_one_message(get(r, "summary"));
    int b = cut_one_message(get(r, "error"));
    return a || b;
}

static int cut_details(struct json_object *r, char *what, size_t len)
{
    snprintf(what, len, "error details, execution context and patterns");
    int a = drop(r, "error"), b = drop(r, "context"), c = drop(r, "patterns");
    return a || b || c;
}

static const cut_fn cuts[] = {
    cut_related_old, cut_system, cut_prompts, cut_source_context, cut_input,   cut_suggestions,
    cut_related,     cut_frames, cut_stack,   cut_messages,       cut_details,
};

static void render(struct json_object *report, int markdown, ratchet_buf *out)
{
    out->len = 0;
    if (out->data)
        out->data[0] = '\0';
    if (markdown)
        rt_analysis_markdown(report, out);
    else
        rt_buf_puts(out, json_object_to_json_string_ext(
                             report, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}

ratchet_status rt_analysis_render(struct json_object *report, int markdown, int64_t max_tokens,
                                  ratchet_buf *out)
{
    if (max_tokens <= 0)
        max_tokens = RT_ANALYSIS_DEFAULT_TOKENS;
    struct json_object *budget = json_object_new_object(), *dropped = json_object_new_array();
    json_object_object_add(budget, "maxTokens", json_object_new_int64(max_tokens));
    json_object_object_add(budget, "estimatedTokens", json_object_new_int64(0));
    json_object_object_add(budget, "estimate", json_object_new_string("characters / 4"));
    json_object_object_add(budget, "dropped", dropped);
    json_object_object_add(report, "budget", budget);
    ratchet_buf text = RATCHET_BUF_INIT;
    size_t step = 0;
    for (;;) {
        /* Until the estimate is of the text that carries it (its own digits count). */
        int64_t tokens = -1;
        for (int round = 0; round < 4; round++) {
            render(report, markdown, &text);
            int64_t now = (int64_t)(text.len + 3) / 4;
            if (now == tokens)
                break;
            tokens = now;
            json_object_object_add(budget, "estimatedTokens", json_object_new_int64(tokens));
        }
        if (tokens <= max_tokens || step >= sizeof cuts / sizeof *cuts)
            break;
        char what[160];
        while (step < sizeof cuts / sizeof *cuts && !cuts[step](report, what, sizeof what))
            step++;
        if (step < sizeof cuts / sizeof *cuts) {
            json_object_array_add(dropped, json_object_new_string(what));
            step++;
        }
    }
    ratchet_status rc = rt_buf_append(out, text.data ? text.data : "", text.len);
    rt_buf_free(&text);
    return rc;
}
