/* host/task/task_zip_lib.c - loading libzip on first use (see task_zip_lib.h). */
#include "task_zip_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static rt_zip_lib lz;
static int lz_ok;
static char lz_error[512];
static pthread_once_t lz_once = PTHREAD_ONCE_INIT;

/* Resolve one symbol into a table slot (object-to-function pointer copy, as POSIX allows). */
static int bind_symbol(void *lib, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym)
        memcpy(slot, &sym, size);
    else
        snprintf(lz_error, sizeof lz_error, "libzip lacks %s", name);
    return sym != NULL;
}

#define BIND(lib, field) bind_symbol(lib, "zip_" #field, &lz.field, sizeof lz.field)

static void zip_lib_load(void)
{
    void *lib = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(lz_error, sizeof lz_error, "cannot load libzip.so.4 (%s); install libzip4",
                 e ? e : "?");
        return;
    }
    lz_ok = BIND(lib, open) && BIND(lib, get_num_entries) && BIND(lib, stat_index) &&
            BIND(lib, get_name) && BIND(lib, file_get_external_attributes) &&
            BIND(lib, fopen_index) && BIND(lib, fread) && BIND(lib, fclose) &&
            BIND(lib, file_strerror) && BIND(lib, strerror) && BIND(lib, discard) &&
            BIND(lib, error_init_with_code) && BIND(lib, error_strerror) && BIND(lib, error_fini) &&
            BIND(lib, source_file) && BIND(lib, source_free) && BIND(lib, file_add) &&
            BIND(lib, file_set_mtime) && BIND(lib, file_set_external_attributes) &&
            BIND(lib, close);
}

const rt_zip_lib *rt_zip_lib_get(const char **why)
{
    pthread_once(&lz_once, zip_lib_load);
    *why = lz_error;
    return lz_ok ? &lz : NULL;
}
