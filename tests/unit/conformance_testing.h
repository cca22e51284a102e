/* tests/unit/conformance_testing.h - what the storage conformance suite shares: a storage
 * plugin loaded by path, instances from an options template, submit/claim/finish shorthands
 * and replies as JSON. Nothing here knows which plugin it runs: the suite must hold for every
 * storage plugin (storage-sqlite and storage-postgres are run through it by CTest).
 *
 * The program is run as `test_storage_conformance PLUGIN.so OPTIONS-TEMPLATE`. The template is
 * the instance's options in YAML, with these substitutions:
 *   {tmp}        a fresh directory per test case
 *   {unique}     a name unique to the test case (e.g. a PostgreSQL schema)
 *   {env:NAME}   the environment variable NAME (e.g. the URL of a throwaway cluster)
 */
#ifndef CONFORMANCE_TESTING_H
#define CONFORMANCE_TESTING_H

#include "storage_testing.h"

/* The plugin under test (loaded by conf_load) and its name. */
extern const ratchet_plugin_desc *conf_desc;
extern char conf_tmp[512];
extern char conf_unique[64];

/* Load the plugin (exit 1 with a message when it cannot be). */
void conf_load(const char *path, const char *options_template);
int conf_is(const char *plugin_name);

/* cmocka setup/teardown: a fresh {tmp} and {unique} per case. */
int conf_setup(void **state);
int conf_teardown(void **state);

/* Create and start an instance from the template plus `extra_yaml` (NULL: none); returns
 * start's status (create must succeed). inst_open fails the test unless start succeeds. */
ratchet_status inst_try(inst *in, const char *extra_yaml);
void inst_open(inst *in, const char *extra_yaml);
/* The same, from complete options YAML (no template). */
ratchet_status inst_try_yaml(inst *in, const char *yaml);
void inst_close(inst *in);

/* Copy the first (at most max) of n cases into out; how many. */
size_t conf_cases(struct CMUnitTest *out, size_t max, const struct CMUnitTest *tests, size_t n);

/* A thread that calls wait(timeout) on an instance, and what it saw. */
typedef struct waiter {
    inst *in;
    int64_t timeout, took;
    ratchet_status st;
} waiter;
void *wait_thread(void *waiter_arg);

/* The further cases (conformance_lists.c, conformance_more.c), and those only storage-postgres has
 * (conformance_postgres.c): each writes its cmocka entries into out (at most max) and returns
 * how many. */
size_t conformance_lists(struct CMUnitTest *out, size_t max);
size_t conformance_more(struct CMUnitTest *out, size_t max);
size_t conformance_logs(struct CMUnitTest *out, size_t max);
size_t conformance_postgres(struct CMUnitTest *out, size_t max);

#endif
