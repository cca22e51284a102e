/*
 * host/engine/pool.h - the coordinator's worker processes: spawn `ratchet worker` children with a
 * pipe each way, send them messages, read theirs, reap and replace the dead ones (with a
 * backoff when they keep dying at start).
 *
 * Threading: the pool belongs to the engine loop's thread, except rt_pool_send(), which fetch
 * threads also call (each slot's writes are serialised by its mutex).
 */
#ifndef RT_POOL_H
#define RT_POOL_H

#include <pthread.h>
#include <sys/types.h>

#include "ipc.h"
#include "jobtrace.h"
#include "ratchet/storage.h"
#include "task/task_layer.h"

typedef enum rt_slot_state {
    RT_SLOT_DEAD = 0, /* no process; restart at restart_at_ms */
    RT_SLOT_STARTING, /* spawned, waiting for `ready` */
    RT_SLOT_IDLE,
    RT_SLOT_BUSY
} rt_slot_state;

typedef struct rt_slot {
    int index;
    pid_t pid;
    int to_fd;   /* the worker's stdin */
    int from_fd; /* the worker's stdout (non-blocking) */
    rt_ipc_reader reader;
    pthread_mutex_t write_lock;
    rt_slot_state state;
    int64_t restart_at_ms;
    int start_failures; /* consecutive deaths before `ready`: drives the backoff */
    int64_t started_ms;
    /* the job it runs (state BUSY) */
    ratchet_claimed_job job;
    int64_t job_started_ms;
    int64_t deadline_ms; /* 0: none */
    int64_t timeout_ms;
    int kill_reason; /* why the coordinator killed it: 0, RT_KILL_TIMEOUT, RT_KILL_CANCEL, ... */
    int64_t kill_job; /* the job it was killed for (0: none running) */
    void *fetcher;   /* rt_fetcher for the job's HTTP calls */
    struct json_object *logs;  /* its console lines so far (`log` messages); NULL: none */
    rt_console_budget console; /* bounds them, as the worker does (a worker is not trusted) */
    rt_job_trace trace;        /* the job's trace: ids, phases (jobtrace.h) */
    /* jobs sent ahead (state BUSY), oldest first: the worker starts each when the one before
     * ends, and a result makes the first of them the current job (engine.c: only for short
     * tasks while no worker is idle) */
    int nnext;
    unsigned next_cancel; /* bit i: next[i] was cancelled meanwhile, stopped as it starts */
    ratchet_claimed_job next[RT_IPC_AHEAD];
    rt_job_trace next_trace[RT_IPC_AHEAD];
    int64_t executed;
    /* health, for the API: replaced when a ping goes unanswered */
    int64_t ping_sent_ms; /* 0: no ping outstanding */
    int64_t last_pong_ms;
    int64_t rss_kb;
    int64_t restarts;
} rt_slot;

enum { RT_KILL_TIMEOUT = 1, RT_KILL_CANCEL = 2, RT_KILL_SHUTDOWN = 3, RT_KILL_PROTOCOL = 4 };

typedef struct rt_pool {
    rt_slot *slots;
    size_t count;
    char **argv; /* how to start a worker: the ratchet binary and its global flags */
    char *exe;   /* the program run: ratchet-worker beside ours, else ourselves */
} rt_pool;

/* Prepare `count` slots; `argv` (NULL-terminated, borrowed) starts a worker; the slot index is
 * appended as the worker's id. The program is `ratchet-worker` from our own folder when it is
 * there (the same code built without the other commands: a worker maps a quarter of the
 * pages), else our own executable. Nothing is spawned yet. */
ratchet_status rt_pool_init(rt_pool *pool, size_t count, char **argv);
/* Spawn a worker into a DEAD slot. */
ratchet_status rt_pool_spawn(rt_pool *pool, rt_slot *slot, int64_t now_ms);
/* Send one message to the worker (serialised per slot). The pipe is non-blocking: a worker
 * that does not take the message within RT_SEND_MS is treated as stuck (RATCHET_ERR; the
 * caller kills it). */
ratchet_status rt_pool_send(rt_slot *slot, const rt_ipc_msg *msg);
/* As rt_pool_send, but only when the message fits in the pipe now, so that the caller never
 * waits on a busy worker: RATCHET_RETRY (nothing written) when it does not (sending ahead). */
ratchet_status rt_pool_send_if_room(rt_slot *slot, const rt_ipc_msg *msg);
/* As rt_pool_send, but only while the slot still holds process `pid` (a fetch answer must not
 * reach the worker that replaced the one that asked). */
ratchet_status rt_pool_send_to(rt_slot *slot, pid_t pid, const rt_ipc_msg *msg);
/* The slot whose process is `pid`, or NULL. */
rt_slot *rt_pool_find_pid(rt_pool *pool, pid_t pid);
/* After the process died: close pipes, mark DEAD, schedule the restart with backoff. */
void rt_pool_mark_dead(rt_slot *slot, int64_t now_ms);
/* Ask every worker to stop, wait up to grace_ms for them to exit, then kill the rest. */
void rt_pool_shutdown(rt_pool *pool, int64_t grace_ms);
void rt_pool_free(rt_pool *pool);

/* Keep the entries of `logs` (an array of {level, message}, borrowed) as console lines of the
 * slot's running job, within RT_CONSOLE_MAX_LINES / RT_CONSOLE_MAX_BYTES. */
void rt_slot_logs_add(rt_slot *slot, struct json_object *logs);
/* The lines kept so far as JSON text ("[]" when none; NULL when out of memory; the caller
 * frees), and forget them: the next job starts empty. */
char *rt_slot_logs_take(rt_slot *slot);

#endif
