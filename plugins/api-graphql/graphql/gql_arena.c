/*
 * gql_arena.c - the arena a document (and a schema) lives in: allocations in 16 KiB chunks,
 * zeroed, freed all at once with the document. Not thread-safe: one arena has one owner (a
 * schema's arena is written only while it is built, and for type wrappers under gql_schema.c's
 * lock).
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

typedef struct gql_chunk {
    struct gql_chunk *prev;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} gql_chunk;

struct gql_arena {
    gql_chunk *head;
};

gql_arena *gql_arena_new(void)
{
    return calloc(1, sizeof(gql_arena));
}

void gql_arena_free(gql_arena *a)
{
    if (!a)
        return;
    gql_chunk *c = a->head;
    while (c) {
        gql_chunk *p = c->prev;
        free(c);
        c = p;
    }
    free(a);
}

void *gql_arena_alloc(gql_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    gql_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = size > 16384 ? size : 16384;
        c = malloc(sizeof(gql_chunk) + want);
        if (!c)
            return NULL;
        c->prev = a->head;
        c->used = 0;
        c->size = want;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *gql_arena_strndup(gql_arena *a, const char *s, size_t n)
{
    char *p = gql_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}
