/* tests/unit/sqlite_testing.h - what the storage-sqlite tests share: a scratch directory, an
 * instance from YAML options, submit/claim/finish shorthands, SQL peeks, replies as JSON. */
#ifndef SQLITE_TESTING_H
#define SQLITE_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_storage_sqlite(const ratchet_host_api *api);

/* ---- scaffolding ---------------------------------------------------------------------- */

typedef struct inst {
    const ratchet_plugin_desc *desc;
    const ratchet_storage_vtable *vt;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
} inst;

extern char tmpdir[512];

/* A fresh directory per test, under RATCHET_TEST_TMP when ctest sets it. */
int setup_dir(void **state);

int teardown_dir(void **state);

const char *db_path(void);

/* Create and start an instance; returns start's status (create must succeed). */
ratchet_status inst_try(inst *in, const char *extra_yaml);

void inst_open(inst *in, const char *extra_yaml);

void inst_close(inst *in, int started);

int64_t mono_ms(void);

int64_t wall_ms(void);

/* Parse a reply buffer, then free it. */
json_object *reply(ratchet_buf *b);

json_object *get(json_object *o, const char *key);

const char *str(json_object *o, const char *key);

int64_t num(json_object *o, const char *key);

json_object *job_json(inst *in, int64_t id);

int64_t sync_task(inst *in, const char *name, const char *version, const char *checksum);

ratchet_job_submit job_spec(int64_t tv, const char *input);

int64_t submit(inst *in, const ratchet_job_submit *j, int *existed);

int64_t submit_simple(inst *in, int64_t tv, const char *input);

size_t claim(inst *in, const char *owner, int64_t now, int64_t lease, ratchet_claimed_job *out,
             size_t max);

void claimed_free(ratchet_claimed_job *c, size_t n);

ratchet_job_finish fin_spec(const ratchet_claimed_job *c, const char *owner,
                            ratchet_finish_kind kind);

size_t finish(inst *in, const ratchet_job_finish *f, size_t n);

int64_t sql_int(const char *sql);

/* Run SQL on the test's database file directly (creating it when missing). */
void sql_exec(const char *sql);

void expect_error(const char *needle);

#endif