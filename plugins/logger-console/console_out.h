/*
 * console_out.h - logger-console's way to stderr: whole lines handed to a writer thread that
 * writes what gathered in one write(2).
 *
 * A write(2) per line was half of what the access log cost (bench_http: about a tenth of a
 * GET /health's CPU went to writing its line to a file). Lines now wait in `pending` for at
 * most CONSOLE_GATHER_MS, and the writer writes them together; warnings and errors, lines
 * logged before start() or after stop(), flush() and a pending buffer over its cap are
 * written at once by the calling thread, after what is pending, so the order of lines is
 * kept. Each batch holds whole lines, so lines still never interleave mid-line with other
 * processes' output. A process killed with SIGKILL loses what is pending (at most
 * CONSOLE_GATHER_MS of lines); stop() and flush() write everything.
 *
 * A child forked by the process (run-once's task process, a task check) has no writer
 * thread and may have copied a locked mutex: there lines are written at once, without the
 * locks, and the parent's pending lines are left to the parent.
 *
 * Threading: every function may be called from any thread at once (the logger is
 * concurrent, logger.h), except init/start/stop/free (the plugin's lifecycle).
 */
#ifndef CONSOLE_OUT_H
#define CONSOLE_OUT_H

#include <pthread.h>
#include <sys/types.h>

#include <ratchet/plugin.h>

/* Line buffers (the logging threads', the pending and written ones) that grew past this for
 * one huge event or burst are released rather than kept. */
#define CONSOLE_BUF_KEEP 65536

typedef struct console_out {
    const ratchet_host_api *host;
    pthread_mutex_t mu; /* pending, running, stopping */
    pthread_cond_t cv;  /* lines came (the writer waits), or stop */
    /* One write sequence at a time, taken before `mu` is released by whoever took lines out
     * of `pending`: lines reach stderr in the order they were put. */
    pthread_mutex_t io_mu;
    ratchet_buf pending; /* whole lines not written yet */
    ratchet_buf batch;   /* the writer's: the lines it is writing (under io_mu) */
    int running, stopping;
    pthread_t thread;
    pid_t pid; /* the process that started the writer */
} console_out;

void console_out_init(console_out *o, const ratchet_host_api *host);
/* Start the writer; RATCHET_ERR (and lines written at once, as before) when it cannot. */
ratchet_status console_out_start(console_out *o);
/* Write what is pending and end the writer. */
void console_out_stop(console_out *o);
void console_out_free(console_out *o);
/* Queue `len` bytes of whole lines, or with `now` write them (after what is pending) before
 * returning. */
void console_out_put(console_out *o, const char *data, size_t len, int now);
/* Write what is pending. */
void console_out_flush(console_out *o);

#endif /* CONSOLE_OUT_H */
