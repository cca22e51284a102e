/*
 * host/task/fetch_redact.c - keeping secrets out of recordings.
 *
 * Every exchange a fetcher keeps (for a HAR written by `run-once --record`) has the values of
 * its credential headers replaced by RT_FETCH_REDACTED before it is stored, so no recording on
 * disk, and nothing kept in memory for one, ever holds them: Authorization, Cookie, Set-Cookie,
 * Proxy-Authorization, and the names in `execution.redact_headers`. Names compare ASCII
 * case-insensitively. The header stays (with its name) so a reader sees it was sent. Replay
 * matches requests on method and URL only, so redacted values never affect matching.
 */
#include <stdlib.h>
#include <string.h>

#include "fetch_internal.h"

int rt_fetch_header_is_secret(const rt_fetcher *f, const char *name)
{
    /* The always-secret names are the ones the log masks too (core/log_mask.c). */
    if (rt_mask_is_secret_header(name))
        return 1;
    for (size_t i = 0; f && i < f->nredact; i++)
        if (rt_fetch_strcaseeq(name, f->redact[i]))
            return 1;
    return 0;
}

ratchet_status rt_fetch_redact(const rt_fetcher *f, rt_fetch_headers *h)
{
    for (size_t i = 0; i < h->count; i++) {
        rt_fetch_header *x = &h->items[i];
        if (!rt_fetch_header_is_secret(f, x->name) || strcmp(x->value, RT_FETCH_REDACTED) == 0)
            continue;
        char *v = strdup(RT_FETCH_REDACTED);
        if (!v)
            return RATCHET_NOMEM;
        free(x->value);
        x->value = v;
    }
    return RATCHET_OK;
}

ratchet_status rt_fetcher_redact_headers(rt_fetcher *f, const char *const *names, size_t n)
{
    char **copy = n ? calloc(n, sizeof *copy) : NULL;
    if (n && !copy)
        return RATCHET_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(copy[i] = strdup(names[i]))) {
            while (i--)
                free(copy[i]);
            free(copy);
            return RATCHET_NOMEM;
        }
    }
    rt_fetch_redact_clear(f);
    f->redact = copy;
    f->nredact = n;
    return RATCHET_OK;
}

void rt_fetch_redact_clear(rt_fetcher *f)
{
    for (size_t i = 0; i < f->nredact; i++)
        free(f->redact[i]);
    free(f->redact);
    f->redact = NULL;
    f->nredact = 0;
}
