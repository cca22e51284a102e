/* tests/unit/sqlite_testing.h - what the storage-sqlite tests add to storage_testing.h: the
 * plugin compiled in (static entry), a scratch directory with the database file, SQL peeks. */
#ifndef SQLITE_TESTING_H
#define SQLITE_TESTING_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "options.h"
#include "plugin_harness.h"
#include "storage_testing.h"

const ratchet_plugin_desc *ratchet_plugin_entry_storage_sqlite(const ratchet_host_api *api);

/* ---- scaffolding ---------------------------------------------------------------------- */

extern char tmpdir[512];

/* A fresh directory per test, under RATCHET_TEST_TMP when ctest sets it. */
int setup_dir(void **state);

int teardown_dir(void **state);

const char *db_path(void);

/* Create and start an instance; returns start's status (create must succeed). */
ratchet_status inst_try(inst *in, const char *extra_yaml);

void inst_open(inst *in, const char *extra_yaml);

void inst_close(inst *in, int started);

int64_t sql_int(const char *sql);

/* Run SQL on the test's database file directly (creating it when missing). */
void sql_exec(const char *sql);

#endif
