/* host/engine/cron.h - cron expressions for schedules: parsing and "when does it fire next".
 *
 * Syntax
 *   sec min hour day-of-month month day-of-week [year]   (6 or 7 fields, as the original)
 *   min hour day-of-month month day-of-week              (5 fields; the second is 0)
 *   @yearly = @annually, @monthly, @weekly, @daily = @midnight, @hourly
 * Fields: second 0-59, minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
 * day-of-week 0-7 or SUN-SAT (0 and 7 are Sunday; a range may end at Sunday, e.g. FRI-SUN;
 * `*` and `a/step` run to Saturday), year 1970-2099. Names are case-insensitive. Each field is a
 * comma-separated list of `*`, `n`, `a-b`, `*` or `a-b` followed by `/step`, and `a/step` (a to the
 * field's maximum). `?` means `*` in the day fields. Quartz's `L`, `W` and `#` are rejected as
 * unsupported. Fields are separated by spaces or tabs; an expression is at most RT_CRON_MAX_LEN
 * bytes.
 *
 * Days: when both day-of-month and day-of-week are restricted (neither is written as `*` or
 * `?`), a day matches if EITHER matches: `0 0 12 1 * MON` fires at noon on the 1st of every month
 * and on every Monday. When one of them is `*` or `?`, only the other counts. Only the bare token
 * counts as unrestricted here: a stepped wildcard (`*` with a `/step`) restricts.
 *   cronie (and the Vixie cron 4.1 it was forked from) decides by the first character: a day
 *   field that STARTS with `*` is unrestricted there (entry.c sets DOM_STAR/DOW_STAR on it, and
 *   cron.c's find_jobs then requires both fields to match). So `0 0 *\/2 * MON` (`*\/2` is
 *   written with a backslash in this comment only) fires on odd days OR Mondays here, but only
 *   on odd days that are Mondays under cronie. Such expressions are accepted and read as here,
 *   with a warning giving both readings (rt_cron_days_differ, cron_compat.c); writing the range
 *   (`1-31/2`) means the same in every cron.
 *
 * Time zones and daylight saving time
 *   The expression is matched against the LOCAL wall-clock time of the schedule's zone. What
 *   happens when the wall clock jumps depends on how the hour field is written:
 *   - Interval style: the hour field contains `*` or a step `/` (`* * * * * *`, `0 * * * *`,
 *     `0 0-12/3 * * *`, or `*` with a step). The job follows real time: a wall time that does not
 *     exist (skipped by a spring-forward gap) does not fire, and a wall time that occurs twice
 *     (a fall-back fold) fires both times. So an hourly job fires 23 times on the spring-forward
 *     day and 25 times on the fall-back day, once per real hour.
 *   - Fixed-time style: any other hour field (`0 30 2 * * *`, `0 0 9,17 * * MON-FRI`, even
 *     `0 0 0-23 * * *`). The job keeps to the calendar: no wall time fires twice, and a time
 *     lost to a gap is made up right after it.
 *     - Gap: if one or more matching wall times fall inside a gap, the job fires once, at the
 *       first instant after the gap (daily 02:30 fires at 03:00 local on the day clocks jump
 *       02:00 -> 03:00; a 02:00,02:30 job also fires just once then). A fire that would land on
 *       the same instant (a 03:00 time in the same expression) is not repeated.
 *     - Fold: a wall time that occurs twice fires only at its first occurrence (daily 01:30 in
 *       New York fires at 01:30 EDT, not again at 01:30 EST). The repeated wall-clock interval
 *       is skipped entirely, even when the first occurrence was missed (the scheduler was down).
 *   cronie (its cron.c and entry.c, read at commit 5f9f16b) has the same two kinds, "wildcard"
 *   and "fixed-time" jobs, but tells them apart differently: a job is wildcard when its MINUTE
 *   or its HOUR field starts with `*` (MIN_STAR | HR_STAR in find_jobs); a step or a `*` later
 *   in the field does not count. After a forward jump of 5 minutes to 3 hours it runs wildcard
 *   jobs once and each fixed-time job once for every skipped wall minute it matches; after a
 *   backward jump of up to 3 hours it runs only wildcard jobs. The cases that differ from the
 *   rule here:
 *   - minute field starting with `*`, hour field without `*` or `/` (`* 2 * * *`,
 *     `*\/15 2 * * *`): wildcard in cronie (its times in a gap are lost, in a fold they run
 *     twice); fixed-time here (a gap's times fire once at its end; a fold's once).
 *   - hour field with a step, or a `*` after its first character, but not starting with `*`
 *     (`0 0-12/3 * * *`, `0 1/2 * * *`): fixed-time in cronie, interval here.
 *   - a fixed-time job with several times inside one gap (`0,30 2 * * *` on a day clocks jump
 *     02:00 -> 03:00): cronie runs it once per matching skipped minute, twice right after the
 *     jump; here once.
 *   - the seconds field (6 and 7 fields) has no cronie counterpart and plays no part in the
 *     choice here.
 *
 * Threading: an rt_cron is immutable after parsing and may be shared between threads.
 */
