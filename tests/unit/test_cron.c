/* tests/unit/test_cron.c - cron parsing, error messages and next-fire sequences
 * (host/engine/cron.c), including the DST rules documented in cron.h, with fixed clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cron.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return rt_tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static rt_tz *zone(const char *name)
{
    rt_error err = {""};
    rt_tz *tz = rt_tz_load(name, &err);
    if (!tz)
        fail_msg("loading %s: %s", name, err.msg);
    return tz;
}

static rt_cron *parse(const char *expr)
{
    rt_error err = {""};
    rt_cron *c = rt_cron_parse(expr, &err);
    if (!c)
        fail_msg("parsing '%s': %s", expr, err.msg);
    return c;
}

/* "2026-03-08 03:00:00 EDT" */
static void fmt_local(const rt_tz *tz, int64_t t, char *buf, size_t size)
{
    struct rt_tm tm;
    rt_tz_to_local(tz, t, &tm);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d %s", tm.year, tm.month, tm.day, tm.hour,
             tm.minute, tm.second, tm.abbr);
}

/* The next n fire times of expr after `after`, in local time, must be exp[0..n-1]. */
static void expect_seq(const char *expr, const char *zname, int64_t after, const char *const *exp,
                       size_t n)
{
    rt_tz *tz = zone(zname);
    rt_cron *c = parse(expr);
    for (size_t i = 0; i < n; i++) {
        rt_error err = {""};
        int64_t next = 0;
        char got[64];
        if (rt_cron_next(c, tz, after, &next, &err) != RATCHET_OK)
            fail_msg("'%s' fire %zu: %s", expr, i, err.msg);
        fmt_local(tz, next, got, sizeof got);
        if (strcmp(got, exp[i]) != 0)
            fail_msg("'%s' in %s, fire %zu: expected %s, got %s", expr, zname, i, exp[i], got);
        assert_true(next > after);
        after = next;
    }
    rt_cron_free(c);
    rt_tz_free(tz);
}

#define SEQ(expr, zname, after, ...)                                                               \
    do {                                                                                           \
        static const char *const exp_[] = {__VA_ARGS__};                                           \
        expect_seq(expr, zname, after, exp_, sizeof exp_ / sizeof exp_[0]);                        \
    } while (0)

static void expect_error(const char *expr, const char *msg)
{
    rt_error err = {""};
    rt_cron *c = rt_cron_parse(expr, &err);
    if (c)
        fail_msg("'%s' parsed, expected: %s", expr ? expr : "(null)", msg);
    assert_string_equal(err.msg, msg);
}

static void expect_canonical(const char *expr, const char *canon)
{
    rt_cron *c = parse(expr);
    assert_string_equal(rt_cron_canonical(c), canon);
    rt_cron_free(c);
    c = parse(canon); /* the canonical form parses to itself */
    assert_string_equal(rt_cron_canonical(c), canon);
    rt_cron_free(c);
}

/* Fires whose local date is y-m-d. */
static int fires_on(const char *expr, const char *zname, int y, int m, int d, int64_t *first2)
{
    rt_tz *tz = zone(zname);
    rt_cron *c = parse(expr);
    struct rt_tm lt = {.year = y, .month = m, .day = d};
    int64_t u[2], next;
    rt_tz_from_local(tz, &lt, u);
    int64_t after = u[0] - 1;
    int n = 0;
    rt_error err = {""};
    while (rt_cron_next(c, tz, after, &next, &err) == RATCHET_OK) {
        struct rt_tm tm;
        rt_tz_to_local(tz, next, &tm);
        if (tm.year != y || tm.month != m || tm.day != d)
            break;
        if (first2 && n < 2)
            first2[n] = next;
        n++;
        after = next;
    }
    rt_cron_free(c);
    rt_tz_free(tz);
    return n;
}

