/*
 * graphql_query.c - the resolvers of Query and of the fields that follow links (Task.jobs,
 * Job.execution, Execution.logs, ...): each is one engine call whose answer is shaped by
 * graphql_shape.c. The list filters of the schema (TaskFiltersInput, ...) are translated to the
 * engine's list query ({where: [{field, op, value}], sort, order, limit, offset}) by a table.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graphql.h"

/* How one filter input field becomes a `where` condition. */
typedef enum conv { AS_IS, AS_ID, AS_LOWER } conv;
typedef struct filter_map {
    const char *input; /* the field of the filters input */
    const char *field; /* the engine record's field */
    const char *op;
    conv how;
} filter_map;

static const filter_map task_filters[] = {{"idIn", "id", "in", AS_ID},
                                          {"nameContains", "name", "like", AS_IS},
                                          {"nameExact", "name", "eq", AS_IS},
                                          {"nameStartsWith", "name", "starts_with", AS_IS},
                                          {"nameEndsWith", "name", "ends_with", AS_IS},
                                          {"version", "version", "eq", AS_IS},
                                          {"enabled", "enabled", "eq", AS_IS},
                                          {"createdAfter", "createdAt", "gt", AS_IS},
                                          {"createdBefore", "createdAt", "lt", AS_IS},
                                          {"updatedAfter", "updatedAt", "gt", AS_IS},
                                          {"updatedBefore", "updatedAt", "lt", AS_IS},
                                          {NULL, NULL, NULL, AS_IS}};

static const filter_map execution_filters[] = {{"idIn", "id", "in", AS_ID},
                                               {"taskId", "taskId", "eq", AS_ID},
                                               {"taskName", "taskName", "eq", AS_IS},
                                               {"jobId", "jobId", "eq", AS_ID},
                                               {"status", "status", "eq", AS_LOWER},
                                               {"statusIn", "status", "in", AS_LOWER},
                                               {"startedAfter", "startedAt", "gt", AS_IS},
                                               {"startedBefore", "startedAt", "lt", AS_IS},
                                               {"completedAfter", "completedAt", "gt", AS_IS},
                                               {"completedBefore", "completedAt", "lt", AS_IS},
                                               {"durationMinMs", "durationMs", "gte", AS_IS},
                                               {"durationMaxMs", "durationMs", "lte", AS_IS},
                                               {NULL, NULL, NULL, AS_IS}};

static const filter_map job_filters[] = {{"idIn", "id", "in", AS_ID},
                                         {"taskId", "taskId", "eq", AS_ID},
                                         {"taskName", "taskName", "eq", AS_IS},
                                         {"scheduleId", "scheduleId", "eq", AS_ID},
                                         {"status", "status", "eq", AS_LOWER},
                                         {"statusIn", "status", "in", AS_LOWER},
                                         {"priority", "priority", "eq", AS_LOWER},
                                         {"queuedAfter", "queuedAt", "gt", AS_IS},
                                         {"queuedBefore", "queuedAt", "lt", AS_IS},
                                         {NULL, NULL, NULL, AS_IS}};

static const filter_map schedule_filters[] = {{"idIn", "id", "in", AS_ID},
                                              {"taskName", "taskName", "eq", AS_IS},
                                              {"nameContains", "name", "like", AS_IS},
                                              {"enabled", "enabled", "eq", AS_IS},
                                              {"nextRunAfter", "nextRunAt", "gt", AS_IS},
                                              {"nextRunBefore", "nextRunAt", "lt", AS_IS},
                                              {NULL, NULL, NULL, AS_IS}};

static json_object *arg(gql_resolve_info *info, const char *name)
{
    json_object *v = NULL;
    json_object_object_get_ex(info->args, name, &v);
    return v;
}

