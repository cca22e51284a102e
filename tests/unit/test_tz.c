/* tests/unit/test_tz.c - the TZif reader, POSIX TZ rules and civil arithmetic of host/engine/tz.c.
 * Expected values come from zdump (tzcode/glibc) on the system's tzdata; the last test compares
 * every transition of a set of zones with zdump directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tz.h"

/* UTC seconds of a UTC calendar time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return rt_tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static rt_tz *load(const char *name)
{
    rt_error err = {""};
    rt_tz *tz = rt_tz_load(name, &err);
    if (!tz)
        fail_msg("loading %s: %s", name, err.msg);
    return tz;
}

/* "2026-03-08 03:00:00 EDT +-14400 dst=1" for instant t in tz. */
static const char *local_str(const rt_tz *tz, int64_t t)
{
    static char buf[128];
    struct rt_tm tm;
    rt_tz_to_local(tz, t, &tm);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d %s %d dst=%d", tm.year, tm.month,
             tm.day, tm.hour, tm.minute, tm.second, tm.abbr, tm.utoff, tm.isdst);
    return buf;
}

static void expect_load_error(const char *name, const char *msg)
{
    rt_error err = {""};
    rt_tz *tz = rt_tz_load(name, &err);
    assert_null(tz);
    assert_string_equal(err.msg, msg);
}

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(rt_tz_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(rt_tz_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(rt_tz_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(rt_tz_days_from_civil(1600, 1, 1), -135140);
    for (int64_t d = -800000; d <= 800000; d += 7) {
        int64_t y;
        int m, dd;
        rt_tz_civil_from_days(d, &y, &m, &dd);
        assert_true(m >= 1 && m <= 12 && dd >= 1 && dd <= rt_tz_days_in_month(y, m));
        assert_int_equal(rt_tz_days_from_civil(y, m, dd), d);
    }
    assert_int_equal(rt_tz_days_in_month(2024, 2), 29);
    assert_int_equal(rt_tz_days_in_month(2100, 2), 28);
    assert_int_equal(rt_tz_days_in_month(2000, 2), 29);
    assert_int_equal(rt_tz_days_in_month(2026, 4), 30);
    assert_int_equal(rt_tz_weekday(0), 4);                                 /* Thursday */
    assert_int_equal(rt_tz_weekday(rt_tz_days_from_civil(2026, 3, 8)), 0); /* Sunday */
    assert_int_equal(rt_tz_weekday(rt_tz_days_from_civil(1900, 1, 1)), 1); /* Monday */
}

static void test_utc(void **state)
{
    (void)state;
    const char *names[] = {"UTC", "Etc/UTC"};
    for (int i = 0; i < 2; i++) {
        rt_error err = {""};
        /* Built in: works even where the zoneinfo directory does not exist. */
        rt_tz *tz = rt_tz_load_dir("/nonexistent", names[i], &err);
        assert_non_null(tz);
        assert_string_equal(rt_tz_name(tz), names[i]);
        assert_string_equal(local_str(tz, 0), "1970-01-01 00:00:00 UTC 0 dst=0");
        assert_string_equal(local_str(tz, -1), "1969-12-31 23:59:59 UTC 0 dst=0");
        assert_string_equal(local_str(tz, utc(2000, 2, 29, 12, 0, 0)),
                            "2000-02-29 12:00:00 UTC 0 dst=0");
        struct rt_tm tm;
        rt_tz_to_local(tz, utc(2026, 12, 31, 23, 59, 59), &tm);
        assert_int_equal(tm.wday, 4);
        assert_int_equal(tm.yday, 364);
        int64_t u[2];
        assert_int_equal(rt_tz_from_local(tz, &tm, u), 1);
        assert_int_equal(u[0], utc(2026, 12, 31, 23, 59, 59));
        rt_tz_free(tz);
    }
}

static void test_amsterdam(void **state)
{
    (void)state;
    rt_tz *tz = load("Europe/Amsterdam");
    assert_string_equal(local_str(tz, utc(2026, 1, 15, 12, 0, 0)),
                        "2026-01-15 13:00:00 CET 3600 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 7, 1, 12, 0, 0)),
                        "2026-07-01 14:00:00 CEST 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 3, 29, 0, 59, 59)),
                        "2026-03-29 01:59:59 CET 3600 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 3, 29, 1, 0, 0)),
                        "2026-03-29 03:00:00 CEST 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 10, 25, 0, 59, 59)),
                        "2026-10-25 02:59:59 CEST 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 10, 25, 1, 0, 0)),
                        "2026-10-25 02:00:00 CET 3600 dst=0");
    /* Local mean time and the odd +01:19:32 summer time of 1916. */
    assert_string_equal(local_str(tz, utc(1916, 5, 1, 0, 0, 0)),
                        "1916-05-01 01:19:32 NST 4772 dst=1");
    /* Far future: past the table, from the footer "CET-1CEST,M3.5.0,M10.5.0/3". */
    assert_string_equal(local_str(tz, utc(2100, 3, 28, 0, 59, 59)),
                        "2100-03-28 01:59:59 CET 3600 dst=0");
    assert_string_equal(local_str(tz, utc(2100, 3, 28, 1, 0, 0)),
                        "2100-03-28 03:00:00 CEST 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2100, 10, 31, 1, 0, 0)),
                        "2100-10-31 02:00:00 CET 3600 dst=0");
    rt_tz_free(tz);
}

static void test_new_york(void **state)
{
    (void)state;
    rt_tz *tz = load("America/New_York");
    assert_string_equal(local_str(tz, utc(2026, 3, 8, 6, 59, 59)),
                        "2026-03-08 01:59:59 EST -18000 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 3, 8, 7, 0, 0)),
                        "2026-03-08 03:00:00 EDT -14400 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 11, 1, 5, 59, 59)),
                        "2026-11-01 01:59:59 EDT -14400 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 11, 1, 6, 0, 0)),
                        "2026-11-01 01:00:00 EST -18000 dst=0");
    assert_string_equal(local_str(tz, utc(2100, 3, 14, 6, 59, 59)),
                        "2100-03-14 01:59:59 EST -18000 dst=0");
    assert_string_equal(local_str(tz, utc(2100, 3, 14, 7, 0, 0)),
                        "2100-03-14 03:00:00 EDT -14400 dst=1");
    assert_string_equal(local_str(tz, utc(2500, 11, 7, 6, 0, 0)),
                        "2500-11-07 01:00:00 EST -18000 dst=0");
    assert_string_equal(local_str(tz, utc(2500, 11, 7, 5, 59, 59)),
                        "2500-11-07 01:59:59 EDT -14400 dst=1");
    /* Clamped, not overflowed, at the ends of the range. */
    struct rt_tm tm;
    rt_tz_to_local(tz, INT64_MAX, &tm);
    assert_true(tm.year > 2000000);
    rt_tz_to_local(tz, INT64_MIN, &tm);
    assert_true(tm.year < -2000000);
    rt_tz_free(tz);
}

static void test_lord_howe_and_kolkata(void **state)
{
    (void)state;
    rt_tz *tz = load("Australia/Lord_Howe"); /* DST is +30 minutes */
    assert_string_equal(local_str(tz, utc(2026, 4, 4, 14, 59, 59)),
                        "2026-04-05 01:59:59 +11 39600 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 4, 4, 15, 0, 0)),
                        "2026-04-05 01:30:00 +1030 37800 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 10, 3, 15, 30, 0)),
                        "2026-10-04 02:30:00 +11 39600 dst=1");
    assert_string_equal(local_str(tz, utc(2100, 10, 2, 15, 30, 0)),
                        "2100-10-03 02:30:00 +11 39600 dst=1");
    int64_t u[2];
    struct rt_tm lt = {.year = 2026, .month = 10, .day = 4, .hour = 2, .minute = 15};
    assert_int_equal(rt_tz_from_local(tz, &lt, u), 0);
    assert_int_equal(u[0], utc(2026, 10, 3, 15, 30, 0));
    lt = (struct rt_tm){.year = 2026, .month = 4, .day = 5, .hour = 1, .minute = 45};
    assert_int_equal(rt_tz_from_local(tz, &lt, u), 2);
    assert_int_equal(u[0], utc(2026, 4, 4, 14, 45, 0));
    assert_int_equal(u[1], utc(2026, 4, 4, 15, 15, 0));
    rt_tz_free(tz);

    tz = load("Asia/Kolkata");
    assert_string_equal(local_str(tz, utc(2026, 6, 1, 0, 0, 0)),
                        "2026-06-01 05:30:00 IST 19800 dst=0");
    assert_string_equal(local_str(tz, utc(2100, 1, 1, 0, 0, 0)),
                        "2100-01-01 05:30:00 IST 19800 dst=0");
    assert_string_equal(local_str(tz, utc(1941, 9, 30, 18, 30, 0)),
                        "1941-10-01 01:00:00 +0630 23400 dst=1");
    rt_tz_free(tz);
}

static void test_from_local(void **state)
{
    (void)state;
    rt_tz *ny = load("America/New_York"), *ams = load("Europe/Amsterdam");
    int64_t u[2];
    struct rt_tm lt = {.year = 2026, .month = 3, .day = 8, .hour = 2, .minute = 30};
    assert_int_equal(rt_tz_from_local(ny, &lt, u), 0); /* in the gap */
    assert_int_equal(u[0], utc(2026, 3, 8, 7, 0, 0));  /* = 03:00 EDT, where the gap ends */
    lt.hour = 1, lt.minute = 59, lt.second = 59;
    assert_int_equal(rt_tz_from_local(ny, &lt, u), 1);
    assert_int_equal(u[0], utc(2026, 3, 8, 6, 59, 59));
    lt.hour = 3, lt.minute = 0, lt.second = 0;
    assert_int_equal(rt_tz_from_local(ny, &lt, u), 1);
    assert_int_equal(u[0], utc(2026, 3, 8, 7, 0, 0));
    lt = (struct rt_tm){.year = 2026, .month = 11, .day = 1, .hour = 1, .minute = 30};
    assert_int_equal(rt_tz_from_local(ny, &lt, u), 2);  /* in the fold */
    assert_int_equal(u[0], utc(2026, 11, 1, 5, 30, 0)); /* EDT */
    assert_int_equal(u[1], utc(2026, 11, 1, 6, 30, 0)); /* EST */
    /* Normalisation: month 13 and hour 24. */
    lt = (struct rt_tm){.year = 2025, .month = 13, .day = 1, .hour = 24};
    assert_int_equal(rt_tz_from_local(ny, &lt, u), 1);
    assert_int_equal(u[0], utc(2026, 1, 2, 5, 0, 0));

    lt = (struct rt_tm){.year = 2026, .month = 3, .day = 29, .hour = 2, .minute = 30};
    assert_int_equal(rt_tz_from_local(ams, &lt, u), 0);
    assert_int_equal(u[0], utc(2026, 3, 29, 1, 0, 0));
    lt = (struct rt_tm){.year = 2026, .month = 10, .day = 25, .hour = 2, .minute = 30};
    assert_int_equal(rt_tz_from_local(ams, &lt, u), 2);
    assert_int_equal(u[0], utc(2026, 10, 25, 0, 30, 0));
    assert_int_equal(u[1], utc(2026, 10, 25, 1, 30, 0));
    lt.hour = 3;
    assert_int_equal(rt_tz_from_local(ams, &lt, u), 1);
    assert_int_equal(u[0], utc(2026, 10, 25, 2, 30, 0));
    /* Far future, through the footer. */
    lt = (struct rt_tm){.year = 2100, .month = 10, .day = 31, .hour = 2, .minute = 30};
    assert_int_equal(rt_tz_from_local(ams, &lt, u), 2);
    assert_int_equal(u[0], utc(2100, 10, 31, 0, 30, 0));
    rt_tz_free(ny);
    rt_tz_free(ams);
}

static rt_tz *posix(const char *spec)
{
    rt_error err = {""};
    rt_tz *tz = rt_tz_posix(spec, &err);
    if (!tz)
        fail_msg("%s: %s", spec, err.msg);
    return tz;
}

static void test_posix_rules(void **state)
{
    (void)state;
    /* The footer rule against New York's full table (fat files list transitions to 2037). */
    rt_tz *rule = posix("EST5EDT,M3.2.0,M11.1.0"), *ny = load("America/New_York");
    for (int64_t t = utc(2008, 1, 1, 0, 0, 0); t < utc(2037, 1, 1, 0, 0, 0); t += 1800) {
        struct rt_tm a, b;
        rt_tz_to_local(rule, t, &a);
        rt_tz_to_local(ny, t, &b);
        if (a.utoff != b.utoff || a.isdst != b.isdst || strcmp(a.abbr, b.abbr) != 0)
            fail_msg("rule and table differ at %lld", (long long)t);
    }
    rt_tz_free(rule);
    rt_tz_free(ny);

    /* No rules given: the US rules. */
    rt_tz *tz = posix("EST5EDT");
    assert_string_equal(local_str(tz, utc(2026, 3, 8, 7, 0, 0)),
                        "2026-03-08 03:00:00 EDT -14400 dst=1");
    rt_tz_free(tz);

    /* Jn never counts February 29: J60 is March 1 even in leap years. n counts it: 59 is
     * February 29 in a leap year. Explicit DST offset, minutes in offsets. */
    tz = posix("AAA-1BBB-2:30,J60,J300");
    assert_string_equal(local_str(tz, utc(2024, 3, 1, 0, 59, 59)),
                        "2024-03-01 01:59:59 AAA 3600 dst=0");
    assert_string_equal(local_str(tz, utc(2024, 3, 1, 1, 0, 0)),
                        "2024-03-01 03:30:00 BBB 9000 dst=1");
    rt_tz_free(tz);
    tz = posix("AAA-1BBB,59,299");
    assert_string_equal(local_str(tz, utc(2024, 2, 29, 1, 0, 0)),
                        "2024-02-29 03:00:00 BBB 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2025, 3, 1, 1, 0, 0)),
                        "2025-03-01 03:00:00 BBB 7200 dst=1");
    assert_string_equal(local_str(tz, utc(2025, 2, 28, 23, 0, 0)),
                        "2025-03-01 00:00:00 AAA 3600 dst=0");
    rt_tz_free(tz);

    /* Negative rule time (America/Nuuk): -1:00 on the last Sunday of March is Saturday 23:00. */
    tz = posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    assert_string_equal(local_str(tz, utc(2026, 3, 29, 0, 59, 59)),
                        "2026-03-28 22:59:59 -02 -7200 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 3, 29, 1, 0, 0)),
                        "2026-03-29 00:00:00 -01 -3600 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 10, 25, 1, 0, 0)),
                        "2026-10-24 23:00:00 -02 -7200 dst=0");
    rt_tz_free(tz);

    /* Over 24 hours (Asia/Jerusalem): 26:00 on the 4th Thursday of March = Friday 02:00. */
    tz = posix("IST-2IDT,M3.4.4/26,M10.5.0");
    assert_string_equal(local_str(tz, utc(2026, 3, 26, 23, 59, 59)),
                        "2026-03-27 01:59:59 IST 7200 dst=0");
    assert_string_equal(local_str(tz, utc(2026, 3, 27, 0, 0, 0)),
                        "2026-03-27 03:00:00 IDT 10800 dst=1");
    rt_tz_free(tz);

    /* Southern hemisphere, quoted names, half-hour DST. */
    tz = posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    assert_string_equal(local_str(tz, utc(2026, 1, 1, 0, 0, 0)),
                        "2026-01-01 11:00:00 +11 39600 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 7, 1, 0, 0, 0)),
                        "2026-07-01 10:30:00 +1030 37800 dst=0");
    rt_tz_free(tz);

    /* DST all year (RFC 8536 section 3.3.1): no transition ever shows. */
    tz = posix("EST5EDT,0/0,J365/25");
    for (int y = 2020; y < 2030; y++) {
        assert_string_equal(local_str(tz, utc(y, 1, 1, 4, 0, 0)) + 20, "EDT -14400 dst=1");
        assert_string_equal(local_str(tz, utc(y, 12, 31, 4, 30, 0)) + 20, "EDT -14400 dst=1");
    }
    rt_tz_period p;
    rt_tz_period_at(tz, utc(2026, 6, 1, 0, 0, 0), &p);
    assert_int_equal(p.prev_utoff, p.utoff);
    rt_tz_free(tz);

    const char *bad[] = {"EST",
                         "E5",
                         "EST25",
                         "EST5EDT,M13.1.0,M11.1.0",
                         "EST5EDT,M3.2.0",
                         "<AB>5",
                         "EST5EDT,J0,J300",
                         "EST5EDT,M3.6.0,M11.1.0",
                         "EST5EDT,M3.2.7,M11.1.0",
                         "EST5x",
                         "EST5EDT,M3.2.0/168,M11.1.0",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rt_error err = {""};
        assert_null(rt_tz_posix(bad[i], &err));
        assert_non_null(strstr(err.msg, "invalid POSIX TZ string"));
    }
    rt_error err = {""};
    assert_null(rt_tz_posix("EST5EDT,M13.1.0,M11.1.0", &err));
    assert_string_equal(err.msg, "time zone 'EST5EDT,M13.1.0,M11.1.0': invalid POSIX TZ string "
                                 "'EST5EDT,M13.1.0,M11.1.0' at offset 9: month out of range 1-12");
}

/* ---- hand-made TZif files ---- */

typedef struct tzb {
    unsigned char d[1024];
    size_t n;
} tzb;

static void put(tzb *b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        b->d[b->n++] = (unsigned char)(v >> (8 * i));
}

static void header(tzb *b, char version, uint32_t leap, uint32_t time, uint32_t type,
                   uint32_t chars)
{
    memcpy(b->d + b->n, "TZif", 4);
    b->n += 4;
    b->d[b->n++] = (unsigned char)version;
    memset(b->d + b->n, 0, 15);
    b->n += 15;
    put(b, 0, 4); /* isutcnt */
    put(b, 0, 4); /* isstdcnt */
    put(b, leap, 4);
    put(b, time, 4);
    put(b, type, 4);
    put(b, chars, 4);
}

static void type(tzb *b, int32_t utoff, int isdst, int idx)
{
    put(b, (uint32_t)utoff, 4);
    b->d[b->n++] = (unsigned char)isdst;
    b->d[b->n++] = (unsigned char)idx;
}

static void str(tzb *b, const char *s, size_t n)
{
    memcpy(b->d + b->n, s, n);
    b->n += n;
}

/* Version 1: 32-bit times, no footer. AAA (+1h) until 1e9, BBB (+2h, DST) until 1.1e9. */
static void make_v1(tzb *b)
{
    b->n = 0;
    header(b, 0, 0, 2, 2, 8);
    put(b, 1000000000, 4);
    put(b, 1100000000, 4);
    b->d[b->n++] = 1;
    b->d[b->n++] = 0;
    type(b, 3600, 0, 0);
    type(b, 7200, 1, 4);
    str(b, "AAA\0BBB\0", 8);
}

/* Version 3: an empty 32-bit block, a 64-bit transition before 1901 (in winter, where the
 * footer agrees) and a footer using the v3 extension (hour 26). */
static void make_v3(tzb *b, const char *footer)
{
    b->n = 0;
    header(b, '3', 0, 0, 1, 4);
    type(b, 0, 0, 0);
    str(b, "LMT\0", 4);
    header(b, '3', 0, 1, 2, 8);
    put(b, (uint64_t)INT64_C(-4990000000), 8);
    b->d[b->n++] = 1;
    type(b, 8400, 0, 0);
    type(b, 7200, 0, 4);
    str(b, "LMT\0IST\0", 8);
    str(b, footer, strlen(footer));
}

static rt_tz *parse_ok(const tzb *b)
{
    rt_error err = {""};
    rt_tz *tz = rt_tz_parse("test", b->d, b->n, &err);
    if (!tz)
        fail_msg("%s", err.msg);
    return tz;
}

static void expect_parse_error(const tzb *b, size_t len, const char *msg)
{
    rt_error err = {""};
    assert_null(rt_tz_parse("test", b->d, len, &err));
    assert_string_equal(err.msg, msg);
}

static void test_tzif_versions(void **state)
{
    (void)state;
    tzb b;
    make_v1(&b);
    rt_tz *tz = parse_ok(&b);
    assert_string_equal(local_str(tz, 999999999), "2001-09-09 02:46:39 AAA 3600 dst=0");
    assert_string_equal(local_str(tz, 1000000000), "2001-09-09 03:46:40 BBB 7200 dst=1");
    assert_string_equal(local_str(tz, 1100000000), "2004-11-09 12:33:20 AAA 3600 dst=0");
    assert_string_equal(local_str(tz, utc(2300, 1, 1, 0, 0, 0)),
                        "2300-01-01 01:00:00 AAA 3600 dst=0");
    rt_tz_free(tz);

    make_v3(&b, "\nIST-2IDT,M3.4.4/26,M10.5.0\n");
    tz = parse_ok(&b);
    assert_string_equal(local_str(tz, INT64_C(-4990000001)), "1811-11-16 11:13:19 LMT 8400 dst=0");
    assert_string_equal(local_str(tz, INT64_C(-4990000000)), "1811-11-16 10:53:20 IST 7200 dst=0");
    assert_string_equal(local_str(tz, utc(1812, 7, 1, 0, 0, 0)),
                        "1812-07-01 03:00:00 IDT 10800 dst=1");
    assert_string_equal(local_str(tz, utc(2026, 3, 27, 0, 0, 0)),
                        "2026-03-27 03:00:00 IDT 10800 dst=1");
    rt_tz_free(tz);

    make_v3(&b, "\n\n"); /* version 2+ without a rule: the last type stays */
    tz = parse_ok(&b);
    assert_string_equal(local_str(tz, utc(2026, 7, 1, 0, 0, 0)),
                        "2026-07-01 02:00:00 IST 7200 dst=0");
    rt_tz_free(tz);
}

static void test_tzif_corrupt(void **state)
{
    (void)state;
    tzb b;
    make_v1(&b);
    expect_parse_error(&b, 10, "time zone 'test': not a TZif file");
    expect_parse_error(&b, b.n - 1, "time zone 'test': truncated");
    b.d[4] = '1';
    expect_parse_error(&b, b.n, "time zone 'test': unknown TZif version");
    make_v1(&b);
    b.d[44 + 8] = 2; /* type index */
    expect_parse_error(&b, b.n, "time zone 'test': transition type index out of range");
    make_v1(&b);
    b.d[44 + 4] = 0; /* second transition before the first */
    expect_parse_error(&b, b.n, "time zone 'test': transition times are not ascending");
    make_v1(&b);
    b.d[31] = 1; /* leapcnt; the data block then is too short, so shrink nothing: add a record */
    memset(b.d + b.n, 0, 8);
    expect_parse_error(
        &b, b.n + 8, "time zone 'test': zones with leap seconds (\"right/...\") are not supported");
    make_v1(&b);
    b.d[39] = 0; /* typecnt 0 */
    expect_parse_error(&b, b.n, "time zone 'test': time type count out of range");
    make_v1(&b);
    b.d[b.n - 1] = 'X'; /* abbreviation not terminated */
    expect_parse_error(&b, b.n, "time zone 'test': abbreviation is not NUL-terminated");
    make_v3(&b, "\nIST-2IDT,M3.4.4/26,M10.5.0");
    expect_parse_error(&b, b.n, "time zone 'test': missing or unterminated footer");
    make_v3(&b, "\nIST-2IDT,M3.4.4/26\n");
    expect_parse_error(&b, b.n,
                       "time zone 'test': invalid POSIX TZ string "
                       "'IST-2IDT,M3.4.4/26' at offset 18: expected ','");
    rt_error err = {""};
    assert_null(rt_tz_parse("test", NULL, 0, &err));
}

static void test_bad_names(void **state)
{
    (void)state;
    expect_load_error("../etc/passwd", "invalid time zone name '../etc/passwd': must not "
                                       "contain '..'");
    expect_load_error("Europe/../../etc/passwd",
                      "invalid time zone name "
                      "'Europe/../../etc/passwd': must not contain '..'");
    expect_load_error("/etc/localtime", "invalid time zone name '/etc/localtime': must be "
                                        "relative, like Europe/Amsterdam");
    expect_load_error("Europe/Amster dam",
                      "invalid time zone name 'Europe/Amster dam': "
                      "character ' ' is not allowed (only A-Z a-z 0-9 _ + - /)");
    expect_load_error("zone.tab", "invalid time zone name 'zone.tab': character '.' is not "
                                  "allowed (only A-Z a-z 0-9 _ + - /)");
    expect_load_error("UTC\n", "invalid time zone name: byte 0x0a at offset 3 is not allowed");
    expect_load_error("", "time zone name is empty");
    expect_load_error(NULL, "time zone name is empty");
    expect_load_error("Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons' (no such file "
                                           "in /usr/share/zoneinfo)");
    expect_load_error("Europe", "time zone 'Europe': not a regular file");
    /* Leap-second zones, where tzdata installs them. */
    if (access(RT_TZ_DIR "/right/UTC", R_OK) == 0)
        expect_load_error("right/UTC", "time zone 'right/UTC': zones with leap seconds "
                                       "(\"right/...\") are not supported");
    char longname[300];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    expect_load_error(longname, "time zone name is too long (299 bytes, at most 255)");
}

/* Every transition zdump (glibc) reports, 1850-2200, must agree with ours in both directions. */
static void test_against_zdump(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "America/New_York", "Europe/Amsterdam", "Australia/Lord_Howe", "Asia/Kolkata",
        "America/Nuuk",     "Asia/Jerusalem",   "Africa/Casablanca",   "Pacific/Apia",
        "Europe/Dublin",    "America/Santiago", "Antarctica/Troll",    "Asia/Tehran"};
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int lines = 0;
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        char cmd[256], line[512];
        snprintf(cmd, sizeof cmd, "zdump -v -c 1850,2200 %s 2>/dev/null", zones[z]);
        FILE *f = popen(cmd, "r");
        if (!f)
            skip();
        rt_tz *tz = load(zones[z]);
        while (fgets(line, sizeof line, f)) {
            char name[64], wd[4], mon[4], wd2[4], mon2[4], abbr[16];
            int d, H, M, S, Y, d2, H2, M2, S2, Y2, dst;
            long off;
            if (sscanf(line,
                       "%63s %3s %3s %d %d:%d:%d %d UT = %3s %3s %d %d:%d:%d %d %15s isdst=%d "
                       "gmtoff=%ld",
                       name, wd, mon, &d, &H, &M, &S, &Y, wd2, mon2, &d2, &H2, &M2, &S2, &Y2, abbr,
                       &dst, &off) != 18)
                continue;
            int mo = (int)(strstr(months, mon) - months) / 3 + 1;
            int mo2 = (int)(strstr(months, mon2) - months) / 3 + 1;
            int64_t t = utc(Y, mo, d, H, M, S);
            char want[128];
            snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d %s %ld dst=%d", Y2, mo2, d2,
                     H2, M2, S2, abbr, off, dst);
            if (strcmp(local_str(tz, t), want) != 0)
                fail_msg("%s at %lld: zdump %s, ours %s", zones[z], (long long)t, want,
                         local_str(tz, t));
            struct rt_tm tm;
            int64_t u[2];
            rt_tz_to_local(tz, t, &tm);
            int n = rt_tz_from_local(tz, &tm, u);
            if (n == 0 || (u[0] != t && u[1] != t))
                fail_msg("%s: %s does not map back to %lld", zones[z], want, (long long)t);
            lines++;
        }
        pclose(f);
        rt_tz_free(tz);
    }
    if (lines == 0)
        skip(); /* no zdump on this system */
    assert_true(lines > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_utc),
        cmocka_unit_test(test_amsterdam),
        cmocka_unit_test(test_new_york),
        cmocka_unit_test(test_lord_howe_and_kolkata),
        cmocka_unit_test(test_from_local),
        cmocka_unit_test(test_posix_rules),
        cmocka_unit_test(test_tzif_versions),
        cmocka_unit_test(test_tzif_corrupt),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_against_zdump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
