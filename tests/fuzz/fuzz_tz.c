/*
 * tests/fuzz/fuzz_tz.c - TZif files (host/engine/tz.c): parse the bytes as a zone, then convert
 * instants both ways across its range and check the answers hold together. When the input does
 * not start with "TZif" it is also read as a POSIX TZ string.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/tz.h"
#include "fuzz_common.h"

static void exercise(const rt_tz *tz)
{
    static const int64_t instants[] = {-67768040609740800LL /
                                           1000, /* far past, still within int years */
                                       -2208988800LL,
                                       -1,
                                       0,
                                       1,
                                       951782400,
                                       1700000000,
                                       2147483647,
                                       2147483648LL,
                                       4102444800LL,
                                       253402300799LL};
    for (size_t i = 0; i < sizeof instants / sizeof *instants; i++) {
        struct rt_tm tm;
        rt_tz_to_local(tz, instants[i], &tm);
        FUZZ_CHECK(tm.month >= 1 && tm.month <= 12 && tm.day >= 1 && tm.day <= 31);
        FUZZ_CHECK(tm.hour >= 0 && tm.hour <= 23 && tm.minute >= 0 && tm.minute <= 59);
        FUZZ_CHECK(tm.second >= 0 && tm.second <= 59);
        FUZZ_CHECK(memchr(tm.abbr, '\0', sizeof tm.abbr) != NULL);
        rt_tz_period p;
        rt_tz_period_at(tz, instants[i], &p);
        FUZZ_CHECK(p.abbr != NULL);
        FUZZ_CHECK(p.start <= instants[i] && instants[i] < p.end);
        int64_t back[2] = {0, 0};
        int n = rt_tz_from_local(tz, &tm, back);
        FUZZ_CHECK(n >= 0 && n <= 2);
        /* the wall time of an instant denotes that instant (unless the zone is so odd that
         * the same wall time comes round more than twice) */
        if (n == 1)
            FUZZ_CHECK(back[0] == instants[i]);
        if (n == 2)
            FUZZ_CHECK(back[0] <= back[1]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rt_error err = {{0}};
    rt_tz *tz = rt_tz_parse("Fuzz/Zone", data, size, &err);
    if (tz) {
        FUZZ_CHECK(strcmp(rt_tz_name(tz), "Fuzz/Zone") == 0);
        exercise(tz);
        rt_tz_free(tz);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    if (size < 4 || memcmp(data, "TZif", 4) != 0) {
        char *spec = fuzz_strndup(data, size < 256 ? size : 256);
        memset(&err, 0, sizeof err);
        tz = rt_tz_posix(spec, &err);
        if (tz) {
            exercise(tz);
            rt_tz_free(tz);
        } else {
            FUZZ_CHECK(err.msg[0] != '\0');
        }
        free(spec);
    }
    return 0;
}