static json_object *convert(json_object *v, conv how)
{
    if (json_object_is_type(v, json_type_array)) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(v); i++)
            json_object_array_add(a, convert(json_object_array_get_idx(v, i), how));
        return a;
    }
    const char *s = json_object_get_string(v);
    if (how == AS_ID) {
        char *end;
        long long id = strtoll(s ? s : "", &end, 10);
        return end != s && !*end ? json_object_new_int64(id) : json_object_get(v);
    }
    if (how == AS_LOWER && json_object_is_type(v, json_type_string)) {
        char buf[64];
        size_t n = 0;
        for (; s[n] && n + 1 < sizeof buf; n++)
            buf[n] = (char)tolower((unsigned char)s[n]);
        buf[n] = '\0';
        return json_object_new_string(buf);
    }
    return json_object_get(v);
}

static void where(json_object *conds, const char *field, const char *op, json_object *value)
{
    json_object *c = json_object_new_object();
    json_object_object_add(c, "field", json_object_new_string(field));
    json_object_object_add(c, "op", json_object_new_string(op));
    json_object_object_add(c, "value", value);
    json_object_array_add(conds, c);
}

static void now_rfc3339(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The engine's list query for the list field being resolved (its filters, sort, limit and
 * offset arguments), plus `extra` conditions (borrowed). Returns JSON text to free. */
static char *list_query(gql_resolve_info *info, const filter_map *map, json_object *extra,
                        int64_t *limit, int64_t *offset)
{
    json_object *q = json_object_new_object(), *conds = json_object_new_array();
    json_object *filters = arg(info, "filters");
    for (const filter_map *m = map; filters && m->input; m++) {
        json_object *v;
        if (json_object_object_get_ex(filters, m->input, &v) && v)
            where(conds, m->field, m->op, convert(v, m->how));
    }
    json_object *due;
    if (filters && json_object_object_get_ex(filters, "isDue", &due) && due &&
        json_object_get_boolean(due)) {
        char now[32];
        now_rfc3339(now, sizeof now);
        if (map == schedule_filters) {
            where(conds, "enabled", "eq", json_object_new_boolean(1));
            where(conds, "nextRunAt", "lte", json_object_new_string(now));
        } else {
            json_object *st = json_object_new_array();
            json_object_array_add(st, json_object_new_string("queued"));
            json_object_array_add(st, json_object_new_string("retrying"));
            where(conds, "status", "in", st);
        }
    }
    for (size_t i = 0; extra && i < json_object_array_length(extra); i++)
        json_object_array_add(conds, json_object_get(json_object_array_get_idx(extra, i)));
    json_object_object_add(q, "where", conds);
    json_object *sort = arg(info, "sort"), *f, *d;
    if (sort && json_object_object_get_ex(sort, "field", &f)) {
        json_object_object_add(q, "sort", json_object_get(f));
        const char *dir = json_object_object_get_ex(sort, "direction", &d) && d
                              ? json_object_get_string(d)
                              : "ASC";
        json_object_object_add(q, "order",
                               json_object_new_string(strcmp(dir, "DESC") == 0 ? "desc" : "asc"));
    }
    json_object *l = arg(info, "limit"), *o = arg(info, "offset");
    *limit = l ? json_object_get_int64(l) : 50;
    *offset = o ? json_object_get_int64(o) : 0;
    json_object_object_add(q, "limit", json_object_new_int64(*limit));
    json_object_object_add(q, "offset", json_object_new_int64(*offset));
    char *text = strdup(json_object_to_json_string_ext(q, JSON_C_TO_STRING_PLAIN));
    json_object_put(q);
    return text;
}

typedef ratchet_status (*list_fn)(const char *query_json, ratchet_buf *out);

static int list_of(gql_resolve_info *info, gql_value *out, list_fn fn, const filter_map *map,
                   json_object *(*shape)(json_object *), json_object *extra)
{
    int64_t limit, offset;
    char *q = list_query(info, map, extra, &limit, &offset);
    if (!q)
        return gql_resolve_error(info, "INTERNAL_ERROR", "out of memory");
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *ans = graphql_answer(info, fn(q, &buf), &buf, 0);
    free(q);
    if (!ans)
        return -1;
    out->json = graphql_page(ans, shape, limit, offset);
    json_object_put(ans);
    return 0;
}

static int r_tasks(gql_resolve_info *info, gql_value *out)
{
    return list_of(info, out, graphql_eng(info)->tasks_list, task_filters, graphql_task, NULL);
}

