/*
 * host/engine/schedule.h - fires cron schedules from storage: each due schedule queues one job and
 * moves its nextRunAt, in one storage transaction that only succeeds if no other coordinator
 * fired it first (storage schedule_fire). A fire missed during downtime runs once when
 * `catch_up_once`, else it is skipped and the schedule moves to its next time.
 */
#ifndef RT_SCHEDULE_H
#define RT_SCHEDULE_H

#include <stdint.h>

#include "ratchet/storage.h"

typedef struct rt_scheduler rt_scheduler;

typedef struct rt_schedule_policy {
    int catch_up_once;
    int32_t max_retries;
    int64_t retry_base_ms, retry_max_ms;
} rt_schedule_policy;

rt_scheduler *rt_scheduler_new(const ratchet_storage_vtable *vt, void *instance,
                               const rt_schedule_policy *policy);
/* Fire what is due at now_ms. Reads the schedules from storage only when one is due, or when
 * invalidated and the last read is at least a second old (storage wake-ups come with every
 * job change; a schedule another process added or changed is seen within a second). */
void rt_scheduler_run(rt_scheduler *s, int64_t now_ms);
/* When the scheduler next needs to run (ms since the epoch; 0 = no schedule to wait for). */
int64_t rt_scheduler_next_ms(const rt_scheduler *s);
/* Schedules may have changed (a storage wake-up): read them again within a second. */
void rt_scheduler_invalidate(rt_scheduler *s);
/* How many times the schedules were read from storage (for tests and statistics). */
unsigned long rt_scheduler_reads(const rt_scheduler *s);
void rt_scheduler_free(rt_scheduler *s);

/* A time as `jobs submit --at` and one-off schedules write it: "2026-12-01T09:00:00Z" (RFC 3339,
 * any offset) or "+30s"/"+10m"/"+2h" from now. 0 on success, -1 when unreadable. */
int rt_schedule_parse_time(const char *text, int64_t *ms);

#endif
