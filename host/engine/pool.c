/* host/engine/pool.c - spawning, messaging and reaping `ratchet worker` processes. */
#define _GNU_SOURCE /* F_GETPIPE_SZ: how much a worker's pipe holds (sending ahead) */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/core_layer.h"
#include "worker.h"

#define RT_RESTART_MAX_MS 30000
#define RT_SEND_MS        2000 /* a worker that takes no message for this long is stuck */

/* The worker program: RT_WORKER_EXE in the folder of our executable when it can be run there,
 * else our executable (which has the `worker` command too). Malloc'd; NULL when out of memory. */
static char *worker_program(void)
{
    char self[4096], path[4096 + sizeof RT_WORKER_EXE];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) {
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - self), self, RT_WORKER_EXE);
        if (access(path, X_OK) == 0)
            return strdup(path);
    }
    return strdup("/proc/self/exe");
}

ratchet_status rt_pool_init(rt_pool *pool, size_t count, char **argv)
{
    memset(pool, 0, sizeof *pool);
    pool->slots = calloc(count, sizeof *pool->slots);
    if (!pool->slots)
        return RATCHET_NOMEM;
    pool->count = count;
    pool->argv = argv;
    pool->exe = worker_program();
    if (!pool->exe) {
        free(pool->slots);
        return RATCHET_NOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        rt_slot *s = &pool->slots[i];
        s->index = (int)i;
        s->to_fd = s->from_fd = -1;
        pthread_mutex_init(&s->write_lock, NULL);
        rt_ipc_reader_init(&s->reader, RT_IPC_MAX_LINE_DEFAULT);
    }
    return RATCHET_OK;
}

/* In the child: wire the pipes to stdin/stdout and become `ratchet worker N`. parent: the
 * coordinator's pid. */
static void exec_worker(rt_pool *pool, rt_slot *slot, int in_read, int out_write, pid_t parent)
{
    if (dup2(in_read, STDIN_FILENO) < 0 || dup2(out_write, STDOUT_FILENO) < 0)
        _exit(127);
    /* A worker dies with its coordinator. Killed (kill -9, the OOM killer), the coordinator
     * can no longer stop a task that runs away, and nobody would read its result: without
     * this, an orphaned worker kept a CPU busy until its task ended, if ever. The signal
     * survives execv and is sent when the thread that forked exits: the engine's loop, which
     * lives as long as the pool. A coordinator gone before this line is caught by the check. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127);
    /* Ctrl-C or a service manager's SIGTERM reach the whole process group; stopping workers
     * is the coordinator's decision (after the grace period), so they ignore both. SIG_IGN
     * survives execv. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    size_t n = 0;
    while (pool->argv[n])
        n++;
    char id[16];
    snprintf(id, sizeof id, "%d", slot->index);
    char **argv = calloc(n + 2, sizeof *argv);
    if (!argv)
        _exit(127);
    memcpy(argv, pool->argv, n * sizeof *argv);
    argv[n] = id;
    execv(pool->exe, argv);
    _exit(127);
}

/* A pipe whose ends are not inherited by other workers (dup2 clears the flag in the child). */
static int cloexec_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

ratchet_status rt_pool_spawn(rt_pool *pool, rt_slot *slot, int64_t now_ms)
{
    int in[2], out[2];
    if (cloexec_pipe(in) != 0)
        return RATCHET_ERR;
    if (cloexec_pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return RATCHET_ERR;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return RATCHET_ERR;
    }
    if (pid == 0)
        exec_worker(pool, slot, in[0], out[1], parent);
    close(in[0]);
    close(out[1]);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
    pthread_mutex_lock(&slot->write_lock);
    slot->pid = pid;
    slot->to_fd = in[1];
    pthread_mutex_unlock(&slot->write_lock);
    slot->from_fd = out[0];
    slot->state = RT_SLOT_STARTING;
    slot->started_ms = now_ms;
    slot->kill_reason = 0;
    slot->kill_job = 0;
    rt_ipc_reader_free(&slot->reader);
    rt_ipc_reader_init(&slot->reader, RT_IPC_MAX_LINE_DEFAULT);
    return RATCHET_OK;
}

static int64_t mono_ms(void);

/* Write a whole line to a non-blocking fd within RT_SEND_MS. */
static ratchet_status write_bounded(int fd, const char *data, size_t len)
{
    int64_t deadline = mono_ms() + RT_SEND_MS;
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return RATCHET_ERR;
        int64_t left = deadline - mono_ms();
        if (left <= 0)
            return RATCHET_ERR; /* the worker is not reading: stuck */
        struct pollfd p = {fd, POLLOUT, 0};
        poll(&p, 1, (int)left);
    }
    return RATCHET_OK;
}

/* Whether len more bytes fit in the pipe to the worker without a wait. The pipe keeps whole
 * pages, a partly read one counting in full, so only half its size is taken as room. */
static int pipe_room(int fd, size_t len)
{
    int queued = 0, size = fcntl(fd, F_GETPIPE_SZ);
    if (size <= 0 || ioctl(fd, FIONREAD, &queued) != 0)
        return 0;
    return (size_t)queued + len <= (size_t)size / 2;
}

/* Encode and write msg to the slot's worker (pid 0: whichever it holds). if_room: write only
 * when the line fits in the pipe now, else RATCHET_RETRY with nothing written. */
