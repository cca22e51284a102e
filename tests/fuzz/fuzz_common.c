/* tests/fuzz/fuzz_common.c - see fuzz_common.h. */
#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_check_failed(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fuzz_split(const uint8_t *data, size_t size, size_t max, fuzz_fields *out)
{
    const size_t seplen = sizeof FUZZ_SEP - 1;
    if (max > FUZZ_MAX_FIELD)
        max = FUZZ_MAX_FIELD;
    memset(out, 0, sizeof *out);
    size_t start = 0;
    while (out->n + 1 < max) {
        const uint8_t *hit = NULL;
        for (size_t i = start; i + seplen <= size; i++) {
            if (memcmp(data + i, FUZZ_SEP, seplen) == 0) {
                hit = data + i;
                break;
            }
        }
        if (!hit)
            break;
        size_t end = (size_t)(hit - data);
        out->f[out->n] = fuzz_strndup(data + start, end - start);
        out->len[out->n++] = end - start;
        start = end + seplen;
    }
    out->f[out->n] = fuzz_strndup(data + start, size - start);
    out->len[out->n++] = size - start;
}

void fuzz_fields_free(fuzz_fields *ff)
{
    for (size_t i = 0; i < ff->n; i++)
        free(ff->f[i]);
    memset(ff, 0, sizeof *ff);
}

static char scratch[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    if (ftw->level > 0)
        remove(path);
    return 0;
}

void fuzz_empty_dir(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_scratch(void)
{
    if (scratch[0]) {
        fuzz_empty_dir(scratch);
        rmdir(scratch);
    }
}

const char *fuzz_scratch(void)
{
    if (scratch[0])
        return scratch;
    const char *base = getenv("RATCHET_FUZZ_TMP");
    snprintf(scratch, sizeof scratch, "%s/ratchet-fuzz.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(scratch)) {
        fprintf(stderr, "fuzz: cannot create %s: %s\n", scratch, strerror(errno));
        abort();
    }
    atexit(remove_scratch);
    return scratch;
}

int fuzz_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd);
}
