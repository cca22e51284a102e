/* tests/unit/ipc_testing.h - what the worker-protocol tests share: JSON values, encoding, pipes. */
#ifndef IPC_TESTING_H
#define IPC_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "ipc.h"

/* ---- helpers ------------------------------------------------------------------------------- */

struct json_object *parse(const char *text);

/* A value given as verbatim JSON text. */
rt_ipc_json json_text(const char *text);

void assert_contains(const char *haystack, const char *needle);

#endif