static void test_syntax(void **state)
{
    (void)state;
    int64_t t0 = utc(2026, 1, 1, 0, 0, 0); /* a Thursday */
    SEQ("* * * * * *", "UTC", t0, "2026-01-01 00:00:01 UTC", "2026-01-01 00:00:02 UTC",
        "2026-01-01 00:00:03 UTC");
    SEQ("*/5 * * * *", "UTC", t0, "2026-01-01 00:05:00 UTC", "2026-01-01 00:10:00 UTC",
        "2026-01-01 00:15:00 UTC");
    SEQ("0 */5 * * * *", "UTC", t0 + 299, "2026-01-01 00:05:00 UTC", "2026-01-01 00:10:00 UTC");
    SEQ("*/15 * * * * *", "UTC", t0, "2026-01-01 00:00:15 UTC", "2026-01-01 00:00:30 UTC",
        "2026-01-01 00:00:45 UTC", "2026-01-01 00:01:00 UTC");
    /* Weekdays at 9:00, from Thursday 2026-01-01. */
    SEQ("0 9 * * MON-FRI", "UTC", t0, "2026-01-01 09:00:00 UTC", "2026-01-02 09:00:00 UTC",
        "2026-01-05 09:00:00 UTC", "2026-01-06 09:00:00 UTC");
    SEQ("0 0 9 ? * 1-5", "UTC", utc(2026, 1, 2, 9, 0, 0), "2026-01-05 09:00:00 UTC");
    /* The last second of a year. */
    SEQ("59 59 23 31 12 *", "UTC", utc(2026, 6, 1, 0, 0, 0), "2026-12-31 23:59:59 UTC",
        "2027-12-31 23:59:59 UTC", "2028-12-31 23:59:59 UTC");
    /* Leap day, including the skipped 2100. */
    SEQ("0 0 0 29 2 *", "UTC", utc(2023, 3, 1, 0, 0, 0), "2024-02-29 00:00:00 UTC",
        "2028-02-29 00:00:00 UTC", "2032-02-29 00:00:00 UTC", "2036-02-29 00:00:00 UTC");
    SEQ("0 0 0 29 2 *", "UTC", utc(2096, 2, 29, 0, 0, 0), "2104-02-29 00:00:00 UTC");
    /* Ranges with steps, a/n, lists mixing all of them. */
    SEQ("0 10-40/15 * * * *", "UTC", t0, "2026-01-01 00:10:00 UTC", "2026-01-01 00:25:00 UTC",
        "2026-01-01 00:40:00 UTC", "2026-01-01 01:10:00 UTC");
    SEQ("0 5/20 * * * *", "UTC", t0, "2026-01-01 00:05:00 UTC", "2026-01-01 00:25:00 UTC",
        "2026-01-01 00:45:00 UTC", "2026-01-01 01:05:00 UTC");
    SEQ("0 0 8-9,14,20/2 * * *", "UTC", t0, "2026-01-01 08:00:00 UTC", "2026-01-01 09:00:00 UTC",
        "2026-01-01 14:00:00 UTC", "2026-01-01 20:00:00 UTC", "2026-01-01 22:00:00 UTC",
        "2026-01-02 08:00:00 UTC");
    /* Names, case-insensitive; Sunday as 0, 7 and SUN; a range ending at Sunday. */
    SEQ("0 0 0 1 jan,Jul *", "UTC", t0, "2026-07-01 00:00:00 UTC", "2027-01-01 00:00:00 UTC");
    SEQ("0 0 0 1 JAN-MAR/2 *", "UTC", t0, "2026-03-01 00:00:00 UTC", "2027-01-01 00:00:00 UTC");
    SEQ("0 0 0 * * sun", "UTC", t0, "2026-01-04 00:00:00 UTC", "2026-01-11 00:00:00 UTC");
    SEQ("0 0 0 * * 7", "UTC", t0, "2026-01-04 00:00:00 UTC", "2026-01-11 00:00:00 UTC");
    SEQ("0 0 0 * * 0", "UTC", t0, "2026-01-04 00:00:00 UTC", "2026-01-11 00:00:00 UTC");
    SEQ("0 0 0 * * FRI-SUN", "UTC", t0, "2026-01-02 00:00:00 UTC", "2026-01-03 00:00:00 UTC",
        "2026-01-04 00:00:00 UTC", "2026-01-09 00:00:00 UTC");
    SEQ("0 0 0 * * 5-7", "UTC", t0, "2026-01-02 00:00:00 UTC", "2026-01-03 00:00:00 UTC",
        "2026-01-04 00:00:00 UTC", "2026-01-09 00:00:00 UTC");
    SEQ("0 0 0 * * */2", "UTC", t0, "2026-01-03 00:00:00 UTC", "2026-01-04 00:00:00 UTC",
        "2026-01-06 00:00:00 UTC", "2026-01-08 00:00:00 UTC", "2026-01-10 00:00:00 UTC");
    SEQ("0 0 0 * * 1/2", "UTC", t0, "2026-01-02 00:00:00 UTC", "2026-01-05 00:00:00 UTC",
        "2026-01-07 00:00:00 UTC", "2026-01-09 00:00:00 UTC");
    /* A year field. */
    SEQ("0 0 0 1 1 * 2027-2028", "UTC", t0, "2027-01-01 00:00:00 UTC", "2028-01-01 00:00:00 UTC");
    SEQ("0 0 0 1 1 * 2090/5", "UTC", t0, "2090-01-01 00:00:00 UTC", "2095-01-01 00:00:00 UTC");
    /* Aliases. */
    SEQ("@hourly", "UTC", t0, "2026-01-01 01:00:00 UTC", "2026-01-01 02:00:00 UTC");
    SEQ("@daily", "UTC", t0, "2026-01-02 00:00:00 UTC");
    SEQ("@midnight", "UTC", t0, "2026-01-02 00:00:00 UTC");
    SEQ("@weekly", "UTC", t0, "2026-01-04 00:00:00 UTC", "2026-01-11 00:00:00 UTC");
    SEQ("@monthly", "UTC", t0, "2026-02-01 00:00:00 UTC");
    SEQ("@yearly", "UTC", t0, "2027-01-01 00:00:00 UTC");
    SEQ("@annually", "UTC", t0, "2027-01-01 00:00:00 UTC");
    SEQ("@DAILY", "UTC", t0, "2026-01-02 00:00:00 UTC");
    /* Local time in a zone without DST. */
    SEQ("0 30 9 * * *", "Asia/Kolkata", t0, "2026-01-01 09:30:00 IST", "2026-01-02 09:30:00 IST");
}

