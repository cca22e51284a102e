/*
 * host/task/compiler/names.h - a set of names (identifiers, property names, short strings),
 * internal to the compiler: compile.c collects the source's names to pick runtime modules and
 * the temporaries' prefix; scope.c keeps the names a program binds so that fresh names avoid
 * them.
 *
 * Open addressing over arena storage: the names are borrowed (they must live as long as the
 * compilation's arena, as node strings do), the slots belong to the arena; nothing is freed
 * one by one. A zeroed jsc_names is an empty set.
 */
#ifndef JSC_NAMES_H
#define JSC_NAMES_H

#include "ast.h"

typedef struct jsc_names {
    const char **slots; /* cap slots, NULL = free; cap is 0 or a power of two */
    size_t cap, count;
} jsc_names;

/* Add `name` (NULL and "" are ignored; a name already present is kept once). */
void jsc_names_add(jsc_ctx *cx, jsc_names *set, const char *name);
/* Whether `name` is in the set (NULL set: no). */
int jsc_names_has(const jsc_names *set, const char *name);
/* The hash of a name the set uses (djb2), for other tables keyed by names. */
size_t jsc_names_hash(const char *s);
/* A prefix for temporaries that no name of the set starts with: "$$", "$$$", ... */
const char *jsc_names_temp_prefix(jsc_ctx *cx, const jsc_names *set);

#endif /* JSC_NAMES_H */
