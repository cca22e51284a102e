/*
 * tests/fuzz/fuzz_task_zip.c - task .zip archives (host/task/task_zip.c).
 *
 * libzip is not instrumented, so mutating archive bytes reaches little of the loader. This
 * harness BUILDS an archive with libzip from fuzzed entries (names, kinds, sizes, compression,
 * and declared sizes that lie), loads it, and checks the safety properties explicitly:
 *   - zip-slip: nothing is ever written outside the loader's private folder (the folders around
 *     it hold exactly what the harness put there), and an archive with an entry that names a
 *     ".." component, an absolute path or a drive, or with a symbolic link, never loads;
 *   - huge entries: an archive declaring a file over RT_TASK_ZIP_ENTRY_MAX, or more than
 *     RT_TASK_ZIP_TOTAL_MAX in all, never loads;
 *   - compression bombs: what lands on disk is never more than the declared sizes, however
 *     much the compressed data expands to, no file is over the limit, and no symlink appears;
 *   - cleanup: rt_task_free leaves the private folder's parent empty.
 *
 * Input: one flags byte (bit 0: add a valid metadata.json and main.js; bit 1: put them in a
 * top folder "t/"; bit 2: store rather than deflate by default), then records:
 *   kind (low 2 bits: 0 file, 1 folder, 2 symlink, 3 file whose declared size lies;
 *         bit 2 flips the compression), size class, fill byte, name length, name bytes,
 *   and for kind 3 four bytes of the declared size (little endian).
 * Size class: below 0xF8, that many times 61 bytes; 0xF8..0xFF, around the one-file limit (at
 * most one such entry per archive, so a run stays fast).
 */
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "fuzz_common.h"
#include "task/task.h"
#include "task/task_int.h"

#define MAX_ENTRIES 32

typedef struct spec {
    char name[256];
    int kind;
    int flip;          /* deflate <-> store, against the archive's default */
    int fill;          /* the byte the data repeats */
    size_t size;       /* bytes of data actually stored */
    uint32_t declared; /* kind 3: the uncompressed size written in the headers */
    int escapes;
} spec;

/* Does the name leave the folder it is extracted into? Independent of the loader's code:
 * '\\' counts as a separator, and any ".." component, a leading '/' or a drive is refused. */
static int name_escapes(const char *name)
{
    if (name[0] == '/' || name[0] == '\\' ||
        (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[1] == ':'))
        return 1;
    for (const char *c = name; *c;) {
        size_t n = strcspn(c, "/\\");
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return 1;
        c += n;
        if (*c)
            c++;
    }
    return 0;
}

static size_t parse_specs(const uint8_t *data, size_t size, spec *out, int *huge_used)
{
    size_t n = 0, i = 0;
    while (n < MAX_ENTRIES && i + 4 <= size) {
        spec *s = &out[n];
        memset(s, 0, sizeof *s);
        s->kind = data[i] & 3;
        s->flip = (data[i] >> 2) & 1;
        s->fill = data[i + 2];
        int cls = data[i + 1];
        size_t nl = data[i + 3];
        i += 4;
        if (nl > size - i)
            nl = size - i;
        memcpy(s->name, data + i, nl < sizeof s->name ? nl : sizeof s->name - 1);
        s->name[nl < sizeof s->name ? nl : sizeof s->name - 1] = '\0';
        i += nl;
        if (s->kind == 3) {
            if (i + 4 > size)
                break;
            s->declared = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
                          (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
            i += 4;
        }
        if (cls < 0xF8 || *huge_used) {
            s->size = (size_t)(cls < 0xF8 ? cls : 1) * 61;
        } else {
            *huge_used = 1;
            s->size = RT_TASK_ZIP_ENTRY_MAX - 4 + (size_t)(cls - 0xF8);
        }
        s->escapes = name_escapes(s->name);
        n++;
    }
    return n;
}

static void add_file(zip_t *za, const char *name, const void *content, size_t len, int kind,
                     int store)
{
    void *copy = NULL; /* libzip ignores (and never frees) the data of an empty buffer */
    if (len) {
        copy = malloc(len);
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, content, len);
    }
    zip_source_t *src = zip_source_buffer(za, copy, len, 1);
    FUZZ_CHECK(src != NULL);
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_GUESS);
    if (idx < 0) { /* a duplicate or a name libzip refuses */
        zip_source_free(src);
        return;
    }
    zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1);
    if (kind == 2)
        zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         (zip_uint32_t)(S_IFLNK | 0777) << 16);
}