static void test_day_rule(void **state)
{
    (void)state;
    int64_t t0 = utc(2026, 1, 1, 0, 0, 0);
    /* Both day fields restricted: either matches (Fridays and the 13th). */
    SEQ("0 0 12 13 * FRI", "UTC", t0, "2026-01-02 12:00:00 UTC", "2026-01-09 12:00:00 UTC",
        "2026-01-13 12:00:00 UTC", "2026-01-16 12:00:00 UTC");
    SEQ("0 0 12 13 * 5", "UTC", t0, "2026-01-02 12:00:00 UTC", "2026-01-09 12:00:00 UTC",
        "2026-01-13 12:00:00 UTC", "2026-01-16 12:00:00 UTC");
    /* One of them `*` or `?`: only the other counts. */
    SEQ("0 0 12 13 * *", "UTC", t0, "2026-01-13 12:00:00 UTC", "2026-02-13 12:00:00 UTC");
    SEQ("0 0 12 13 * ?", "UTC", t0, "2026-01-13 12:00:00 UTC", "2026-02-13 12:00:00 UTC");
    SEQ("0 0 12 * * FRI", "UTC", t0, "2026-01-02 12:00:00 UTC", "2026-01-09 12:00:00 UTC",
        "2026-01-16 12:00:00 UTC");
    SEQ("0 0 12 ? * FRI", "UTC", t0, "2026-01-02 12:00:00 UTC", "2026-01-09 12:00:00 UTC");
    /* The 31st exists only in some months; months without it are skipped. */
    SEQ("0 0 0 31 * *", "UTC", t0, "2026-01-31 00:00:00 UTC", "2026-03-31 00:00:00 UTC",
        "2026-05-31 00:00:00 UTC");
    /* February 30 never exists, but with a weekday the OR rule still fires. */
    SEQ("0 0 0 30 2 MON", "UTC", t0, "2026-02-02 00:00:00 UTC", "2026-02-09 00:00:00 UTC");
}

