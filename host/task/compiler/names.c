/*
 * host/task/compiler/names.c - a set of names (see names.h).
 */
#include "names.h"

#include <string.h>

size_t jsc_names_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33u + (unsigned char)*s;
    return h;
}

int jsc_names_has(const jsc_names *set, const char *name)
{
    if (!set || !set->cap)
        return 0;
    for (size_t i = jsc_names_hash(name) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slots[i])
            return 0;
        if (strcmp(set->slots[i], name) == 0)
            return 1;
    }
}

/* Put `name` in the first free slot of its probe sequence (the caller checked it is absent
 * and that a slot is free). */
static void put(const char **slots, size_t cap, const char *name)
{
    size_t i = jsc_names_hash(name) & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = name;
}

void jsc_names_add(jsc_ctx *cx, jsc_names *set, const char *name)
{
    if (!name || !*name || jsc_names_has(set, name))
        return;
    /* at most half full, so that probes stay short and always end */
    if ((set->count + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        const char **slots = jsc_alloc(cx, cap * sizeof *slots);
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i])
                put(slots, cap, set->slots[i]);
        set->slots = slots;
        set->cap = cap;
    }
    put(set->slots, set->cap, name);
    set->count++;
}

const char *jsc_names_temp_prefix(jsc_ctx *cx, const jsc_names *set)
{
    char prefix[16] = "$$";
    for (size_t len = 2; len < sizeof prefix - 1; len++) {
        int clash = 0;
        for (size_t i = 0; i < set->cap && !clash; i++)
            clash = set->slots[i] && strncmp(set->slots[i], prefix, len) == 0;
        if (!clash)
            break;
        prefix[len] = '$';
        prefix[len + 1] = '\0';
    }
    return jsc_strdup(cx, prefix);
}
