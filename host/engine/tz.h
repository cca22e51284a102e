/* host/engine/tz.h - IANA time zones read from TZif files, without the C library's TZ machinery.
 *
 * Why our own reader: localtime()/tzset() work on one process-global zone chosen through the TZ
 * environment variable, which is neither thread-safe to change nor able to hold one zone per
 * schedule. This module reads TZif files (RFC 8536, versions 1 to 4) itself and answers both
 * directions of the UTC <-> wall-clock mapping for any number of zones at once.
 *
 * Data used: the 64-bit data block of version 2+ files (the 32-bit block of version 1 files),
 * and, for instants after the last transition, the POSIX TZ string of the footer (for example
 * "EST5EDT,M3.2.0,M11.1.0"), including the RFC 8536 extensions (rule times from -167 to 167
 * hours). Zones with leap seconds ("right/...") are rejected: our instants are POSIX seconds.
 *
 * Threading: an rt_tz is immutable after loading; any number of threads may use one at once.
 * Instants are clamped to [RT_TZ_UTC_MIN, RT_TZ_UTC_MAX] (about 2.2 million years either way)
 * so that the calendar arithmetic cannot overflow.
 */
#ifndef RT_TZ_H
#define RT_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_layer.h"

#define RT_TZ_DIR      "/usr/share/zoneinfo"
#define RT_TZ_NAME_MAX 255 /* longest accepted zone name, in bytes */
#define RT_TZ_ABBR_MAX 15  /* longest abbreviation kept ("CEST", "+1030"); longer ones are cut */
#define RT_TZ_UTC_MAX  (INT64_C(1) << 46)
#define RT_TZ_UTC_MIN  (-RT_TZ_UTC_MAX)

typedef struct rt_tz rt_tz;

/* A wall-clock time in some zone. rt_tz_from_local() reads only year..second. */
struct rt_tm {
    int year;      /* proleptic Gregorian, astronomical numbering (0 = 1 BC) */
    int month;     /* 1-12 */
    int day;       /* 1-31 */
    int hour;      /* 0-23 */
    int minute;    /* 0-59 */
    int second;    /* 0-59 */
    int wday;      /* 0-6, 0 = Sunday */
    int yday;      /* 0-365, 0 = January 1 */
    int32_t utoff; /* seconds east of UTC: local = UTC + utoff */
    int isdst;
    char abbr[RT_TZ_ABBR_MAX + 1];
};

/* The stretch of time around an instant during which a zone's offset, DST flag and abbreviation
 * stay the same. Used by the cron engine to walk a zone transition by transition. */
typedef struct rt_tz_period {
    int64_t start;      /* first instant of the period; INT64_MIN when it has no start */
    int64_t end;        /* first instant after the period; INT64_MAX when it has no end */
    int32_t utoff;      /* offset during the period */
    int32_t prev_utoff; /* offset just before `start`; equals utoff when nothing changed there */
    int isdst;
    const char *abbr; /* owned by the rt_tz */
} rt_tz_period;

/* Load zone `name` ("Europe/Amsterdam") from RT_TZ_DIR. Names must be relative, without "..",
 * made of [A-Za-z0-9_+-/]. "UTC" and "Etc/UTC" are built in and need no file. Returns a zone the
 * caller frees with rt_tz_free(), or NULL with the reason in err. */
rt_tz *rt_tz_load(const char *name, rt_error *err);

/* As rt_tz_load(), from another zoneinfo directory (tests, unusual installations). */
rt_tz *rt_tz_load_dir(const char *dir, const char *name, rt_error *err);

/* Parse TZif bytes already in memory; `name` is only used for rt_tz_name() and messages. */
rt_tz *rt_tz_parse(const char *name, const unsigned char *data, size_t len, rt_error *err);

/* A zone described by a POSIX TZ string alone ("CET-1CEST,M3.5.0,M10.5.0/3"). A zone with DST
 * but no rules gets the US rules (",M3.2.0,M11.1.0"), as the tz reference code does. */
rt_tz *rt_tz_posix(const char *spec, rt_error *err);

/* The built-in UTC zone; never fails. */
rt_tz *rt_tz_utc(void);

void rt_tz_free(rt_tz *tz);

/* The name the zone was loaded under; owned by tz. */
const char *rt_tz_name(const rt_tz *tz);

/* UTC seconds -> local broken-down time, offset, DST flag and abbreviation. */
void rt_tz_to_local(const rt_tz *tz, int64_t utc, struct rt_tm *out);

/* Local wall time -> the UTC instants it denotes, ascending. Returns 0 when the wall time falls
 * in a gap (clocks jumped forward over it; utc_out[0] is then the instant the gap ends, i.e. the
 * first instant after it), 1 normally, and 2 in a fold (clocks went back; both instants are
 * given). Out-of-range fields are normalised arithmetically (month 13 = January of the next
 * year, hour 24 = midnight of the next day). Pathological zones with a wall time occurring more
 * than twice yield the first two. */
int rt_tz_from_local(const rt_tz *tz, const struct rt_tm *local, int64_t utc_out[2]);

/* The period containing `utc` (see rt_tz_period). */
void rt_tz_period_at(const rt_tz *tz, int64_t utc, rt_tz_period *out);

/* Proleptic Gregorian calendar helpers, independent of the C library and of any zone. */
int64_t rt_tz_days_from_civil(int64_t year, int month, int day); /* days since 1970-01-01 */
void rt_tz_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
int rt_tz_days_in_month(int64_t year, int month);
int rt_tz_weekday(int64_t days); /* 0 = Sunday */

#endif