static void test_canonical(void **state)
{
    (void)state;
    expect_canonical("*/5 * * * *", "0 */5 * * * *");
    expect_canonical("  0  0\t12 ? jan mon  ", "0 0 12 ? JAN MON");
    expect_canonical("@daily", "0 0 0 * * *");
    expect_canonical("@weekly", "0 0 0 * * 0");
    expect_canonical("@monthly", "0 0 0 1 * *");
    expect_canonical("@yearly", "0 0 0 1 1 *");
    expect_canonical("@hourly", "0 0 * * * *");
    expect_canonical("0 0 0 1 1 * 2030", "0 0 0 1 1 * 2030");
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("0 61 * * * *", "cron expression '0 61 * * * *': field 2 (minute): 61 is out of "
                                 "range 0-59");
    expect_error("61 * * * *", "cron expression '61 * * * *': field 1 (minute): 61 is out of "
                               "range 0-59");
    expect_error("60 * * * * *", "cron expression '60 * * * * *': field 1 (second): 60 is out of "
                                 "range 0-59");
    expect_error("0 0 24 * * *", "cron expression '0 0 24 * * *': field 3 (hour): 24 is out of "
                                 "range 0-23");
    expect_error("0 0 0 0 * *", "cron expression '0 0 0 0 * *': field 4 (day-of-month): 0 is out "
                                "of range 1-31");
    expect_error("0 0 0 * 13 *", "cron expression '0 0 0 * 13 *': field 5 (month): 13 is out of "
                                 "range 1-12");
    expect_error("0 0 0 * * 8", "cron expression '0 0 0 * * 8': field 6 (day-of-week): 8 is out "
                                "of range 0-7");
    expect_error("0 0 0 1 1 * 1969", "cron expression '0 0 0 1 1 * 1969': field 7 (year): 1969 "
                                     "is out of range 1970-2099");
    expect_error("99999999999 * * * * *", "cron expression '99999999999 * * * * *': field 1 "
                                          "(second): 99999999999 is out of range 0-59");
    expect_error("0 0 0 1 FOO *", "cron expression '0 0 0 1 FOO *': field 5 (month): unknown "
                                  "name 'FOO'");
    expect_error("0 0 0 * * Fun", "cron expression '0 0 0 * * Fun': field 6 (day-of-week): "
                                  "unknown name 'Fun'");
    expect_error("0 0 MON * * *", "cron expression '0 0 MON * * *': field 3 (hour): 'MON' is not "
                                  "a number");
    expect_error("0 0 1x * * *", "cron expression '0 0 1x * * *': field 3 (hour): '1x' is not a "
                                 "number");
    expect_error("* * * *", "cron expression '* * * *': expected 5, 6 or 7 fields, got 4");
    expect_error("* * * * * * * *", "cron expression '* * * * * * * *': expected 5, 6 or 7 "
                                    "fields, got 8");
    expect_error("1 2 3 4 5 6 7 8 9 10 11",
                 "cron expression '1 2 3 4 5 6 7 8 9 10 11': expected 5, 6 or 7 fields, got 11");
    expect_error("0 0 */0 * * *", "cron expression '0 0 */0 * * *': field 3 (hour): step must be "
                                  "a positive number");
    expect_error("0 0 */ * * *", "cron expression '0 0 */ * * *': field 3 (hour): step must be a "
                                 "positive number");
    expect_error("0 0 */x * * *", "cron expression '0 0 */x * * *': field 3 (hour): step must be "
                                  "a positive number");
    expect_error("0 0 */-2 * * *", "cron expression '0 0 */-2 * * *': field 3 (hour): step must "
                                   "be a positive number");
    expect_error("0 0 1/2/3 * * *", "cron expression '0 0 1/2/3 * * *': field 3 (hour): step "
                                    "must be a positive number");
    expect_error("0 */90 * * * *", "cron expression '0 */90 * * * *': field 2 (minute): step 90 "
                                   "is out of range 1-59");
    expect_error("0 */9999999 * * * *", "cron expression '0 */9999999 * * * *': field 2 "
                                        "(minute): step 100000 is out of range 1-59");
    expect_error("0 0 5-2 * * *", "cron expression '0 0 5-2 * * *': field 3 (hour): range 5-2 is "
                                  "backwards (start must not exceed end)");
    expect_error("0 0 5- * * *", "cron expression '0 0 5- * * *': field 3 (hour): missing value");
    expect_error("0 0 -5 * * *", "cron expression '0 0 -5 * * *': field 3 (hour): missing value");
    expect_error("0 0 1-2-3 * * *", "cron expression '0 0 1-2-3 * * *': field 3 (hour): '2-3' is "
                                    "not a number");
    expect_error("0 0 1,,2 * * *", "cron expression '0 0 1,,2 * * *': field 3 (hour): empty list "
                                   "element");
    expect_error("0 0 1, * * *", "cron expression '0 0 1, * * *': field 3 (hour): empty list "
                                 "element");
    expect_error("0 ? * * * *", "cron expression '0 ? * * * *': field 2 (minute): '?' is only "
                                "allowed in day-of-month and day-of-week");
    expect_error("0 0 0 ?/2 * *", "cron expression '0 0 0 ?/2 * *': field 4 (day-of-month): '?' "
                                  "cannot take a step");
    expect_error("0 0 0 L * *", "cron expression '0 0 0 L * *': field 4 (day-of-month): 'L' "
                                "(last day) is not supported");
    expect_error("0 0 0 LW * *", "cron expression '0 0 0 LW * *': field 4 (day-of-month): 'L' "
                                 "(last day) is not supported");
    expect_error("0 0 0 15W * *", "cron expression '0 0 0 15W * *': field 4 (day-of-month): 'W' "
                                  "(nearest weekday) is not supported");
    expect_error("0 0 0 ? * 5L", "cron expression '0 0 0 ? * 5L': field 6 (day-of-week): 'L' "
                                 "(last day) is not supported");
    expect_error("0 0 0 ? * 5#3", "cron expression '0 0 0 ? * 5#3': field 6 (day-of-week): '#' "
                                  "(nth weekday of the month) is not supported");
    expect_error("0 0 0 30 2 *", "cron expression '0 0 0 30 2 *': never fires: no day in field 4 "
                                 "(day-of-month) exists in the months of field 5 (month)");
    expect_error("0 0 31 4,6,9,11 *", "cron expression '0 0 31 4,6,9,11 *': never fires: no day "
                                      "in field 3 (day-of-month) exists in the months of field 4 "
                                      "(month)");
    expect_error("@every 5m", "cron expression '@every 5m': unknown alias '@every' (expected "
                              "@yearly, @annually, @monthly, @weekly, @daily, @midnight or "
                              "@hourly)");
    expect_error("@daily 5", "cron expression '@daily 5': an alias cannot be combined with "
                             "fields");
    expect_error("", "cron expression is empty");
    expect_error(" \t ", "cron expression is empty");
    expect_error(NULL, "cron expression is empty");
    expect_error("0 0 0 * * *\n", "cron expression contains a non-printable byte 0x0a at offset "
                                  "11");
    expect_error("0 0 0 * * \xc3\xa9", "cron expression contains a non-printable byte 0xc3 at "
                                       "offset 10");
    char big[400];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_error(big, "cron expression is too long (more than 256 bytes)");
}

