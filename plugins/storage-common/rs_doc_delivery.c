/*
 * rs_doc_delivery.c - delivery results (delivery_record) as the storage plugins read them.
 */
#include <string.h>

#include "rs_docs.h"
#include "rs_json.h"
#include "rs_out.h"

ratchet_status rs_delivery_parse(ratchet_ctx *ctx, const char *json, rs_delivery *d)
{
    static const char what[] = "delivery";
    memset(d, 0, sizeof *d);
    d->attempts = 1;
    d->response_status = -1;
    ratchet_status s = rs_parse_object(ctx, json, what, 0, &d->doc);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, d->doc, what, "jobId", 1, &d->job_id);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, d->doc, what, "executionId", 0, &d->execution_id);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "destinationType", 1, &d->type);
    if (s == RATCHET_OK)
        s = rs_get_bool(ctx, d->doc, what, "success", &d->success);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, d->doc, what, "attempts", 0, &d->attempts);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, d->doc, what, "durationMs", 0, &d->duration_ms);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, d->doc, what, "responseStatus", 0, &d->response_status);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "error", 0, &d->error);
    if (s == RATCHET_OK) {
        /* A URL or path as text; an object (a destination's settings) as its JSON. */
        json_object *v = NULL;
        if (json_object_object_get_ex(d->doc, "destination", &v) &&
            json_object_is_type(v, json_type_string)) {
            d->destination = rs_host->strdup(json_object_get_string(v));
            if (!d->destination) {
                rs_host->set_error(ctx, "out of memory");
                s = RATCHET_NOMEM;
            }
        } else {
            s = rs_get_json(ctx, d->doc, "destination", &d->destination);
        }
    }
    return s;
}
