/*
 * host/task/compiler/runtime.c - choosing and joining runtime modules (see runtime.h).
 *
 * Header fields are space-separated words in static strings; they are read in place with
 * (pointer, length) pairs, never copied. The module count is small (tens), so lookups are
 * linear and the dependency walk is a depth-first search bounded by the table size.
 */
#include "runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest name a trigger or needs word may have; longer words never match. */
#define JSC_RT_WORD_MAX 64

static void jsc_rt_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The next space-separated word of *p (advanced past it); 0 when none is left. */
static size_t jsc_rt_word(const char **p, const char **word)
{
    const char *s = *p;
    while (*s == ' ')
        s++;
    *word = s;
    while (*s && *s != ' ')
        s++;
    *p = s;
    return (size_t)(s - *word);
}

static long jsc_rt_index(const char *name, size_t len)
{
    for (size_t i = 0; i < jsc_runtime_nmodules; i++) {
        const char *m = jsc_runtime_modules[i].name;
        if (strncmp(m, name, len) == 0 && m[len] == '\0')
            return (long)i;
    }
    return -1;
}

const jsc_runtime_module *jsc_runtime_find(const char *name)
{
    long i = name ? jsc_rt_index(name, strlen(name)) : -1;
    return i < 0 ? NULL : &jsc_runtime_modules[i];
}

const char *jsc_runtime_module_of(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    for (size_t i = 0; n > 0 && i < jsc_runtime_nmodules; i++) {
        const char *p = jsc_runtime_modules[i].defines, *word;
        size_t len;
        while ((len = jsc_rt_word(&p, &word)) > 0)
            if (len == n && memcmp(word, name, n) == 0)
                return jsc_runtime_modules[i].name;
    }
    return NULL;
}

/* Per-module marks of the walk: 0 unvisited, 1 on the current path, 2 placed. */
typedef struct jsc_rt_walk {
    unsigned char *mark;
    size_t *order; /* module indexes in load order */
    size_t n;
    char *err;
    size_t errlen;
} jsc_rt_walk;

/* Place module i after everything it needs. Depth is bounded by the number of modules,
 * because a module on the current path is never entered twice. */
static int jsc_rt_visit(jsc_rt_walk *w, size_t i, const char *from)
{
    const jsc_runtime_module *m = &jsc_runtime_modules[i];
    const char *p = m->needs, *word;
    size_t len;

    if (w->mark[i] == 2)
        return 0;
    if (w->mark[i] == 1) {
        jsc_rt_error(w->err, w->errlen, "runtime modules need each other in a cycle (%s and %s)",
                     from, m->name);
        return -1;
    }
    w->mark[i] = 1;
    while ((len = jsc_rt_word(&p, &word)) > 0) {
        long j = jsc_rt_index(word, len);
        if (j < 0) {
            jsc_rt_error(w->err, w->errlen, "runtime module %s needs \"%.*s\", which does not exist",
                         m->name, (int)(len < JSC_RT_WORD_MAX ? len : JSC_RT_WORD_MAX), word);
            return -1;
        }
        if (jsc_rt_visit(w, (size_t)j, m->name) != 0)
            return -1;
    }
    w->mark[i] = 2;
    w->order[w->n++] = i;
    return 0;
}

/* Writes the marker line of m at out (when out is not NULL); returns its length. */
static size_t jsc_rt_marker(char *out, const jsc_runtime_module *m)
{
    const char *parts[] = {"// module: ", m->name, " | ", m->needs, " | ",
                           m->defines ? m->defines : "", "\n"};
    size_t at = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = strlen(parts[i]);
        if (out)
            memcpy(out + at, parts[i], n);
        at += n;
    }
    return at;
}

int jsc_runtime_select(const char *const *names, size_t n, char **out, size_t *out_len,
                       char *err, size_t errlen)
{
    size_t total = 0;
    int rc = -1;
    jsc_rt_walk w = {NULL, NULL, 0, err, errlen};

    *out = NULL;
    if (out_len)
        *out_len = 0;
    w.mark = calloc(jsc_runtime_nmodules + 1, 1);
    w.order = calloc(jsc_runtime_nmodules + 1, sizeof *w.order);
    if (!w.mark || !w.order) {
        jsc_rt_error(err, errlen, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        long i = names[k] ? jsc_rt_index(names[k], strlen(names[k])) : -1;
        if (i < 0) {
            jsc_rt_error(err, errlen, "no runtime module named \"%s\"",
                         names[k] ? names[k] : "(null)");
            goto done;
        }
        if (jsc_rt_visit(&w, (size_t)i, names[k]) != 0)
            goto done;
    }
    for (size_t k = 0; k < w.n; k++) {
        const jsc_runtime_module *m = &jsc_runtime_modules[w.order[k]];
        total += m->len + 1 + jsc_rt_marker(NULL, m);
    }
    char *text = malloc(total + 1);
    if (!text) {
        jsc_rt_error(err, errlen, "out of memory");
        goto done;
    }
    size_t at = 0;
    for (size_t k = 0; k < w.n; k++) {
        const jsc_runtime_module *m = &jsc_runtime_modules[w.order[k]];
        at += jsc_rt_marker(text + at, m);
        memcpy(text + at, m->text, m->len);
        at += m->len;
        text[at++] = '\n';
    }
    text[at] = '\0';
    *out = text;
    if (out_len)
        *out_len = at;
    rc = 0;
done:
    free(w.mark);
    free(w.order);
    return rc;
}

/* Whether every name of one trigger ("a" or "a&b&c") occurs. */
static int jsc_rt_fires(const char *word, size_t len, int (*has_name)(void *, const char *),
                        void *data)
{
    char name[JSC_RT_WORD_MAX + 1];
    const char *end = word + len;
    while (word < end) {
        const char *amp = memchr(word, '&', (size_t)(end - word));
        size_t n = (size_t)((amp ? amp : end) - word);
        if (n == 0 || n > JSC_RT_WORD_MAX)
            return 0;
        memcpy(name, word, n);
        name[n] = '\0';
        if (!has_name(data, name))
            return 0;
        word += n + (amp ? 1 : 0);
    }
    return 1;
}

void jsc_runtime_triggered(int (*has_name)(void *data, const char *name), void *data,
                           void (*need)(void *data, const char *module), void *need_data)
{
    for (size_t i = 0; i < jsc_runtime_nmodules; i++) {
        const char *p = jsc_runtime_modules[i].triggers, *word;
        size_t len;
        while ((len = jsc_rt_word(&p, &word)) > 0) {
            if (jsc_rt_fires(word, len, has_name, data)) {
                need(need_data, jsc_runtime_modules[i].name);
                break;
            }
        }
    }
}
