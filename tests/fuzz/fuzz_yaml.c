/*
 * tests/fuzz/fuzz_yaml.c - the configuration file: YAML parsing (host/core/yaml.c), then the
 * whole of rt_settings_load (sections, options, plugin paths, instances) with environment
 * overrides. Input: the YAML text, optionally followed by a FUZZ_SEP line and RATCHET_*=value
 * lines used as the environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "core/settings.h"
#include "fuzz_common.h"

/* Touch every node the way the option checker does, to check the tree is well formed. */
static size_t walk(const rt_node *n, int depth)
{
    FUZZ_CHECK(depth <= RT_YAML_MAX_DEPTH + 1);
    size_t count = 1;
    switch (rt_node_kind(n)) {
    case RATCHET_NODE_SCALAR:
        FUZZ_CHECK(rt_node_scalar(n) != NULL);
        break;
    case RATCHET_NODE_MAP:
        for (size_t i = 0; i < rt_node_count(n); i++) {
            FUZZ_CHECK(rt_node_key_at(n, i) != NULL);
            FUZZ_CHECK(rt_node_get(n, rt_node_key_at(n, i)) != NULL);
            count += walk(rt_node_at(n, i), depth + 1);
        }
        break;
    case RATCHET_NODE_SEQUENCE:
        for (size_t i = 0; i < rt_node_count(n); i++)
            count += walk(rt_node_at(n, i), depth + 1);
        break;
    default:
        break;
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fields ff;
    fuzz_split(data, size, 2, &ff);
    rt_error err = {{0}};
    rt_node *root = rt_yaml_parse(ff.f[0], ff.len[0], "fuzz.yaml", &err);
    if (root) {
        walk(root, 0);
        rt_node_free(root);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }

    /* The same text as a configuration file, with the second field as the environment. */
    char path[4200];
    snprintf(path, sizeof path, "%s/ratchet.yaml", fuzz_scratch());
    if (fuzz_write_file(path, ff.f[0], ff.len[0]) == 0) {
        char *envp[17] = {NULL};
        size_t n = 0;
        if (ff.n > 1) {
            for (char *line = strtok(ff.f[1], "\n"); line && n < 16; line = strtok(NULL, "\n"))
                envp[n++] = line;
        }
        rt_settings s;
        memset(&err, 0, sizeof err);
        if (rt_settings_load(&s, path, envp, &err) != RATCHET_OK)
            FUZZ_CHECK(err.msg[0] != '\0');
        rt_settings_free(&s);
    }
    fuzz_fields_free(&ff);
    return 0;
}