static void test_next_errors(void **state)
{
    (void)state;
    rt_tz *tz = zone("UTC");
    rt_cron *c = parse("0 0 0 1 1 * 2020");
    rt_error err = {""};
    int64_t next = 0;
    assert_int_equal(rt_cron_next(c, tz, utc(2026, 1, 1, 0, 0, 0), &next, &err), RATCHET_NOTFOUND);
    assert_string_equal(err.msg, "cron expression '0 0 0 1 1 * 2020' does not fire after "
                                 "2026-01-01T00:00:00Z");
    rt_cron_free(c);
    /* A year without February 29. */
    c = parse("0 0 0 29 2 * 2027");
    assert_int_equal(rt_cron_next(c, tz, utc(2026, 1, 1, 0, 0, 0), &next, &err), RATCHET_NOTFOUND);
    rt_cron_free(c);
    /* The last fire of a year field, then nothing. */
    c = parse("59 59 23 31 12 * 2099");
    assert_int_equal(rt_cron_next(c, tz, utc(2026, 1, 1, 0, 0, 0), &next, &err), RATCHET_OK);
    assert_int_equal(next, utc(2099, 12, 31, 23, 59, 59));
    assert_int_equal(rt_cron_next(c, tz, next, &next, &err), RATCHET_NOTFOUND);
    assert_int_equal(rt_cron_next(c, NULL, 0, &next, &err), RATCHET_ERR);
    assert_int_equal(rt_cron_next(c, tz, INT64_MAX, &next, &err), RATCHET_ERR);
    rt_cron_free(c);
    rt_tz_free(tz);
}

