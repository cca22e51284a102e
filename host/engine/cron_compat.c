/*
 * host/engine/cron_compat.c - warning about cron expressions other crons read differently.
 *
 * One case is detected (cron.h, "Days"): both day fields restricted here, one of them written
 * with a leading `*` (`*\/2`). This cron ORs the two fields; cronie and Vixie cron count a day
 * field starting with `*` as unrestricted and AND them. The expression is kept and read as
 * here; the warning shows both readings with their next fire times and the spelling every
 * cron reads as here (the `*` replaced by the field's range: `1-31/2`, `0-6/2`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"

/* The day fields' places among the fields of an expression with n fields. */
static void day_fields(int n, int *dom, int *dow)
{
    *dom = n == 5 ? 2 : 3;
    *dow = n == 5 ? 4 : 5;
}

/* Split expr into at most 7 fields (pointers into a copy in buf). */
static int split(const char *expr, char *buf, size_t cap, char *tok[7])
{
    snprintf(buf, cap, "%s", expr);
    int n = 0;
    for (char *s = strtok(buf, " \t"); s; s = strtok(NULL, " \t"))
        if (n < 7)
            tok[n++] = s;
    return n;
}

static int stepped_star(const char *field)
{
    return field[0] == '*' && field[1] != '\0';
}

/* "2026-12-07 00:00:00 CET, ..." : the next fire times of c after now, or why there are none. */
static void fire_times(ratchet_buf *b, const rt_cron *c, const rt_tz *tz, int64_t now)
{
    int64_t t = now;
    for (int i = 0; i < RT_CRON_COMPAT_FIRES; i++) {
        rt_error err;
        int64_t next;
        if (rt_cron_next(c, tz, t, &next, &err) != RATCHET_OK) {
            rt_buf_puts(b, i ? ", then none" : "none");
            return;
        }
        struct rt_tm tm;
        rt_tz_to_local(tz, next, &tm);
        rt_buf_printf(b, "%s%04d-%02d-%02d %02d:%02d:%02d %s", i ? ", " : "", tm.year, tm.month,
                      tm.day, tm.hour, tm.minute, tm.second, tm.abbr);
        t = next;
    }
}

char *rt_cron_compat_warning(const rt_cron *c, const rt_tz *tz, int64_t now)
{
    if (!rt_cron_days_differ(c))
        return NULL;
    char buf[RT_CRON_MAX_LEN + 1], *tok[7];
    int n = split(rt_cron_expression(c), buf, sizeof buf, tok), dom, dow;
    if (n < 5)
        return NULL; /* an alias: none has a stepped day field */
    day_fields(n, &dom, &dow);
    rt_cron *other = rt_cron_cronie_days(c);
    if (!other)
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    int both = stepped_star(tok[dom]) && stepped_star(tok[dow]);
    rt_buf_printf(&b, "cron expression '%s' is read differently by cronie and Vixie cron: ",
                  rt_cron_expression(c));
    if (both)
        rt_buf_printf(&b, "both day fields ('%s' and '%s') start with '*'\n", tok[dom], tok[dow]);
    else
        rt_buf_printf(&b, "its %s field '%s' starts with '*' beside the restricted %s field '%s'\n",
                      stepped_star(tok[dom]) ? "day-of-month" : "day-of-week",
                      stepped_star(tok[dom]) ? tok[dom] : tok[dow],
                      stepped_star(tok[dom]) ? "day-of-week" : "day-of-month",
                      stepped_star(tok[dom]) ? tok[dow] : tok[dom]);
    rt_buf_printf(&b,
                  "  here (the reading this schedule keeps): a day matches when EITHER field "
                  "matches (day-of-month %s or day-of-week %s); next fire times: ",
                  tok[dom], tok[dow]);
    fire_times(&b, c, tz, now);
    rt_buf_printf(&b,
                  "\n  cronie and Vixie cron: a day field starting with '*' counts as "
                  "unrestricted, so BOTH must match (day-of-month %s and day-of-week %s); "
                  "there: ",
                  tok[dom], tok[dow]);
    fire_times(&b, other, tz, now);
    rt_buf_puts(&b, "\n  to be read as here by every cron, write it '");
    for (int i = 0; i < n; i++) {
        const char *range = i == dom ? "1-31" : "0-6";
        if ((i == dom || i == dow) && stepped_star(tok[i]))
            rt_buf_printf(&b, "%s%s%s", i ? " " : "", range, tok[i] + 1);
        else
            rt_buf_printf(&b, "%s%s", i ? " " : "", tok[i]);
    }
    rt_buf_puts(&b, "'");
    rt_cron_free(other);
    return b.data;
}

char *rt_cron_compat_warning_for(const char *expr, const char *zone, int64_t now)
{
    rt_error err;
    rt_cron *c = rt_cron_parse(expr ? expr : "", &err);
    if (!c)
        return NULL;
    rt_tz *tz = rt_tz_load(zone ? zone : "UTC", &err);
    char *w = tz ? rt_cron_compat_warning(c, tz, now) : NULL;
    rt_tz_free(tz);
    rt_cron_free(c);
    return w;
}
