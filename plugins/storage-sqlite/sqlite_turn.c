/*
 * sqlite_turn.c - fair turns at the write lock between processes.
 *
 * SQLite's write lock does not queue its waiters: a process that commits back to back (a
 * busy `ratchet serve` claiming and finishing) takes the lock again microseconds after it
 * let it go, and a writer of another process (a `ratchet jobs submit`, a second host) finds
 * the lock free only when one of its retries happens to fall in that gap. On a loaded
 * machine it can miss every gap until busy_timeout, and fail with "database is busy".
 *
 * So waiters say that they wait, and writers let them go first. The signal is an open file
 * description lock (F_OFD_SETLK: kernel-held, gone when its process dies, independent of
 * the POSIX locks SQLite holds, so opening and closing this file never touches them) on
 * byte 0 of `<database>-turn`, a file beside the database that holds no data:
 *
 *  - a writer whose BEGIN IMMEDIATE has waited through its first retry takes a read lock on
 *    the byte (the busy handler calls sq_turn_announce) and drops it as soon as its BEGIN
 *    returns (sq_turn_withdraw);
 *  - every BEGIN IMMEDIATE first asks (F_OFD_GETLK) whether another open description of the
 *    file holds that lock; when one does, it waits, before taking SQLite's lock, until the
 *    waiters have withdrawn (they got their transaction) or SQ_TURN_MAX_NS passed.
 *
 * The check costs one fcntl per transaction and nothing else when nobody waits. The wait is
 * bounded: a waiter that does not withdraw in time (stopped, or itself waiting on a third
 * process's long transaction) costs one bounded wait, after which turns are not given for
 * SQ_TURN_PAUSE_NS. Writers of one process share one description (one fd per instance) and
 * queue on write_mu instead. Without the file (an in-memory database, a read-only folder)
 * writers behave as before.
 */
#define _GNU_SOURCE /* F_OFD_* */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite_int.h"

#define SQ_TURN_MAX_NS   50000000LL   /* 50 ms: the longest a writer lets a waiter go first */
#define SQ_TURN_PAUSE_NS 1000000000LL /* 1 s without turns after a waiter did not come */
#define SQ_TURN_POLL_NS  100000L      /* 100 us between checks while letting a waiter go */

void sq_turn_open(sq_inst *in)
{
    in->turn_fd = -1;
    if (in->memory)
        return;
    size_t n = strlen(in->path);
    char *path = sq_host->alloc(n + sizeof "-turn");
    if (!path)
        return;
    memcpy(path, in->path, n);
    memcpy(path + n, "-turn", sizeof "-turn");
    in->turn_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (in->turn_fd < 0 && sq_host->log_enabled(RATCHET_LOG_DEBUG))
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG,
                     "%s: %s; writers of other processes get no fair turns", path, strerror(errno));
    sq_host->free(path);
}

void sq_turn_close(sq_inst *in)
{
    if (in->turn_fd >= 0)
        close(in->turn_fd);
    in->turn_fd = -1;
}

static int turn_lock(int fd, int cmd, short type)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    if (fcntl(fd, cmd, &fl) != 0)
        return -1;
    return cmd == F_OFD_GETLK ? fl.l_type != F_UNLCK : 0;
}

void sq_turn_announce(sq_conn *c)
{
    int fd = c->in->turn_fd;
    if (fd >= 0 && !c->announced && turn_lock(fd, F_OFD_SETLK, F_RDLCK) == 0)
        c->announced = 1;
}

void sq_turn_withdraw(sq_conn *c)
{
    if (c->announced)
        turn_lock(c->in->turn_fd, F_OFD_SETLK, F_UNLCK);
    c->announced = 0;
}

void sq_turn_give(sq_inst *in)
{
    if (in->turn_fd < 0 || sq_host->monotonic_ns() < in->turn_paused_until_ns ||
        turn_lock(in->turn_fd, F_OFD_GETLK, F_WRLCK) != 1)
        return;
    int64_t start = sq_host->monotonic_ns();
    struct timespec poll = {0, SQ_TURN_POLL_NS};
    do {
        nanosleep(&poll, NULL);
        if (turn_lock(in->turn_fd, F_OFD_GETLK, F_WRLCK) != 1)
            return;
    } while (sq_host->monotonic_ns() - start < SQ_TURN_MAX_NS);
    in->turn_paused_until_ns = sq_host->monotonic_ns() + SQ_TURN_PAUSE_NS;
}
