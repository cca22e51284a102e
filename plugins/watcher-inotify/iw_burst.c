/*
 * iw_burst.c - the changes of one burst: distinct paths in a hash set, and the debounce clock.
 *
 * A `git checkout` or an unpacked archive touches thousands of files, each many times (create,
 * modify, close): the set keeps each path once, in O(1) per event, and at most `max` of them;
 * past that the burst is marked overflowed and the host reloads the whole root.
 */
#include <stdlib.h>
#include <string.h>

#include "iw.h"

void iw_burst_init(iw_burst *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

/* FNV-1a 64. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot holding `path`, or the empty slot where it belongs. cap must be > count. */
static char **slot_of(char **slots, size_t cap, const char *path)
{
    size_t i = (size_t)hash_str(path) & (cap - 1);
    while (slots[i] && strcmp(slots[i], path) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Double the table (keep the load under one half). -1 when out of memory. */
static int grow(iw_burst *b)
{
    size_t cap = b->cap ? b->cap * 2 : 64;
    char **slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < b->cap; i++)
        if (b->slots[i])
            *slot_of(slots, cap, b->slots[i]) = b->slots[i];
    free(b->slots);
    b->slots = slots;
    b->cap = cap;
    return 0;
}

static void touch(iw_burst *b, int64_t now_ns)
{
    if (!b->first_ns)
        b->first_ns = now_ns ? now_ns : 1;
    b->last_ns = now_ns;
}

void iw_burst_lose(iw_burst *b, int64_t now_ns)
{
    b->overflow = 1;
    touch(b, now_ns);
}

int iw_burst_add(iw_burst *b, const char *path, int64_t now_ns)
{
    touch(b, now_ns);
    if (b->overflow)
        return 0; /* the whole root is reported anyway */
    if ((b->count + 1) * 2 > b->cap && grow(b) != 0) {
        b->overflow = 1;
        return -1;
    }
    char **slot = slot_of(b->slots, b->cap, path);
    if (*slot)
        return 0;
    if (b->count >= b->max) {
        b->overflow = 1;
        return 0;
    }
    if (!(*slot = strdup(path))) {
        b->overflow = 1;
        return -1;
    }
    b->count++;
    return 0;
}

int64_t iw_burst_due(const iw_burst *b, int64_t quiet_ns, int64_t max_ns)
{
    if (!b->first_ns)
        return INT64_MAX;
    int64_t quiet = b->last_ns + quiet_ns, cap = b->first_ns + max_ns;
    return quiet < cap ? quiet : cap;
}

/* Free the strings and the table, and reset to no burst. */
static void clear(iw_burst *b)
{
    for (size_t i = 0; i < b->cap; i++)
        free(b->slots[i]);
    free(b->slots);
    size_t max = b->max;
    iw_burst_init(b, max);
}

int iw_burst_take(iw_burst *b, char ***paths, size_t *n, int *overflow)
{
    *paths = calloc(b->count + 1, sizeof **paths);
    *n = 0;
    *overflow = b->overflow;
    if (!*paths) {
        *overflow = 1;
        clear(b);
        return -1;
    }
    for (size_t i = 0; i < b->cap; i++)
        if (b->slots[i]) {
            (*paths)[(*n)++] = b->slots[i];
            b->slots[i] = NULL;
        }
    clear(b);
    return 0;
}

void iw_burst_free(iw_burst *b)
{
    clear(b);
}
