/*
 * tests/bench/bench_compiler_corpus.c - the corpus walk of bench_compiler (figure 1): the
 * programs of tests/js/corpus, topics taken in turn and files in name order (deterministic),
 * joined into sources of a given size; and the text buffer and file reading it needs.
 */
#include "bench_compiler.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "task/program.h"

int bench_text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *p = realloc(t->s, cap);
        if (!p)
            return -1;
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
    return 0;
}

int bench_text_addf(text *t, const char *fmt, int k, const char *body, size_t n)
{
    char head[64];
    int h = snprintf(head, sizeof head, fmt, k);
    return bench_text_add(t, head, (size_t)h) || bench_text_add(t, body, n) ||
           bench_text_add(t, "\nreturn main;\n}());\n", 20);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in `dir` (regular files ending in .js, or directories), malloc'd. */
static int list_dir(const char *dir, int dirs, char ***names)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0, cap = 0;
    *names = NULL;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 ||
            (dirs ? !S_ISDIR(st.st_mode)
                  : !S_ISREG(st.st_mode) || len < 4 || strcmp(e->d_name + len - 3, ".js") != 0))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(*names, (size_t)cap * sizeof *p);
            if (!p)
                break;
            *names = p;
        }
        (*names)[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(*names, (size_t)n, sizeof **names, cmp_str);
    return n;
}

char *bench_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    text t = {0};
    char buf[4096];
    size_t n;
    if (!f)
        return NULL;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (bench_text_add(&t, buf, n) != 0)
            break;
    fclose(f);
    return t.s ? t.s : strdup("");
}

static int compiles(const char *src)
{
    rt_error err = {{0}};
    rt_program *p = rt_program_compile(src, strlen(src), &err);
    rt_program_free(p);
    return p != NULL;
}

/* The corpus files of every topic but `es5` that the compiler accepts (es5 != 0: the files of
 * `es5`). */
int bench_corpus_load(corpus *c, const char *root, int es5)
{
    char **topics;
    int nt = list_dir(root, 1, &topics);
    memset(c, 0, sizeof *c);
    for (int i = 0; i < nt; i++) {
        char dir[4096], **names;
        if ((strcmp(topics[i], "es5") == 0) != es5) {
            free(topics[i]);
            continue;
        }
        snprintf(dir, sizeof dir, "%s/%s", root, topics[i]);
        int nf = list_dir(dir, 0, &names);
        for (int j = 0; j < nf; j++) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, names[j]);
            c->files = realloc(c->files, (size_t)(c->nfiles + 1) * sizeof *c->files);
            c->topic_of = realloc(c->topic_of, (size_t)(c->nfiles + 1) * sizeof *c->topic_of);
            if (!c->files || !c->topic_of)
                return -1;
            char *body = bench_read_file(path);
            if (body && !es5 && !compiles(body)) {
                bench_note("  skipped %s/%s: the compiler refuses it\n", topics[i], names[j]);
                free(body);
                body = NULL;
            }
            if (body) {
                c->files[c->nfiles] = body;
                c->topic_of[c->nfiles++] = c->ntopics;
            }
            free(names[j]);
        }
        free(names);
        free(topics[i]);
        c->ntopics += nf > 0;
    }
    free(topics);
    return c->nfiles > 0 ? 0 : -1;
}

void bench_corpus_free(corpus *c)
{
    for (int i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->topic_of);
}

/* At least `target` bytes: the i-th file of each topic in turn, then the (i+1)-th, ...; once
 * every file is used, the corpus again (distinct wrapper names). */
char *bench_corpus_source(const corpus *c, size_t target, size_t *len)
{
    text t = {0};
    int k = 0;
    for (int pass = 0; t.len < target; pass++) {
        int added = 0;
        for (int tp = 0; tp < c->ntopics && t.len < target; tp++) {
            int seen = 0;
            for (int i = 0; i < c->nfiles; i++) {
                if (c->topic_of[i] != tp || seen++ != pass % 1000)
                    continue;
                if (bench_text_addf(&t, "var main_%d = (function () {\n", k++, c->files[i],
                                    strlen(c->files[i])) != 0)
                    return NULL;
                added = 1;
                break;
            }
        }
        if (!added) /* every topic ran out: start over */
            pass = -1;
    }
    *len = t.len;
    return t.s;
}
