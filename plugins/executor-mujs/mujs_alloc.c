/*
 * mujs_alloc.c - the allocator behind every js_State: counts bytes and enforces the memory
 * limit of one execution.
 *
 * MuJS calls one hook for malloc, realloc and free (size 0) and is not told a block's old
 * size, so each block starts with a header holding it. When the hook returns NULL, MuJS
 * throws the string "out of memory" into the script; see mujs_mem in mujs_exec.h for why a
 * refusal is sticky. Freeing always works, so js_freestate returns every byte.
 *
 * The blocks come from the C library (malloc/realloc/free), not host->alloc: they never
 * cross the plugin boundary, and the host's table adds an indirect call per allocation on
 * the hottest path of an execution (a fresh state makes about 1,200 of them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mujs_exec.h"

/* Bytes in front of each block holding its size, padded so that the payload keeps the
 * alignment malloc gives (MuJS stores doubles and pointers in its blocks). */
#define MUJS_HEADER ((size_t) _Alignof(max_align_t))

_Static_assert(_Alignof(max_align_t) >= sizeof(size_t), "the size fits in the header");

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

static void *mujs_block_new(mujs_mem *m, char *raw, size_t size)
{
    memcpy(raw, &size, sizeof size);
    m->used += size;
    if (m->used > m->peak)
        m->peak = m->used;
    return raw + MUJS_HEADER;
}

void *mujs_alloc(void *actx, void *ptr, int size)
{
    mujs_mem *m = actx;
    char *raw = ptr ? (char *)ptr - MUJS_HEADER : NULL;
    size_t old = 0;

    if (raw)
        memcpy(&old, raw, sizeof old);
    if (size <= 0) { /* free (MuJS never asks for a negative size; treat it as free too) */
        if (raw) {
            m->used -= old;
            free(raw);
        }
        return NULL;
    }
    size_t want = (size_t)size;
    if (want > old && !mujs_mem_allows(m, want - old))
        return NULL;
    char *nraw = realloc(raw, MUJS_HEADER + want); /* realloc(NULL, n) is malloc(n) */
    if (!nraw)
        return NULL; /* the old block is untouched and still counted */
    m->used -= old;
    return mujs_block_new(m, nraw, want);
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
