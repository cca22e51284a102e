/* tests/unit/conformance_testing.c - see conformance_testing.h. */
#include "conformance_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader.h"
#include "options.h"
#include "rt_yaml.h"

const ratchet_plugin_desc *conf_desc;
char conf_tmp[512];
char conf_unique[64];

static rt_registry registry;
static const char *template_text;
static int case_counter;

void conf_load(const char *path, const char *options_template)
{
    rt_error err = {{0}};
    rt_registry_init(&registry);
    if (rt_loader_load_file(&registry, path, &err) != RATCHET_OK || registry.count != 1) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.msg);
        exit(1);
    }
    conf_desc = registry.plugins[0].desc;
    if (!conf_desc->storage) {
        fprintf(stderr, "%s offers no storage kind\n", path);
        exit(1);
    }
    template_text = options_template;
}

int conf_is(const char *plugin_name)
{
    return strcmp(conf_desc->name, plugin_name) == 0;
}

int conf_setup(void **state)
{
    (void)state;
    scratch_dir(conf_tmp, sizeof conf_tmp, "conformance");
    snprintf(conf_unique, sizeof conf_unique, "conf_%ld_%d", (long)getpid(), ++case_counter);
    return 0;
}

int conf_teardown(void **state)
{
    (void)state;
    return scratch_remove(conf_tmp);
}

/* The template with its substitutions, then extra. */
static void expand(const char *extra, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = template_text; *p && n + 1 < len;) {
        const char *val = NULL;
        size_t skip = 0;
        char name[128];
        if (!strncmp(p, "{tmp}", 5)) {
            val = conf_tmp;
            skip = 5;
        } else if (!strncmp(p, "{unique}", 8)) {
            val = conf_unique;
            skip = 8;
        } else if (!strncmp(p, "{env:", 5) && strchr(p, '}')) {
            size_t k = (size_t)(strchr(p, '}') - (p + 5));
            snprintf(name, sizeof name, "%.*s", (int)k, p + 5);
            val = getenv(name);
            if (!val)
                fail_msg("the options template needs the environment variable %s", name);
            skip = k + 6;
        }
        if (val) {
            n += (size_t)snprintf(out + n, len - n, "%s", val);
            p += skip;
        } else {
            out[n++] = *p++;
        }
        if (n >= len)
            fail_msg("options too long");
    }
    out[n] = '\0';
    snprintf(out + n, len - n, "\n%s", extra ? extra : "");
}

ratchet_status inst_try_yaml(inst *in, const char *yaml)
{
    return inst_start(in, conf_desc, yaml);
}

ratchet_status inst_try(inst *in, const char *extra_yaml)
{
    char yaml[2048];
    expand(extra_yaml, yaml, sizeof yaml);
    return inst_try_yaml(in, yaml);
}

void inst_open(inst *in, const char *extra_yaml)
{
    ratchet_status s = inst_try(in, extra_yaml);
    if (s != RATCHET_OK)
        fail_msg("start failed (%d): %s", (int)s, rt_error_peek());
}

void inst_close(inst *in)
{
    inst_stop(in, in->started);
}

size_t conf_cases(struct CMUnitTest *out, size_t max, const struct CMUnitTest *tests, size_t n)
{
    if (n > max)
        n = max;
    memcpy(out, tests, n * sizeof *tests);
    return n;
}

void *wait_thread(void *p)
{
    waiter *w = p;
    int64_t t0 = mono_ms();
    w->st = w->in->vt->wait(w->in->self, w->timeout);
    w->took = mono_ms() - t0;
    return NULL;
}