static ratchet_status send_locked(rt_slot *slot, pid_t pid, const rt_ipc_msg *msg, int if_room)
{
    ratchet_buf line = RATCHET_BUF_INIT;
    rt_error err;
    ratchet_status rc = rt_ipc_encode(msg, &line, &err);
    pthread_mutex_lock(&slot->write_lock);
    if (rc == RATCHET_OK && (slot->to_fd < 0 || (pid != 0 && slot->pid != pid)))
        rc = RATCHET_ERR; /* the worker is gone, or replaced */
    else if (rc == RATCHET_OK && if_room && !pipe_room(slot->to_fd, line.len))
        rc = RATCHET_RETRY;
    else if (rc == RATCHET_OK)
        rc = write_bounded(slot->to_fd, line.data, line.len);
    pthread_mutex_unlock(&slot->write_lock);
    rt_buf_free(&line);
    return rc;
}

ratchet_status rt_pool_send(rt_slot *slot, const rt_ipc_msg *msg)
{
    return send_locked(slot, 0, msg, 0);
}

ratchet_status rt_pool_send_if_room(rt_slot *slot, const rt_ipc_msg *msg)
{
    return send_locked(slot, 0, msg, 1);
}

ratchet_status rt_pool_send_to(rt_slot *slot, pid_t pid, const rt_ipc_msg *msg)
{
    return send_locked(slot, pid, msg, 0);
}

rt_slot *rt_pool_find_pid(rt_pool *pool, pid_t pid)
{
    for (size_t i = 0; i < pool->count; i++)
        if (pool->slots[i].pid == pid && pool->slots[i].state != RT_SLOT_DEAD)
            return &pool->slots[i];
    return NULL;
}

void rt_pool_mark_dead(rt_slot *slot, int64_t now_ms)
{
    pthread_mutex_lock(&slot->write_lock);
    if (slot->to_fd >= 0)
        close(slot->to_fd);
    slot->to_fd = -1;
    slot->pid = 0;
    pthread_mutex_unlock(&slot->write_lock);
    if (slot->from_fd >= 0)
        close(slot->from_fd);
    slot->from_fd = -1;
    /* A worker that dies before it is ready is broken (bad config, missing plugin): back off
     * exponentially instead of fork-looping. One that dies later is replaced at once. */
    if (slot->state == RT_SLOT_STARTING)
        slot->start_failures++;
    else
        slot->start_failures = 0;
    int64_t delay = 0;
    if (slot->start_failures > 0) {
        delay = 100;
        for (int i = 1; i < slot->start_failures && delay < RT_RESTART_MAX_MS; i++)
            delay *= 2;
        if (delay > RT_RESTART_MAX_MS)
            delay = RT_RESTART_MAX_MS;
    }
    slot->restart_at_ms = now_ms + delay;
    slot->restarts++;
    slot->ping_sent_ms = 0;
    slot->state = RT_SLOT_DEAD;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rt_pool_shutdown(rt_pool *pool, int64_t grace_ms)
{
    rt_ipc_msg bye;
    memset(&bye, 0, sizeof bye);
    bye.type = RT_IPC_SHUTDOWN;
    for (size_t i = 0; i < pool->count; i++) {
        rt_slot *s = &pool->slots[i];
        if (s->state == RT_SLOT_DEAD)
            continue;
        rt_pool_send(s, &bye);
        pthread_mutex_lock(&s->write_lock);
        if (s->to_fd >= 0)
            close(s->to_fd); /* EOF also tells it to go */
        s->to_fd = -1;
        pthread_mutex_unlock(&s->write_lock);
    }
    int64_t deadline = mono_ms() + grace_ms;
    for (size_t i = 0; i < pool->count; i++) {
        rt_slot *s = &pool->slots[i];
        if (s->state == RT_SLOT_DEAD || s->pid <= 0)
            continue;
        int status;
        while (waitpid(s->pid, &status, WNOHANG) == 0) {
            if (mono_ms() >= deadline) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, &status, 0);
                break;
            }
            struct timespec pause = {0, 5 * 1000 * 1000}; /* poll the exit every 5 ms */
            nanosleep(&pause, NULL);
        }
        rt_pool_mark_dead(s, mono_ms());
    }
}

void rt_slot_logs_add(rt_slot *slot, struct json_object *logs)
{
    size_t n = logs ? json_object_array_length(logs) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(logs, i), *msg;
        const char *text =
            json_object_object_get_ex(e, "message", &msg) ? json_object_get_string(msg) : "";
        rt_console_verdict v = rt_console_admit(&slot->console, strlen(text ? text : ""));
        if (v == RT_CONSOLE_DROP)
            return;
        if (!slot->logs)
            slot->logs = json_object_new_array();
        if (v == RT_CONSOLE_CUT) {
            e = json_object_new_object();
            json_object_object_add(e, "level", json_object_new_string("warn"));
            json_object_object_add(e, "message", json_object_new_string(rt_console_cut_note));
            json_object_array_add(slot->logs, e);
            return;
        }
        /* Stamp each line as it arrives, so that stored lines and fetch calls interleave in
         * the order they happened. */
        struct json_object *t;
        if (!json_object_object_get_ex(e, "time", &t))
            json_object_object_add(e, "time",
                                   json_object_new_int64(rt_host_api()->now_us() / 1000));
        json_object_array_add(slot->logs, json_object_get(e));
    }
}

char *rt_slot_logs_take(rt_slot *slot)
{
    char *text = strdup(
        slot->logs ? json_object_to_json_string_ext(slot->logs, JSON_C_TO_STRING_PLAIN) : "[]");
    json_object_put(slot->logs);
    slot->logs = NULL;
    memset(&slot->console, 0, sizeof slot->console);
    return text;
}

void rt_pool_free(rt_pool *pool)
{
    for (size_t i = 0; i < pool->count; i++) {
        json_object_put(pool->slots[i].logs);
        rt_ipc_reader_free(&pool->slots[i].reader);
        pthread_mutex_destroy(&pool->slots[i].write_lock);
    }
    free(pool->slots);
    free(pool->exe);
    memset(pool, 0, sizeof *pool);
}
