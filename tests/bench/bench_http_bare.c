/*
 * bench_http_bare.c - the baseline of bench_http.sh: a bare libmicrohttpd server that answers
 * "ok" (200, text/plain) to every request, with the daemon flags the `http` plugin uses
 * (internal polling thread, epoll, suspend/resume allowed, a thread pool). Whatever the plugin and
 * api-rest add on top of libmicrohttpd shows as the distance between this server and `ratchet
 * serve` in the same run.
 *
 * Usage: bench_http_bare [--threads N]   (default: one per CPU)
 * Listens on 127.0.0.1 on a free port, prints that port on stdout (one line) once it accepts
 * connections, and runs until SIGTERM or SIGINT (exit 0). Errors go to stderr, exit 1.
 */
#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BARE_MAX_THREADS 256

static struct MHD_Response *bare_ok;

/* Marks a connection whose request headers have been seen (its *con_cls). */
static int bare_seen;

/* Called by libmicrohttpd for each request, more than once: with the headers, once per piece
 * of body, and once more after the body. The response is queued on that last call, never on
 * the first: libmicrohttpd 0.9.75 closes the connection after a response queued with the
 * headers (measured: ~17k req/s with "Connection: close" instead of ~100k with keep-alive). */
static enum MHD_Result bare_answer(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    if (*con_cls == NULL) {
        *con_cls = &bare_seen;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, bare_ok);
}

static int bare_threads(int argc, char **argv, unsigned *out)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    *out = n > 0 ? (unsigned)n : 1u;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end = NULL;
            long v = strtol(argv[++i], &end, 10);
            if (*end != '\0' || v < 1 || v > BARE_MAX_THREADS) {
                fprintf(stderr, "bench_http_bare: --threads takes 1..%d, not '%s'\n",
                        BARE_MAX_THREADS, argv[i]);
                return -1;
            }
            *out = (unsigned)v;
        } else {
            fprintf(stderr, "usage: bench_http_bare [--threads N]\n");
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned threads;
    if (bare_threads(argc, argv, &threads) != 0)
        return 1;

    /* Block the stop signals before the daemon's threads exist, so that they inherit the mask
     * and sigwait() below is the only place they are taken. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
        fprintf(stderr, "bench_http_bare: cannot block signals\n");
        return 1;
    }

    static const char body[] = "ok";
    bare_ok = MHD_create_response_from_buffer(sizeof body - 1, (void *)(uintptr_t)body,
                                              MHD_RESPMEM_PERSISTENT);
    if (bare_ok == NULL ||
        MHD_add_response_header(bare_ok, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain") != MHD_YES) {
        fprintf(stderr, "bench_http_bare: cannot create the response\n");
        return 1;
    }

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG | MHD_USE_ITC,
        0, NULL, NULL, bare_answer, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "bench_http_bare: MHD_start_daemon failed\n");
        MHD_destroy_response(bare_ok);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (info == NULL || info->port == 0) {
        fprintf(stderr, "bench_http_bare: cannot read the bound port\n");
        MHD_stop_daemon(d);
        MHD_destroy_response(bare_ok);
        return 1;
    }
    printf("%u\n", (unsigned)info->port);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    MHD_stop_daemon(d);
    MHD_destroy_response(bare_ok);
    return 0;
}
