/* tests/unit/test_cron_compat.c - expressions cronie reads differently (host/engine/cron_compat.c):
 * which are flagged, both readings' fire times, and the warning's text. Fixed clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cron.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return rt_tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static rt_cron *parse(const char *expr)
{
    rt_error err = {""};
    rt_cron *c = rt_cron_parse(expr, &err);
    if (!c)
        fail_msg("parsing '%s': %s", expr, err.msg);
    return c;
}

/* The next n fire dates (YYYY-MM-DD) of c after t in UTC, space-separated, into out. */
static void dates(const rt_cron *c, int64_t t, int n, char *out, size_t cap)
{
    rt_tz *tz = rt_tz_utc();
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        rt_error err = {""};
        int64_t next;
        if (rt_cron_next(c, tz, t, &next, &err) != RATCHET_OK)
            fail_msg("fire %d: %s", i, err.msg);
        struct rt_tm tm;
        rt_tz_to_local(tz, next, &tm);
        o += (size_t)snprintf(out + o, cap - o, "%s%04d-%02d-%02d", i ? " " : "", tm.year, tm.month,
                              tm.day);
        t = next;
    }
    rt_tz_free(tz);
}

static void test_which_differ(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        int differs;
    } cases[] = {
        {"0 0 */2 * MON", 1},    /* stepped day-of-month beside a weekday */
        {"0 0 0 */2 * MON", 1},  /* the same with seconds */
        {"0 0 1 * */2", 1},      /* stepped day-of-week beside a day of the month */
        {"0 0 */3 * */2", 1},    /* both stepped */
        {"0 0 *,15 * MON", 1},   /* cronie looks at the first character only */
        {"0 0 1-31/2 * MON", 0}, /* the range: restricted in both crons */
        {"0 0 13 * FRI", 0},     /* both restricted, neither starts with `*` */
        {"0 0 */2 * *", 0},      /* the other one unrestricted: both AND */
        {"0 0 */2 * ?", 0},      /* `?` is unrestricted here */
        {"0 0 * * MON", 0},      /* bare `*`: the same everywhere */
        {"*/5 */2 * * *", 0},    /* stepped minute and hour fields play no part */
        {"@weekly", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rt_cron *c = parse(cases[i].expr);
        if (rt_cron_days_differ(c) != cases[i].differs)
            fail_msg("'%s': expected %d", cases[i].expr, cases[i].differs);
        char *w = rt_cron_compat_warning_for(cases[i].expr, NULL, utc(2026, 1, 1, 0, 0, 0));
        if ((w != NULL) != cases[i].differs)
            fail_msg("'%s': warning %s", cases[i].expr, w ? w : "(none)");
        free(w);
        rt_cron_free(c);
    }
}

/* The two readings of one expression, from 2026-01-01 (a Thursday). */
static void test_readings(void **state)
{
    (void)state;
    int64_t t0 = utc(2026, 1, 1, 0, 0, 0);
    char got[256];
    rt_cron *c = parse("0 0 */2 * MON");
    rt_cron *other = rt_cron_cronie_days(c);
    assert_non_null(other);
    /* here: odd days of the month, and Mondays (the 12th) */
    dates(c, t0, 7, got, sizeof got);
    assert_string_equal(got, "2026-01-03 2026-01-05 2026-01-07 2026-01-09 2026-01-11 2026-01-12 "
                             "2026-01-13");
    /* cronie: Mondays that are odd days */
    dates(other, t0, 4, got, sizeof got);
    assert_string_equal(got, "2026-01-05 2026-01-19 2026-02-09 2026-02-23");
    /* the copy keeps the expression; the original is unchanged */
    assert_string_equal(rt_cron_canonical(other), "0 0 0 */2 * MON");
    dates(c, t0, 1, got, sizeof got);
    assert_string_equal(got, "2026-01-03");
    rt_cron_free(other);
    rt_cron_free(c);

    /* An expression both read alike keeps its days in the copy. */
    c = parse("0 0 13 * FRI");
    other = rt_cron_cronie_days(c);
    dates(other, t0, 3, got, sizeof got);
    assert_string_equal(got, "2026-01-02 2026-01-09 2026-01-13");
    rt_cron_free(other);
    rt_cron_free(c);
}

static void test_warning_text(void **state)
{
    (void)state;
    int64_t t0 = utc(2026, 1, 1, 0, 0, 0);
    char *w = rt_cron_compat_warning_for("0 0 */2 * MON", "UTC", t0);
    assert_non_null(w);
    assert_string_equal(
        w, "cron expression '0 0 */2 * MON' is read differently by cronie and Vixie cron: its "
           "day-of-month field '*/2' starts with '*' beside the restricted day-of-week field "
           "'MON'\n"
           "  here (the reading this schedule keeps): a day matches when EITHER field matches "
           "(day-of-month */2 or day-of-week MON); next fire times: 2026-01-03 00:00:00 UTC, "
           "2026-01-05 00:00:00 UTC, 2026-01-07 00:00:00 UTC\n"
           "  cronie and Vixie cron: a day field starting with '*' counts as unrestricted, so "
           "BOTH must match (day-of-month */2 and day-of-week MON); there: 2026-01-05 00:00:00 "
           "UTC, 2026-01-19 00:00:00 UTC, 2026-02-09 00:00:00 UTC\n"
           "  to be read as here by every cron, write it '0 0 1-31/2 * MON'");
    free(w);

    /* Both day fields stepped, seconds first, a zone with its own abbreviation. */
    w = rt_cron_compat_warning_for("30 0 12 */3 * */2", "Europe/Amsterdam", t0);
    assert_non_null(w);
    if (!strstr(w, "both day fields ('*/3' and '*/2') start with '*'\n") ||
        !strstr(w, "next fire times: 2026-01-01 12:00:30 CET, 2026-01-03 12:00:30 CET, ") ||
        !strstr(w, "write it '30 0 12 1-31/3 * 0-6/2'"))
        fail_msg("warning: %s", w);
    free(w);

    /* Nothing to say about what does not parse: that is the caller's error to report. */
    assert_null(rt_cron_compat_warning_for("0 0 */2 * MOX", "UTC", t0));
    assert_null(rt_cron_compat_warning_for("0 0 */2 * MON", "Nowhere/Atlantis", t0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_differ),
        cmocka_unit_test(test_readings),
        cmocka_unit_test(test_warning_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
