/*
 * rs_calls.c - checks of what the engine hands the storage plugins through the ABI (job
 * submissions, finishes, arrays of versioned structs), shared so that both refuse the same
 * calls with the same messages.
 */
#include <string.h>

#include "rs_calls.h"
#include "rs_json.h"
#include "rs_out.h"

size_t rs_stride(const ratchet_abi *first, size_t ours)
{
    /* Input arrays are filled by the caller, header included; only a plausible header counts,
     * and one left unset gets our layout. */
    if (first->abi_major == RATCHET_ABI_MAJOR && first->abi_minor >= 2 &&
        first->struct_size > ours && first->struct_size <= 4 * ours)
        return first->struct_size;
    return ours;
}

ratchet_status rs_bad(ratchet_ctx *ctx, const char *call, size_t i, const char *why)
{
    rs_host->set_error(ctx, "%s[%zu]: %s", call, i, why);
    return RATCHET_ERR;
}

ratchet_status rs_job_check(ratchet_ctx *ctx, const ratchet_job_submit *j, const char *call,
                            size_t i)
{
    if (j->task_version_id <= 0)
        return rs_bad(ctx, call, i,
                      "task_version_id must be a stored task version (from task_sync)");
    if (!j->input_json)
        return rs_bad(ctx, call, i, "input_json is NULL (use \"null\" or \"{}\" for no input)");
    if (j->priority < RATCHET_PRIORITY_LOW || j->priority > RATCHET_PRIORITY_URGENT)
        return rs_bad(ctx, call, i, "priority must be 1..4 (low, normal, high, urgent)");
    if (j->process_at_ms < 0 || j->process_at_ms > RS_TIME_MAX_MS)
        return rs_bad(ctx, call, i, "process_at_ms is outside 1970..9999");
    if (j->max_retries < 0 || j->retry_base_ms < 0 || j->retry_max_ms < 0)
        return rs_bad(ctx, call, i,
                      "max_retries, retry_base_ms and retry_max_ms must not be negative");
    if (j->idempotency_key && !*j->idempotency_key)
        return rs_bad(ctx, call, i, "idempotency_key is empty (NULL means none)");
    if (j->schedule_id < 0)
        return rs_bad(ctx, call, i, "schedule_id must not be negative");
    if (j->meta_json) {
        const char *p = j->meta_json + strspn(j->meta_json, " \t\r\n");
        if (*p != '{')
            return rs_bad(ctx, call, i, "meta_json must be a JSON object");
    }
    ratchet_status s = rs_check_json(ctx, j->input_json, call, i, "input_json");
    if (s == RATCHET_OK)
        s = rs_check_json(ctx, j->meta_json, call, i, "meta_json");
    return s;
}

void rs_claimed_clear(ratchet_claimed_job *cj)
{
    rs_host->free(cj->input_json);
    rs_host->free(cj->meta_json);
    cj->input_json = cj->meta_json = NULL;
}

ratchet_status rs_finish_check(ratchet_ctx *ctx, const ratchet_job_finish *f, size_t i)
{
    if (f->kind < RATCHET_FINISH_COMPLETED || f->kind > RATCHET_FINISH_REQUEUE)
        return rs_bad(ctx, "job_finish", i, "unknown finish kind");
    if (!f->owner || !*f->owner)
        return rs_bad(ctx, "job_finish", i, "finish without an owner");
    if (f->kind == RATCHET_FINISH_RETRY && (f->retry_at_ms < 0 || f->retry_at_ms > RS_TIME_MAX_MS))
        return rs_bad(ctx, "job_finish", i, "retry_at_ms is outside 1970..9999");
    ratchet_status s = rs_check_json(ctx, f->output_json, "job_finish", i, "output_json");
    if (s == RATCHET_OK)
        s = rs_check_json(ctx, f->error_json, "job_finish", i, "error_json");
    if (s == RATCHET_OK)
        s = rs_check_json(ctx, f->logs_json, "job_finish", i, "logs_json");
    if (s == RATCHET_OK)
        s = rs_check_json(ctx, f->http_json, "job_finish", i, "http_json");
    if (s == RATCHET_OK)
        s = rs_check_json(ctx, rs_finish_analysis(f), "job_finish", i, "analysis_json");
    return s;
}

const char *rs_finish_analysis(const ratchet_job_finish *f)
{
    return RATCHET_HAS_FIELD(f, ratchet_job_finish, analysis_json) ? f->analysis_json : NULL;
}

ratchet_status rs_time_arg(ratchet_ctx *ctx, const char *name, int64_t ms)
{
    if (ms >= 0 && ms <= RS_TIME_MAX_MS)
        return RATCHET_OK;
    rs_host->set_error(ctx, "%s is outside 1970..9999", name);
    return RATCHET_ERR;
}

ratchet_status rs_claim_args(ratchet_ctx *ctx, const char *owner, int64_t lease_ms)
{
    if (owner && *owner && lease_ms > 0)
        return RATCHET_OK;
    rs_host->set_error(ctx, "job_claim needs an owner and a positive lease");
    return RATCHET_ERR;
}

ratchet_status rs_not_found(ratchet_ctx *ctx, ratchet_status s, int64_t changes, const char *kind,
                            int64_t id)
{
    if (s != RATCHET_OK || changes != 0)
        return s;
    rs_host->set_error(ctx, "%s %lld does not exist", kind, (long long)id);
    return RATCHET_NOTFOUND;
}

ratchet_status rs_job_check_all(ratchet_ctx *ctx, const ratchet_job_submit *jobs, size_t n)
{
    size_t stride = rs_stride(&jobs->abi, sizeof *jobs);
    ratchet_status s = RATCHET_OK;
    for (size_t i = 0; i < n && s == RATCHET_OK; i++)
        s = rs_job_check(ctx, RS_NTH_C(jobs, ratchet_job_submit, i, stride), "job_submit", i);
    return s;
}

ratchet_status rs_finish_check_all(ratchet_ctx *ctx, const ratchet_job_finish *fins, size_t n)
{
    size_t stride = rs_stride(&fins->abi, sizeof *fins);
    ratchet_status s = RATCHET_OK;
    for (size_t i = 0; i < n && s == RATCHET_OK; i++)
        s = rs_finish_check(ctx, RS_NTH_C(fins, ratchet_job_finish, i, stride), i);
    return s;
}
