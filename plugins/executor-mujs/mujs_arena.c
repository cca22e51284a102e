/*
 * mujs_arena.c - where the small blocks of a js_State come from.
 *
 * A fresh state makes about 1,200 allocations before the task runs and frees every one at
 * js_freestate; through malloc that was about a quarter of an execution's CPU (bench_executor,
 * perf). The arena serves blocks of up to MUJS_ARENA_SMALL bytes from 64 KiB chunks: one free
 * list per 16-byte size class, refilled by bumping a pointer through the current chunk. A
 * free pushes the block on its list, so the garbage collector's frees are reused within the
 * run; at the end of the run every chunk goes back at once (a few are kept for the next run
 * of this executor instance, so a worker does not fault its pages in again).
 *
 * Bounds: the live bytes of a run are capped by mujs_alloc as before (the arena does not
 * change what counts). What the arena holds beyond the live bytes (blocks on the lists of one
 * size class while another class grows) is bounded by `budget`; past it, blocks come from
 * malloc and return to it, so a script cannot make the process grow much beyond its cap.
 *
 * Under AddressSanitizer the blocks on the free lists and the unused tail of a chunk are
 * poisoned, so a use after free inside the interpreter is still reported.
 */
#include <stdlib.h>
#include <string.h>

#include "mujs_exec.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n)   ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_CHUNK   ((size_t)64 * 1024)
#define ARENA_GRAIN   ((size_t)16)
#define ARENA_KEEP    8 /* chunks kept between runs: 512 KiB, what a small task needs */
#define ARENA_CHUNK_HEAD ((size_t) _Alignof(max_align_t))

_Static_assert(MUJS_ARENA_SMALL % ARENA_GRAIN == 0, "classes are whole grains");
_Static_assert(_Alignof(max_align_t) <= ARENA_GRAIN, "a grain keeps malloc's alignment");

typedef struct arena_chunk {
    struct arena_chunk *next;
} arena_chunk;

static size_t class_of(size_t bytes)
{
    return (bytes + ARENA_GRAIN - 1) / ARENA_GRAIN - 1;
}

static void chunk_list_free(arena_chunk *c)
{
    while (c) {
        arena_chunk *next = c->next;
        ARENA_UNPOISON(c, ARENA_CHUNK);
        free(c);
        c = next;
    }
}

/* A chunk for the current run: a kept one, else a new one while the budget allows. */
static int arena_grow(mujs_arena *a)
{
    arena_chunk *c = a->spare;
    if (c) {
        a->spare = c->next;
        a->nspare--;
    } else {
        if (a->footprint + ARENA_CHUNK > a->budget)
            return 0;
        c = malloc(ARENA_CHUNK);
        if (!c)
            return 0;
        ARENA_POISON((char *)c + ARENA_CHUNK_HEAD, ARENA_CHUNK - ARENA_CHUNK_HEAD);
    }
    c->next = a->chunks;
    a->chunks = c;
    a->footprint += ARENA_CHUNK;
    a->bump = (char *)c + ARENA_CHUNK_HEAD;
    a->end = (char *)c + ARENA_CHUNK;
    return 1;
}

void *mujs_arena_take(mujs_arena *a, size_t bytes)
{
    size_t k = class_of(bytes);
    size_t block = (k + 1) * ARENA_GRAIN;
    void *p = a->free_list[k];
    if (p) {
        ARENA_UNPOISON(p, block);
        memcpy(&a->free_list[k], p, sizeof(void *));
        return p;
    }
    if ((size_t)(a->end - a->bump) < block && !arena_grow(a))
        return NULL;
    p = a->bump;
    a->bump += block;
    ARENA_UNPOISON(p, block);
    return p;
}

void mujs_arena_give(mujs_arena *a, void *p, size_t bytes)
{
    size_t k = class_of(bytes);
    memcpy(p, &a->free_list[k], sizeof(void *));
    a->free_list[k] = p;
    ARENA_POISON(p, (k + 1) * ARENA_GRAIN);
}

int mujs_arena_same_class(size_t a, size_t b)
{
    return class_of(a) == class_of(b);
}

void mujs_arena_start(mujs_arena *a, size_t budget)
{
    a->budget = budget;
}

void mujs_arena_reset(mujs_arena *a)
{
    arena_chunk *c = a->chunks;
    while (c) {
        arena_chunk *next = c->next;
        if (a->nspare < ARENA_KEEP) {
            ARENA_POISON((char *)c + ARENA_CHUNK_HEAD, ARENA_CHUNK - ARENA_CHUNK_HEAD);
            c->next = a->spare;
            a->spare = c;
            a->nspare++;
        } else {
            ARENA_UNPOISON(c, ARENA_CHUNK);
            free(c);
        }
        c = next;
    }
    a->chunks = NULL;
    a->footprint = 0;
    a->bump = a->end = NULL;
    memset(a->free_list, 0, sizeof a->free_list);
}

void mujs_arena_destroy(mujs_arena *a)
{
    mujs_arena_reset(a);
    chunk_list_free(a->spare);
    a->spare = NULL;
    a->nspare = 0;
}
