/* tests/unit/storage_testing.h - what every storage test shares (the conformance suite and the
 * storage-sqlite tests): scratch directories, an instance of a storage plugin from YAML options,
 * submit/claim/finish shorthands and replies as JSON. The helpers fail the running cmocka test
 * on an unexpected status, with the plugin's message. */
#ifndef STORAGE_TESTING_H
#define STORAGE_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "hostapi.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

typedef struct inst {
    const ratchet_plugin_desc *desc;
    const ratchet_storage_vtable *vt;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
    int started;
} inst;

/* A fresh directory "<prefix>-XXXXXX" under RATCHET_TEST_TMP (else /tmp) into out; removed
 * with everything in it by scratch_remove (0 on success). */
void scratch_dir(char *out, size_t len, const char *prefix);
int scratch_remove(const char *dir);

/* Create (which must succeed) and start an instance of desc's storage from options YAML;
 * returns start's status. inst_stop stops it when `started`, destroys it and clears *in. */
ratchet_status inst_start(inst *in, const ratchet_plugin_desc *desc, const char *yaml);
void inst_stop(inst *in, int started);

int64_t mono_ms(void);
int64_t wall_ms(void);

json_object *reply(ratchet_buf *b);
json_object *get(json_object *o, const char *key);
const char *str(json_object *o, const char *key);
int64_t num(json_object *o, const char *key);
int is_null(json_object *o, const char *key);
/* The keys of an object, comma-separated, in order. */
void keys_of(json_object *o, char *out, size_t len);

json_object *job_json(inst *in, int64_t id);
void expect_status(inst *in, int64_t id, const char *want);
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
/* `total` of a job_list / execution_list query. */
int64_t list_total(inst *in, int execs, const char *query);
void expect_error(const char *needle);
/* execution_logs (fails the test unless OK), and the i-th of a list's items. */
json_object *logs_of(inst *in, int64_t exec_id, const char *query);
json_object *item(json_object *list, size_t i);
/* job_list (execs 0) or execution_list (1) answering `query` (fails the test unless OK), and
 * the same expected to fail with an error that mentions needle. */
json_object *list_of(inst *in, int execs, const char *query);
void expect_list_error(inst *in, int execs, const char *query, const char *needle);
/* A 64-character hash of c (one of four rotating static buffers), and key_create with it,
 * asserting the status `want`; returns the id. */
const char *hash_of(char c);
int64_t key_create(inst *in, const char *name, const char *scope, const char *hash,
                   ratchet_status want);
/* Each suite's own: create and start an instance with its options plus extra_yaml (NULL:
 * none), failing the test unless it starts (conformance_testing.c, sqlite_testing.c). */
void inst_open(inst *in, const char *extra_yaml);
/* inst_open(in, NULL), then the task "t" 1.0.0 synced; returns its version's id. */
int64_t open_with_task(inst *in);
/* open_with_task, one job of "t" with input {} submitted and claimed by "w" (lease 60 s)
 * into c[0] (free it with claimed_free); returns the task version's id. */
int64_t open_and_claim(inst *in, ratchet_claimed_job *c);
/* stats(resource, now) and task_list as JSON (each fails the test unless OK). */
json_object *stats_of(inst *in, const char *resource, int64_t now);
json_object *tasks_of(inst *in);
/* The task called `name` in a task_list reply (borrowed from list; fails the test if none). */
json_object *task_named(json_object *list, const char *name);

#endif /* STORAGE_TESTING_H */