/* ---- daylight saving time, 2026: New York Mar 8 / Nov 1, Amsterdam Mar 29 / Oct 25 ---- */

static void test_dst_gap(void **state)
{
    (void)state;
    /* Daily 02:30 on the spring-forward day fires once, at 03:00 local. */
    SEQ("0 30 2 * * *", "America/New_York", utc(2026, 3, 7, 12, 0, 0), "2026-03-08 03:00:00 EDT",
        "2026-03-09 02:30:00 EDT");
    SEQ("30 2 * * *", "America/New_York", utc(2026, 3, 7, 12, 0, 0), "2026-03-08 03:00:00 EDT",
        "2026-03-09 02:30:00 EDT");
    SEQ("0 30 2 * * *", "Europe/Amsterdam", utc(2026, 3, 28, 12, 0, 0), "2026-03-29 03:00:00 CEST",
        "2026-03-30 02:30:00 CEST");
    /* Several fixed times in the gap, and one right after it: still one fire at 03:00. */
    SEQ("0 0,30 2,3 * * *", "America/New_York", utc(2026, 3, 8, 6, 0, 0), "2026-03-08 03:00:00 EDT",
        "2026-03-08 03:30:00 EDT", "2026-03-09 02:00:00 EDT");
    SEQ("0 * 2 * * *", "America/New_York", utc(2026, 3, 8, 6, 0, 0), "2026-03-08 03:00:00 EDT",
        "2026-03-09 02:00:00 EDT");
    /* Asked just before the gap (or from inside the second before it): the same answer. */
    SEQ("0 30 2 * * *", "America/New_York", utc(2026, 3, 8, 6, 59, 59), "2026-03-08 03:00:00 EDT");
    SEQ("0 30 2 * * *", "America/New_York", utc(2026, 3, 8, 7, 0, 0), "2026-03-09 02:30:00 EDT");
    /* Hourly and every 30 minutes: the missing hour simply has no fires. */
    assert_int_equal(fires_on("0 * * * *", "America/New_York", 2026, 3, 8, NULL), 23);
    assert_int_equal(fires_on("0 0 * * * *", "Europe/Amsterdam", 2026, 3, 29, NULL), 23);
    assert_int_equal(fires_on("*/30 * * * *", "America/New_York", 2026, 3, 8, NULL), 46);
    assert_int_equal(fires_on("0 0 */2 * * *", "Europe/Amsterdam", 2026, 3, 29, NULL), 11);
    SEQ("0 0 * * * *", "America/New_York", utc(2026, 3, 8, 5, 30, 0), "2026-03-08 01:00:00 EST",
        "2026-03-08 03:00:00 EDT", "2026-03-08 04:00:00 EDT");
    /* Daily jobs outside the gap are untouched that day. */
    assert_int_equal(fires_on("0 0 9 * * *", "America/New_York", 2026, 3, 8, NULL), 1);
    assert_int_equal(fires_on("0 0 0 * * *", "Europe/Amsterdam", 2026, 3, 29, NULL), 1);
    /* A 30-minute gap (Lord Howe, 02:00 -> 02:30 on 2026-10-04). */
    SEQ("0 0 2 * * *", "Australia/Lord_Howe", utc(2026, 10, 3, 0, 0, 0), "2026-10-04 02:30:00 +11",
        "2026-10-05 02:00:00 +11");
    assert_int_equal(fires_on("0 0 * * * *", "Australia/Lord_Howe", 2026, 10, 4, NULL), 23);
    assert_int_equal(fires_on("0 */30 * * * *", "Australia/Lord_Howe", 2026, 10, 4, NULL), 47);
}

