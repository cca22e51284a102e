/*
 * mujs_alloc.c - the allocator behind every js_State: counts bytes and enforces the memory
 * limit of one execution.
 *
 * MuJS calls one hook for malloc, realloc and free (size 0) and is not told a block's old
 * size, so each block starts with a header holding it and where the block came from. When
 * the hook returns NULL, MuJS throws the string "out of memory" into the script; see mujs_mem
 * in mujs_exec.h for why a refusal is sticky. Freeing always works, so js_freestate returns
 * every byte.
 *
 * Blocks up to MUJS_ARENA_SMALL bytes come from the run's arena (mujs_arena.c), larger ones
 * (and small ones once the arena's budget is spent) from the C library. Neither crosses the
 * plugin boundary, so host->alloc is not used: its table would add an indirect call per
 * allocation on the hottest path of an execution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mujs_exec.h"

/* In front of each block: its size and whether the arena holds it, padded so that the
 * payload keeps the alignment malloc gives (MuJS stores doubles and pointers in its blocks). */
typedef struct block_head {
    size_t size;
    size_t in_arena;
} block_head;

#define MUJS_HEADER ((size_t) _Alignof(max_align_t))

_Static_assert(sizeof(block_head) <= MUJS_HEADER, "the header fits in front of the payload");

/* Whether growing the live total by `grow` bytes is allowed; refuses and marks the cap hit
 * when it is not. */
static int mujs_mem_allows(mujs_mem *m, size_t grow)
{
    if (!m->capped)
        return 1;
    if (m->hit || grow > m->limit || m->used > m->limit - grow) {
        m->hit = 1;
        return 0;
    }
    return 1;
}

static void *block_fill(mujs_mem *m, char *raw, size_t size, size_t in_arena)
{
    block_head h = {size, in_arena};
    memcpy(raw, &h, sizeof h);
    m->used += size;
    if (m->used > m->peak)
        m->peak = m->used;
    return raw + MUJS_HEADER;
}

/* A new block of `size` payload bytes (not counted yet): from the arena when small. */
static char *block_take(mujs_mem *m, size_t size, size_t *in_arena)
{
    char *raw = NULL;
    if (m->arena && size <= MUJS_ARENA_SMALL - MUJS_HEADER)
        raw = mujs_arena_take(m->arena, MUJS_HEADER + size);
    *in_arena = raw != NULL;
    return raw ? raw : malloc(MUJS_HEADER + size);
}

static void block_give(mujs_mem *m, char *raw, const block_head *h)
{
    if (h->in_arena)
        mujs_arena_give(m->arena, raw, MUJS_HEADER + h->size);
    else
        free(raw);
}

void *mujs_alloc(void *actx, void *ptr, int size)
{
    mujs_mem *m = actx;
    char *raw = ptr ? (char *)ptr - MUJS_HEADER : NULL;
    block_head h = {0, 0};

    if (raw)
        memcpy(&h, raw, sizeof h);
    if (size <= 0) { /* free (MuJS never asks for a negative size; treat it as free too) */
        if (raw) {
            m->used -= h.size;
            block_give(m, raw, &h);
        }
        return NULL;
    }
    size_t want = (size_t)size;
    if (want > h.size && !mujs_mem_allows(m, want - h.size))
        return NULL;
    if (raw && h.in_arena && mujs_arena_same_class(MUJS_HEADER + h.size, MUJS_HEADER + want)) {
        m->used -= h.size; /* the block already has room */
        return block_fill(m, raw, want, 1);
    }
    if (raw && !h.in_arena && want > MUJS_ARENA_SMALL - MUJS_HEADER) {
        char *nraw = realloc(raw, MUJS_HEADER + want);
        if (!nraw)
            return NULL; /* the old block is untouched and still counted */
        m->used -= h.size;
        return block_fill(m, nraw, want, 0);
    }
    size_t in_arena;
    char *nraw = block_take(m, want, &in_arena);
    if (!nraw)
        return NULL;
    if (raw) {
        memcpy(nraw + MUJS_HEADER, raw + MUJS_HEADER, h.size < want ? h.size : want);
        m->used -= h.size;
        block_give(m, raw, &h);
    }
    return block_fill(m, nraw, want, in_arena);
}

void mujs_format_size(char *out, size_t outlen, size_t bytes)
{
    const size_t kib = 1024, mib = 1024 * 1024, gib = (size_t)1024 * 1024 * 1024;
    if (bytes >= gib && bytes % gib == 0)
        snprintf(out, outlen, "%zu GiB", bytes / gib);
    else if (bytes >= mib && bytes % mib == 0)
        snprintf(out, outlen, "%zu MiB", bytes / mib);
    else if (bytes >= kib && bytes % kib == 0)
        snprintf(out, outlen, "%zu KiB", bytes / kib);
    else
        snprintf(out, outlen, "%zu bytes", bytes);
}
