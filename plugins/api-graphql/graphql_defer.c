/*
 * graphql_defer.c - executeTaskSync without holding an HTTP pool thread while the job runs,
 * the way api-rest answers its synchronous execute (frontend-common's fe_wait.h).
 *
 * A request whose operation is one executeTaskSync field (graphql_defer_eligible) is executed
 * with call->may_defer: the resolver submits the job, notes it in the call and returns at once;
 * that first result is thrown away. The request is then deferred until the job's final status
 * event, the timeoutSeconds wait, the client leaving or shutdown, and answered by executing
 * the document again with call->resume_job, where the resolver builds TaskRunResult from the
 * job's record instead of submitting (timedOut when the job had not ended). Only the job's
 * submission has a side effect, so executing twice changes nothing else. A mutation with other
 * fields waits in the resolver instead, since its later fields must run after the job.
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "fe_wait.h"
#include "graphql.h"

/* What the wait keeps to answer. */
typedef struct deferred {
    graphql *g;
    gql_doc *doc;
    json_object *params;
    int64_t job_id;
    int graphql_media;
} deferred;

int graphql_defer_eligible(const gql_node *op)
{
    const gql_node *sel = op ? op->sel : NULL;
    return op && op->flag == GQL_MUTATION && sel && !sel->next && sel->kind == GQL_FIELD &&
           !sel->dirs && strcmp(sel->name, "executeTaskSync") == 0;
}

/* fe_wait's answer: no lock held, so the resolvers may call the engine. */
static void answer(void *user, ratchet_http_request *req, const char *status,
                   const char *final_event)
{
    (void)status;
    deferred *d = user;
    graphql_call call = {
        .g = d->g, .req = req, .resume_job = d->job_id, .resume_done = final_event != NULL};
    graphql_execute_send(&call, d->doc, d->params, d->graphql_media);
}

static void release(void *user)
{
    deferred *d = user;
    gql_doc_free(d->doc);
    json_object_put(d->params);
    graphql_host->free(d);
}

static const fe_wait_ops deferred_ops = {answer, release};

void graphql_defer_answer(const graphql_call *call, gql_doc *doc, json_object *params,
                          int graphql_media)
{
    deferred *d = graphql_host->calloc(1, sizeof *d);
    if (d) {
        *d = (deferred){call->g, doc, params, call->defer_job, graphql_media};
        if (call->defer_wait_s > 0 &&
            fe_wait_job(&call->g->reaper, call->g->http, call->req, call->defer_job,
                        call->defer_status, call->defer_wait_s * 1000, &deferred_ops,
                        d) == RATCHET_OK)
            return;
    }
    /* No wait asked for, out of memory or stopping: the job's state now. */
    graphql_call now = {.g = call->g, .req = call->req, .resume_job = call->defer_job};
    graphql_execute_send(&now, doc, params, graphql_media);
    if (d)
        release(d);
    else {
        gql_doc_free(doc);
        json_object_put(params);
    }
}
