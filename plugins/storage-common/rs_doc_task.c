/*
 * rs_doc_task.c - task documents (task_sync) as the storage plugins read them.
 */
#include <string.h>

#include "rs_docs.h"
#include "rs_json.h"
#include "rs_out.h"

void rs_task_doc_free(rs_task_doc *t)
{
    json_object_put(t->doc);
    rs_host->free(t->tags);
    rs_host->free(t->metadata);
    rs_host->free(t->input_schema);
    rs_host->free(t->output_schema);
    rs_host->free(t->program);
    memset(t, 0, sizeof *t);
}

ratchet_status rs_task_doc_parse(ratchet_ctx *ctx, const char *json, rs_task_doc *t)
{
    static const char what[] = "task";
    memset(t, 0, sizeof *t);
    ratchet_status s = rs_parse_object(ctx, json, what, 0, &t->doc);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "name", 1, &t->name);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "version", 1, &t->version);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "code", 1, &t->code);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "checksum", 1, &t->checksum);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "uuid", 0, &t->uuid);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "description", 0, &t->description);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, t->doc, what, "source", 0, &t->source);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, t->doc, "tags", &t->tags);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, t->doc, "metadata", &t->metadata);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, t->doc, "inputSchema", &t->input_schema);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, t->doc, "outputSchema", &t->output_schema);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, t->doc, "program", &t->program);
    if (s != RATCHET_OK)
        rs_task_doc_free(t);
    return s;
}