static void test_dst_fold(void **state)
{
    (void)state;
    int64_t f[2] = {0, 0};
    /* Daily 01:30 (New York) and 02:30 (Amsterdam) on the fall-back day fire once, at the
     * first occurrence. */
    SEQ("0 30 1 * * *", "America/New_York", utc(2026, 10, 31, 16, 0, 0), "2026-11-01 01:30:00 EDT",
        "2026-11-02 01:30:00 EST");
    assert_int_equal(fires_on("30 1 * * *", "America/New_York", 2026, 11, 1, f), 1);
    assert_int_equal(f[0], utc(2026, 11, 1, 5, 30, 0));
    SEQ("0 30 2 * * *", "Europe/Amsterdam", utc(2026, 10, 24, 12, 0, 0), "2026-10-25 02:30:00 CEST",
        "2026-10-26 02:30:00 CET");
    assert_int_equal(fires_on("0 30 2 * * *", "Europe/Amsterdam", 2026, 10, 25, NULL), 1);
    /* Asked during the repeated hour, after the first 01:30: not again that day. */
    SEQ("0 30 1 * * *", "America/New_York", utc(2026, 11, 1, 6, 10, 0), "2026-11-02 01:30:00 EST");
    /* Every minute of a fixed hour: the hour's 60 minutes once, not 120. */
    assert_int_equal(fires_on("* 1 * * *", "America/New_York", 2026, 11, 1, NULL), 60);
    /* Hourly fires every real hour: 25, both 01:00s included. */
    assert_int_equal(fires_on("0 * * * *", "America/New_York", 2026, 11, 1, NULL), 25);
    assert_int_equal(fires_on("0 0 * * * *", "Europe/Amsterdam", 2026, 10, 25, NULL), 25);
    assert_int_equal(fires_on("*/30 * * * *", "America/New_York", 2026, 11, 1, NULL), 50);
    SEQ("0 0 * * * *", "America/New_York", utc(2026, 11, 1, 4, 30, 0), "2026-11-01 01:00:00 EDT",
        "2026-11-01 01:00:00 EST", "2026-11-01 02:00:00 EST");
    SEQ("0 0 * * * *", "Europe/Amsterdam", utc(2026, 10, 25, 0, 30, 0), "2026-10-25 02:00:00 CET",
        "2026-10-25 03:00:00 CET");
    /* A 30-minute fold (Lord Howe, 02:00 -> 01:30 on 2026-04-05). */
    SEQ("0 45 1 * * *", "Australia/Lord_Howe", utc(2026, 4, 4, 0, 0, 0), "2026-04-05 01:45:00 +11",
        "2026-04-06 01:45:00 +1030");
    assert_int_equal(fires_on("0 0 * * * *", "Australia/Lord_Howe", 2026, 4, 5, NULL), 24);
    assert_int_equal(fires_on("0 */30 * * * *", "Australia/Lord_Howe", 2026, 4, 5, NULL), 49);
    /* Normal days around them: 24 and 1. */
    assert_int_equal(fires_on("0 * * * *", "America/New_York", 2026, 11, 2, NULL), 24);
    assert_int_equal(fires_on("30 1 * * *", "America/New_York", 2026, 11, 2, NULL), 1);
}

/* Every second for a whole fold day: 86400 + 3600 fires, each one second after the previous. */
static void test_every_second_over_fold(void **state)
{
    (void)state;
    rt_tz *tz = zone("America/New_York");
    rt_cron *c = parse("* * * * * *");
    int64_t t = utc(2026, 11, 1, 4, 0, 0) - 1, next; /* local midnight EDT, minus one */
    rt_error err = {""};
    for (int i = 0; i < 90000; i++) {
        assert_int_equal(rt_cron_next(c, tz, t, &next, &err), RATCHET_OK);
        assert_int_equal(next, t + 1);
        t = next;
    }
    rt_cron_free(c);
    rt_tz_free(tz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax),      cmocka_unit_test(test_day_rule),
        cmocka_unit_test(test_canonical),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_next_errors), cmocka_unit_test(test_dst_gap),
        cmocka_unit_test(test_dst_fold),    cmocka_unit_test(test_every_second_over_fold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