static int r_executions(gql_resolve_info *info, gql_value *out)
{
    return list_of(info, out, graphql_eng(info)->executions_list, execution_filters,
                   graphql_execution, NULL);
}

static int r_jobs(gql_resolve_info *info, gql_value *out)
{
    return list_of(info, out, graphql_eng(info)->jobs_list, job_filters, graphql_job, NULL);
}

static int r_schedules(gql_resolve_info *info, gql_value *out)
{
    return list_of(info, out, graphql_eng(info)->schedules_list, schedule_filters, graphql_schedule,
                   NULL);
}

/* Task.jobs / Task.executions: the lists of the parent task, by its name. */
static int r_task_list(gql_resolve_info *info, gql_value *out)
{
    json_object *name = NULL;
    json_object_object_get_ex(info->parent->json, "name", &name);
    json_object *extra = json_object_new_array();
    json_object *c = json_object_new_object();
    json_object_object_add(c, "field", json_object_new_string("taskName"));
    json_object_object_add(c, "op", json_object_new_string("eq"));
    json_object_object_add(c, "value", json_object_get(name));
    json_object_array_add(extra, c);
    int jobs = strcmp(info->field->name, "jobs") == 0;
    int rc = list_of(
        info, out, jobs ? graphql_eng(info)->jobs_list : graphql_eng(info)->executions_list,
        jobs ? job_filters : execution_filters, jobs ? graphql_job : graphql_execution, extra);
    json_object_put(extra);
    return rc;
}

/* One record by ref (id or name) or by numeric id. */
static int one_ref(gql_resolve_info *info, gql_value *out,
                   ratchet_status (*fn)(const char *, ratchet_buf *),
                   json_object *(*shape)(json_object *))
{
    json_object *id = arg(info, "id");
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *rec = graphql_answer(info, fn(json_object_get_string(id), &buf), &buf, 1);
    if (!rec)
        return info->error ? -1 : 0;
    out->json = shape(rec);
    json_object_put(rec);
    return 0;
}

static int one_id(gql_resolve_info *info, gql_value *out, int64_t id,
                  ratchet_status (*fn)(int64_t, ratchet_buf *),
                  json_object *(*shape)(json_object *))
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *rec = graphql_answer(info, fn(id, &buf), &buf, 1);
    if (!rec)
        return info->error ? -1 : 0;
    out->json = shape(rec);
    json_object_put(rec);
    return 0;
}

static int r_task(gql_resolve_info *info, gql_value *out)
{
    return one_ref(info, out, graphql_eng(info)->task_get, graphql_task);
}

static int r_schedule(gql_resolve_info *info, gql_value *out)
{
    return one_ref(info, out, graphql_eng(info)->schedule_get, graphql_schedule);
}

static int r_job(gql_resolve_info *info, gql_value *out)
{
    int64_t id = graphql_id_arg(info, "id");
    return id ? one_id(info, out, id, graphql_eng(info)->job_get, graphql_job) : -1;
}

static int r_execution(gql_resolve_info *info, gql_value *out)
{
    int64_t id = graphql_id_arg(info, "id");
    return id ? one_id(info, out, id, graphql_eng(info)->execution_get, graphql_execution) : -1;
}

/* Job.execution / Execution.job: follow the parent's id. */
static int r_link(gql_resolve_info *info, gql_value *out)
{
    int to_exec = strcmp(info->field->name, "execution") == 0;
    json_object *idv = NULL;
    json_object_object_get_ex(info->parent->json, to_exec ? "executionId" : "jobId", &idv);
    int64_t id = idv ? strtoll(json_object_get_string(idv), NULL, 10) : 0;
    if (id <= 0)
        return 0;
    return to_exec ? one_id(info, out, id, graphql_eng(info)->execution_get, graphql_execution)
                   : one_id(info, out, id, graphql_eng(info)->job_get, graphql_job);
}

