/*
 * tests/fuzz/fuzz_cron.c - cron expressions (host/engine/cron.c) and POSIX TZ strings: parse,
 * check that the canonical form parses to the same schedule, and compute a few fire times in
 * UTC and in the zone. Input: the expression, optionally FUZZ_SEP and a POSIX TZ string.
 */
#include <string.h>

#include "engine/cron.h"
#include "engine/tz.h"
#include "fuzz_common.h"

static void fire_times(const rt_cron *c, const rt_tz *tz, int64_t from, int64_t out[4])
{
    int64_t t = from;
    for (int i = 0; i < 4; i++) {
        rt_error err = {{0}};
        int64_t next = 0;
        ratchet_status rc = rt_cron_next(c, tz, t, &next, &err);
        out[i] = rc == RATCHET_OK ? next : INT64_MIN;
        if (rc != RATCHET_OK) {
            FUZZ_CHECK(err.msg[0] != '\0');
            break;
        }
        FUZZ_CHECK(next > t); /* strictly after */
        t = next;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    fuzz_fields ff;
    fuzz_split(data, size, 2, &ff);
    rt_error err = {{0}};
    rt_tz *zone = NULL;
    if (ff.n > 1) {
        zone = rt_tz_posix(ff.f[1], &err);
        if (!zone)
            FUZZ_CHECK(err.msg[0] != '\0');
    }
    rt_tz *utc = rt_tz_utc();
    memset(&err, 0, sizeof err);
    rt_cron *c = rt_cron_parse(ff.f[0], &err);
    if (c) {
        const char *canon = rt_cron_canonical(c);
        FUZZ_CHECK(canon != NULL);
        rt_error err2 = {{0}};
        rt_cron *again = rt_cron_parse(canon, &err2);
        if (!again)
            fuzz_check_failed(err2.msg, __FILE__, __LINE__); /* the canonical form must parse */
        FUZZ_CHECK(strcmp(rt_cron_canonical(again), canon) == 0);
        static const int64_t starts[] = {0, 1700000000, 4102444799};
        for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
            int64_t a[4] = {0, 0, 0, 0}, b[4] = {0, 0, 0, 0};
            fire_times(c, utc, starts[i], a);
            fire_times(again, utc, starts[i], b);
            FUZZ_CHECK(memcmp(a, b, sizeof a) == 0); /* same schedule */
            if (zone)
                fire_times(c, zone, starts[i], a);
        }
        rt_cron_free(again);
        rt_cron_free(c);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    rt_tz_free(zone);
    rt_tz_free(utc);
    fuzz_fields_free(&ff);
    return 0;
}
