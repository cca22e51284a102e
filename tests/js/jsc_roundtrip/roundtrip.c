/*
 * tests/js/jsc_roundtrip/roundtrip.c - driver for the parser/printer round-trip test:
 *
 *   roundtrip FILE            parse FILE, print it back (jsc_print) on stdout
 *   roundtrip --dump FILE     the S-expression of the tree (jsc_dump)
 *   roundtrip --map FILE      the printed code, each line prefixed with its line-map entry
 *   roundtrip --bench N FILE  parse+print N times, report the time per run on stderr
 *
 * A compile error prints "error: LINE:COL: message" on stdout and exits with status 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "phases.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* One compilation: returns 0 on success with *out etc. set (caller frees), 1 on error. */
static int run(const char *src, size_t len, const char *mode, char **out, size_t *out_len,
               jsc_line_pos **map, size_t *map_len)
{
    jsc_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.arena = jsc_arena_new();
    cx.src = src;
    cx.src_len = len;
    cx.filename = "input.js";
    jmp_buf oom;
    if (setjmp(oom)) {
        jsc_arena_free(cx.arena);
        printf("error: out of memory\n");
        return 1;
    }
    cx.oom = &oom;
    jsc_node *prog = jsc_parse(&cx);
    int rc = 0;
    *out = NULL;
    *map = NULL;
    if (!prog) {
        printf("error: %u:%u: %s\n", cx.err_line, cx.err_col, cx.err_msg);
        rc = 1;
    } else if (strcmp(mode, "dump") == 0) {
        *out = jsc_dump(prog);
        *out_len = *out ? strlen(*out) : 0;
    } else if (!jsc_print(&cx, prog, out, out_len, map, map_len)) {
        printf("error: %u:%u: %s\n", cx.err_line, cx.err_col, cx.err_msg);
        rc = 1;
    }
    jsc_arena_free(cx.arena);
    return rc;
}

int main(int argc, char **argv)
{
    const char *mode = "print";
    long bench = 0;
    int i = 1;
    if (i < argc && strcmp(argv[i], "--dump") == 0) {
        mode = "dump";
        i++;
    } else if (i < argc && strcmp(argv[i], "--map") == 0) {
        mode = "map";
        i++;
    } else if (i + 1 < argc && strcmp(argv[i], "--bench") == 0) {
        bench = atol(argv[i + 1]);
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: roundtrip [--dump|--map|--bench N] FILE\n");
        return 2;
    }
    size_t len;
    char *src = read_file(argv[i], &len);
    if (!src) {
        fprintf(stderr, "roundtrip: cannot read %s\n", argv[i]);
        return 2;
    }
    char *out;
    size_t out_len = 0, map_len = 0;
    jsc_line_pos *map;
    if (bench > 0) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long k = 0; k < bench; k++) {
            if (run(src, len, mode, &out, &out_len, &map, &map_len))
                return 1;
            free(out);
            free(map);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / (double)bench;
        fprintf(stderr, "%zu bytes: %.3f ms per parse+print\n", len, ms);
        free(src);
        return 0;
    }
    int rc = run(src, len, mode, &out, &out_len, &map, &map_len);
    if (rc == 0 && strcmp(mode, "map") == 0) {
        size_t line = 0;
        printf("%4u:%-3u| ", map_len ? map[0].line : 0, map_len ? map[0].col : 0);
        for (size_t k = 0; k < out_len; k++) {
            putchar(out[k]);
            if (out[k] == '\n' && k + 1 < out_len) {
                line++;
                printf("%4u:%-3u| ", line < map_len ? map[line].line : 0,
                       line < map_len ? map[line].col : 0);
            }
        }
    } else if (rc == 0 && out) {
        fwrite(out, 1, out_len, stdout);
        if (strcmp(mode, "dump") == 0)
            putchar('\n');
    }
    free(out);
    free(map);
    free(src);
    return rc;
}