/* executionLogs(executionId:) and Execution.logs. */
static int r_logs(gql_resolve_info *info, gql_value *out)
{
    int64_t id;
    if (strcmp(info->parent_type->name, "Execution") == 0) {
        json_object *idv = NULL;
        json_object_object_get_ex(info->parent->json, "id", &idv);
        id = idv ? strtoll(json_object_get_string(idv), NULL, 10) : 0;
    } else if (!(id = graphql_id_arg(info, "executionId"))) {
        return -1;
    }
    json_object *q = json_object_new_object(), *conds = json_object_new_array();
    json_object *level = arg(info, "level"), *l = arg(info, "limit"), *o = arg(info, "offset");
    if (level)
        where(conds, "level", "eq", json_object_get(level));
    json_object_object_add(q, "where", conds);
    json_object_object_add(q, "limit", json_object_get(l));
    json_object_object_add(q, "offset", json_object_get(o));
    ratchet_buf buf = RATCHET_BUF_INIT;
    ratchet_status st = graphql_eng(info)->execution_logs(
        id, json_object_to_json_string_ext(q, JSON_C_TO_STRING_PLAIN), &buf);
    json_object_put(q);
    json_object *ans = graphql_answer(info, st, &buf, 0);
    if (!ans)
        return -1;
    json_object *items = NULL, *total = NULL, *res = json_object_new_object(),
                *arr = json_object_new_array();
    json_object_object_get_ex(ans, "items", &items);
    json_object_object_get_ex(ans, "total", &total);
    for (size_t i = 0; items && i < json_object_array_length(items); i++)
        json_object_array_add(arr, graphql_log(json_object_array_get_idx(items, i)));
    json_object_object_add(res, "items", arr);
    json_object_object_add(res, "total", json_object_get(total));
    json_object_put(ans);
    out->json = res;
    return 0;
}

static int r_stats(gql_resolve_info *info, gql_value *out)
{
    /* taskStats -> "tasks", executionStats -> "executions", ... */
    static const struct {
        const char *field, *resource;
    } map[] = {{"taskStats", "tasks"},
               {"executionStats", "executions"},
               {"jobStats", "jobs"},
               {"scheduleStats", "schedules"},
               {"workerStats", "workers"}};
    const char *res = NULL;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i].field, info->field->name) == 0)
            res = map[i].resource;
    ratchet_buf buf = RATCHET_BUF_INIT;
    out->json = graphql_answer(info, graphql_eng(info)->stats(res, &buf), &buf, 0);
    return out->json ? 0 : -1;
}

static int r_workers(gql_resolve_info *info, gql_value *out)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *arr = graphql_answer(info, graphql_eng(info)->workers_list(&buf), &buf, 0);
    if (!arr)
        return -1;
    json_object *o = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(arr); i++)
        json_object_array_add(o, graphql_worker(json_object_array_get_idx(arr, i)));
    json_object_put(arr);
    out->json = o;
    return 0;
}

static int r_health(gql_resolve_info *info, gql_value *out)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *h = graphql_answer(info, graphql_eng(info)->health(&buf), &buf, 0);
    if (!h)
        return -1;
    out->json = graphql_health(h);
    json_object_put(h);
    return 0;
}

int graphql_query_install(gql_schema *s)
{
    static const struct {
        const char *type, *field;
        gql_resolve_fn fn;
    } table[] = {
        {"Query", "tasks", r_tasks},
        {"Query", "task", r_task},
        {"Query", "taskStats", r_stats},
        {"Query", "executions", r_executions},
        {"Query", "execution", r_execution},
        {"Query", "executionStats", r_stats},
        {"Query", "executionLogs", r_logs},
        {"Query", "jobs", r_jobs},
        {"Query", "job", r_job},
        {"Query", "jobStats", r_stats},
        {"Query", "schedules", r_schedules},
        {"Query", "schedule", r_schedule},
        {"Query", "scheduleStats", r_stats},
        {"Query", "workers", r_workers},
        {"Query", "workerStats", r_stats},
        {"Query", "health", r_health},
        {"Task", "jobs", r_task_list},
        {"Task", "executions", r_task_list},
        {"Job", "execution", r_link},
        {"Execution", "job", r_link},
        {"Execution", "logs", r_logs},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (gql_schema_resolver(s, table[i].type, table[i].field, table[i].fn, NULL) < 0)
            return -1;
    return 0;
}
