/*
 * tests/bench/bench_compiler_heap.c - heap accounting for bench_compiler: a counting layer in
 * front of the allocator of every MuJS state created while it is on. The benchmark links with
 * --wrap=js_newstate, so the executor's own states are counted without changing its code.
 */
#include <stdlib.h>
#include <string.h>

#include <mujs.h>

#include "bench_compiler.h"

/* MuJS is not told a block's old size on realloc/free, so the layer keeps it in a header of
 * its own in front of what the inner allocator returns. */
#define HEAP_HEADER ((size_t) _Alignof(max_align_t))
#define HEAP_SLOTS  16

typedef struct heap_slot {
    js_Alloc inner;
    void *inner_ctx;
    size_t blocks; /* live blocks; the slot is free again when they go back to 0 */
    int used;
} heap_slot;

static heap_slot heap_slots[HEAP_SLOTS];
static heap_count heap;
static int heap_on;     /* wrap states created from now on */
static int heap_missed; /* a state could not be wrapped: figures incomplete */

static void *heap_libc(void *ctx, void *ptr, int size)
{
    (void)ctx;
    if (size <= 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, (size_t)size);
}

static void *heap_alloc(void *actx, void *ptr, int size)
{
    heap_slot *s = actx;
    char *raw = ptr ? (char *)ptr - HEAP_HEADER : NULL;
    size_t old = 0;
    if (raw)
        memcpy(&old, raw, sizeof old);
    if (size <= 0) {
        if (raw) {
            s->inner(s->inner_ctx, raw, 0);
            heap.live -= old;
            if (--s->blocks == 0)
                s->used = 0;
        }
        return NULL;
    }
    size_t want = (size_t)size;
    if (want > (size_t)0x7fffffff - HEAP_HEADER)
        return NULL;
    char *nraw = s->inner(s->inner_ctx, raw, (int)(want + HEAP_HEADER));
    if (!nraw)
        return NULL;
    memcpy(nraw, &want, sizeof want);
    if (!raw)
        s->blocks++;
    heap.live = heap.live - old + want;
    heap.total += want > old ? want - old : 0;
    heap.allocs++;
    if (heap.live > heap.peak)
        heap.peak = heap.live;
    return nraw + HEAP_HEADER;
}

js_State *__wrap_js_newstate(js_Alloc alloc, void *actx, int flags);

js_State *__wrap_js_newstate(js_Alloc alloc, void *actx, int flags)
{
    if (!heap_on)
        return __real_js_newstate(alloc, actx, flags);
    for (int i = 0; i < HEAP_SLOTS; i++) {
        heap_slot *s = &heap_slots[i];
        if (s->used)
            continue;
        s->inner = alloc ? alloc : heap_libc;
        s->inner_ctx = alloc ? actx : NULL;
        s->blocks = 0;
        s->used = 1;
        js_State *J = __real_js_newstate(heap_alloc, s, flags);
        if (!J)
            s->used = 0;
        return J;
    }
    heap_missed = 1;
    return __real_js_newstate(alloc, actx, flags);
}

void bench_heap_start(void)
{
    memset(&heap, 0, sizeof heap);
    heap_on = 1;
}

void bench_heap_stop(heap_count *out)
{
    heap_on = 0;
    *out = heap;
}

int bench_heap_missed(void)
{
    return heap_missed;
}