/* Rewrite the uncompressed size of every entry called `name` in the local and central headers
 * (libzip writes no data descriptors for a seekable file, so these are the only copies). */
static void patch_sizes(uint8_t *z, size_t len, const char *name, uint32_t declared)
{
    size_t nl = strlen(name);
    uint8_t v[4] = {(uint8_t)declared, (uint8_t)(declared >> 8), (uint8_t)(declared >> 16),
                    (uint8_t)(declared >> 24)};
    for (size_t i = 0; i + 46 <= len; i++) {
        if (z[i] != 'P' || z[i + 1] != 'K')
            continue;
        if (z[i + 2] == 3 && z[i + 3] == 4 && i + 30 + nl <= len) {
            size_t fl = (size_t)z[i + 26] | (size_t)z[i + 27] << 8;
            if (fl == nl && memcmp(z + i + 30, name, nl) == 0)
                memcpy(z + i + 22, v, 4);
        } else if (z[i + 2] == 1 && z[i + 3] == 2 && i + 46 + nl <= len) {
            size_t fl = (size_t)z[i + 28] | (size_t)z[i + 29] << 8;
            if (fl == nl && memcmp(z + i + 46, name, nl) == 0)
                memcpy(z + i + 24, v, 4);
        }
    }
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) /* libzip writes no file for an archive without entries */
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    FUZZ_CHECK(n >= 0);
    uint8_t *buf = malloc((size_t)n + 1);
    FUZZ_CHECK(buf != NULL);
    FUZZ_CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The extracted tree: no symlinks, no file over the limit, the total within the limit. */
static unsigned long long tree_bytes;
static int tree_check(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    FUZZ_CHECK(flag != FTW_SL && flag != FTW_SLN && !S_ISLNK(st->st_mode));
    FUZZ_CHECK(flag == FTW_D || flag == FTW_DP || S_ISREG(st->st_mode));
    if (S_ISREG(st->st_mode)) {
        FUZZ_CHECK((size_t)st->st_size <= RT_TASK_ZIP_ENTRY_MAX);
        tree_bytes += (unsigned long long)st->st_size;
    }
    return 0;
}