#ifndef RT_CRON_H
#define RT_CRON_H

#include <stdint.h>

#include "core/core_layer.h"
#include "tz.h"

#define RT_CRON_MAX_LEN 256 /* bytes of an expression */
#define RT_CRON_HORIZON 10  /* years rt_cron_next() looks ahead (without a year field) */

typedef struct rt_cron rt_cron;

/* Parse `expr`. Returns a schedule the caller frees with rt_cron_free(), or NULL with a message
 * naming the field, e.g. "cron expression '0 61 * * * *': field 2 (minute): 61 is out of range
 * 0-59". Expressions that can never fire for lack of a day (`0 0 0 30 2 *`) are rejected here. */
rt_cron *rt_cron_parse(const char *expr, rt_error *err);

void rt_cron_free(rt_cron *c);

/* The first fire time strictly after `after` (UTC seconds) in zone tz (required; see
 * rt_tz_utc()), following the DST rules above. Returns RATCHET_OK with *next set, or
 * RATCHET_NOTFOUND with a message when the schedule does not fire within RT_CRON_HORIZON years
 * (or after its last year), or RATCHET_ERR for bad arguments. */
ratchet_status rt_cron_next(const rt_cron *c, const rt_tz *tz, int64_t after, int64_t *next,
                            rt_error *err);

/* 1 when cronie reads c's days differently (see "Days" above): both day fields are restricted
 * here and at least one starts with `*`, so this cron ORs them where cronie ANDs them. */
int rt_cron_days_differ(const rt_cron *c);

/* A copy of c read as cronie reads its days (restricted day fields must both match when one
 * starts with `*`); the caller frees it with rt_cron_free. NULL when out of memory. */
rt_cron *rt_cron_cronie_days(const rt_cron *c);

/* The warning for an expression cronie reads differently (cron_compat.c), or NULL when there
 * is none (or no memory): lines separated by '\n' (none at the end), the first "cron
 * expression 'EXPR' is read differently by cronie and Vixie cron: ...", then each reading with
 * its next RT_CRON_COMPAT_FIRES fire times after `now` (UTC seconds) on the wall clock of tz,
 * then how to write it so that every cron reads it as here. The caller frees it. */
#define RT_CRON_COMPAT_FIRES 3
char *rt_cron_compat_warning(const rt_cron *c, const rt_tz *tz, int64_t now);

/* rt_cron_compat_warning for an expression and a zone name (NULL: UTC); NULL also when either
 * does not parse (the caller reports that on its own). */
char *rt_cron_compat_warning_for(const char *expr, const char *zone, int64_t now);

/* The expression as written (trimmed), owned by c. */
const char *rt_cron_expression(const rt_cron *c);

/* The normalised expression for display, owned by c: always 6 fields (7 with a year), single
 * spaces, names upper-cased, aliases expanded ("@daily" -> "0 0 0 * * *", "0/5 * * * mon" ->
 * "0 0/5 * * * MON"). Parsing it again gives the same schedule. */
const char *rt_cron_canonical(const rt_cron *c);

#endif