/* Names in a folder, other than "." and "..", joined by ' ' into buf. */
static size_t list_dir(const char *dir, char *buf, size_t cap)
{
    DIR *d = opendir(dir);
    FUZZ_CHECK(d != NULL);
    size_t n = 0;
    buf[0] = '\0';
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        size_t used = strlen(buf);
        snprintf(buf + used, cap - used, "%s%s", used ? " " : "", e->d_name);
    }
    closedir(d);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    const char *base = fuzz_scratch();
    char outer[4200], tmp[4300], in[4300], zpath[4400], names[1024];
    snprintf(outer, sizeof outer, "%s/zip", base);
    snprintf(tmp, sizeof tmp, "%s/tmp", outer);
    snprintf(in, sizeof in, "%s/in", outer);
    snprintf(zpath, sizeof zpath, "%s/task.zip", in);
    mkdir(outer, 0700);
    mkdir(tmp, 0700);
    mkdir(in, 0700);
    setenv("TMPDIR", tmp, 1);

    int flags = data[0], huge_used = 0;
    spec *specs = calloc(MAX_ENTRIES, sizeof *specs);
    FUZZ_CHECK(specs != NULL);
    size_t n = parse_specs(data + 1, size - 1, specs, &huge_used);

    int err_code = 0;
    zip_t *za = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &err_code);
    FUZZ_CHECK(za != NULL);
    const char *top = flags & 2 ? "t/" : "";
    if (flags & 1) {
        char name[16];
        const char *meta = "{\"name\": \"fz\", \"version\": \"1.0.0\"}";
        const char *code = "function main(input) { return input; }\n";
        snprintf(name, sizeof name, "%smetadata.json", top);
        add_file(za, name, meta, strlen(meta), 0, 0);
        snprintf(name, sizeof name, "%smain.js", top);
        add_file(za, name, code, strlen(code), 0, 0);
    }
    size_t bigbuf_len = 0;
    for (size_t i = 0; i < n; i++)
        if (specs[i].size > bigbuf_len)
            bigbuf_len = specs[i].size;
    char *fill = malloc(bigbuf_len + 1);
    FUZZ_CHECK(fill != NULL);
    for (size_t i = 0; i < n; i++) {
        spec *s = &specs[i];
        int store = ((flags >> 2) & 1) ^ s->flip;
        if (s->kind == 1) {
            zip_dir_add(za, s->name, ZIP_FL_ENC_GUESS);
            continue;
        }
        memset(fill, s->fill, s->size);
        if (s->kind == 2) /* a symlink's data is its target */
            add_file(za, s->name, "../../../../etc/passwd", 21, 2, store);
        else
            add_file(za, s->name, fill, s->size, s->kind, store);
    }
    free(fill);
    if (zip_close(za) != 0) {
        zip_discard(za);
        free(specs);
        return 0;
    }

    /* What the headers say: kind 3 entries lie about their size. */
    size_t zlen = 0;
    uint8_t *z = read_all(zpath, &zlen);
    if (!z) {
        free(specs);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (specs[i].kind == 3)
            patch_sizes(z, zlen, specs[i].name, specs[i].declared);
    FUZZ_CHECK(fuzz_write_file(zpath, z, zlen) == 0);
    free(z);

    /* What the archive holds, as libzip reads it back. */
    int any_escape = 0, any_link = 0, any_huge = 0;
    unsigned long long declared_total = 0;
    za = zip_open(zpath, ZIP_RDONLY, &err_code);
    if (za) {
        zip_int64_t count = zip_get_num_entries(za, 0);
        for (zip_int64_t i = 0; i < count; i++) {
            const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
            zip_stat_t zs;
            if (!name || zip_stat_index(za, (zip_uint64_t)i, 0, &zs) != 0)
                continue;
            zip_uint8_t opsys;
            zip_uint32_t attr;
            if (zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr) == 0 &&
                ((attr >> 16) & S_IFMT) == S_IFLNK)
                any_link = 1;
            any_escape |= name_escapes(name);
            size_t nl = strlen(name);
            int is_dir = nl && (name[nl - 1] == '/' || name[nl - 1] == '\\');
            if (!is_dir && (zs.valid & ZIP_STAT_SIZE)) {
                if (zs.size > RT_TASK_ZIP_ENTRY_MAX && strstr(name, "__MACOSX") == NULL)
                    any_huge = 1;
                declared_total += zs.size;
            }
        }
        zip_close(za);
    }

    rt_error err = {{0}};
    rt_task *t = rt_task_load(zpath, &err);
    if (getenv("RATCHET_FUZZ_VERBOSE")) /* to see what a corpus reaches */
        fprintf(stderr, "task_zip: %s\n", t ? "loaded" : err.msg);
    if (t) {
        FUZZ_CHECK(!any_escape); /* zip-slip */
        FUZZ_CHECK(!any_link);   /* symbolic links */
        FUZZ_CHECK(!any_huge);   /* one entry over the limit */
        FUZZ_CHECK(t->tmpdir != NULL);
        char real_tmp[PATH_MAX], real_dir[PATH_MAX];
        FUZZ_CHECK(realpath(tmp, real_tmp) && realpath(t->dir, real_dir));
        FUZZ_CHECK(strncmp(real_dir, real_tmp, strlen(real_tmp)) == 0 &&
                   real_dir[strlen(real_tmp)] == '/');
        tree_bytes = 0;
        FUZZ_CHECK(nftw(t->tmpdir, tree_check, 16, FTW_PHYS) == 0);
        FUZZ_CHECK(tree_bytes <= RT_TASK_ZIP_TOTAL_MAX); /* compression bombs */
        FUZZ_CHECK(tree_bytes <= declared_total);
        FUZZ_CHECK(list_dir(tmp, names, sizeof names) == 1); /* only the task's own folder */
        rt_task_free(t);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    /* Nothing outside the private folder, which is gone: "in" holds only the archive, the
     * outer folder only "in" and "tmp", and "tmp" is empty again. */
    if (list_dir(tmp, names, sizeof names) != 0)
        fuzz_check_failed(names, __FILE__, __LINE__);
    if (list_dir(in, names, sizeof names) != 1 || strcmp(names, "task.zip") != 0)
        fuzz_check_failed(names, __FILE__, __LINE__);
    if (list_dir(outer, names, sizeof names) != 2)
        fuzz_check_failed(names, __FILE__, __LINE__);
    free(specs);
    return 0;
}
