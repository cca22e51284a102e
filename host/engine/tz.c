/* host/engine/tz.c - TZif reader, POSIX TZ rules and civil-date arithmetic (see tz.h).
 *
 * Format facts follow RFC 8536 ("The Time Zone Information Format (TZif)") and POSIX.1 section
 * 8.3 (the TZ variable); no code is taken from the tz reference implementation. */
#include "tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bounds on external data: real files are a few KB with < 2000 transitions and < 20 types. */
#define TZ_FILE_MAX   (256 * 1024)
#define TZ_TRANS_MAX  65536
#define TZ_TYPES_MAX  256 /* type indices are one byte */
#define TZ_CHARS_MAX  2048
#define TZ_LEAPS_MAX  1024
#define TZ_FOOTER_MAX 255
#define TZ_HDR_SIZE   44
/* RFC 8536 recommends offsets within (-25h, +26h); anything beyond is corrupt. */
#define TZ_UTOFF_MIN (-89999)
#define TZ_UTOFF_MAX 93599

typedef struct tz_type {
    int32_t utoff;
    int isdst;
    char abbr[RT_TZ_ABBR_MAX + 1];
} tz_type;

/* One POSIX transition date: Jn (1-365, February 29 never counted), n (0-365, counted) or
 * Mm.w.d (day d of week w of month m, week 5 = the last), plus a local time of day. */
typedef struct tz_rule {
    char kind; /* 'J', 'D' or 'M' */
    int n, month, week, wday;
    int32_t time; /* seconds after local midnight, may be negative or beyond 24h */
} tz_rule;

typedef struct tz_posix {
    tz_type std, dst;
    bool has_dst;
    tz_rule start, end; /* start is in standard local time, end in DST local time */
} tz_posix;

struct rt_tz {
    char name[RT_TZ_NAME_MAX + 1];
    size_t ntrans;
    int64_t *trans;      /* ascending UTC instants */
    uint8_t *trans_type; /* index into types, per transition */
    size_t ntypes;
    tz_type *types; /* types[0] applies before the first transition */
    bool has_footer;
    tz_posix footer; /* applies from the last transition on */
};

/* ---- civil calendar (days since 1970-01-01, proleptic Gregorian) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t rt_tz_days_from_civil(int64_t year, int month, int day)
{
    /* Count from March 1 so that the leap day is the last day of the counted year. */
    int64_t y = year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = month > 2 ? month - 3 : month + 9;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rt_tz_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rt_tz_days_in_month(int64_t year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return len[month - 1] + (month == 2 && is_leap(year));
}

int rt_tz_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday. */
    int64_t w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int64_t clamp_utc(int64_t t)
{
    return t < RT_TZ_UTC_MIN ? RT_TZ_UTC_MIN : t > RT_TZ_UTC_MAX ? RT_TZ_UTC_MAX : t;
}

/* ---- POSIX TZ strings ---- */

typedef struct px {
    const char *p;
    const char *why; /* set on failure */
} px;

static bool px_fail(px *x, const char *why)
{
    x->why = why;
    return false;
}

static bool px_fail_at(px *x, const char *at, const char *why)
{
    x->p = at;
    return px_fail(x, why);
}

static bool px_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

static bool px_isalpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Up to `maxdigits` decimal digits, at least one. */
static bool px_num(px *x, int maxdigits, int *out)
{
    int v = 0, n = 0;
    while (px_isdigit(*x->p) && n < maxdigits) {
        v = v * 10 + (*x->p - '0');
        x->p++;
        n++;
    }
    if (n == 0)
        return px_fail(x, "expected a number");
    if (px_isdigit(*x->p))
        return px_fail(x, "number too long");
    *out = v;
    return true;
}

/* An abbreviation: three or more letters, or <...> quoting letters, digits, '+' and '-'. */
static bool px_name(px *x, char out[RT_TZ_ABBR_MAX + 1])
{
    const char *s = x->p, *e;
    if (*s == '<') {
        e = ++s;
        while (px_isalpha(*e) || px_isdigit(*e) || *e == '+' || *e == '-')
            e++;
        if (*e != '>')
            return px_fail(x, "unterminated or invalid <...> abbreviation");
        x->p = e + 1;
    } else {
        e = s;
        while (px_isalpha(*e))
            e++;
        x->p = e;
    }
    size_t len = (size_t)(e - s);
    if (len < 3)
        return px_fail(x, "abbreviation shorter than 3 characters");
    if (len > RT_TZ_ABBR_MAX)
        return px_fail(x, "abbreviation longer than 15 characters");
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours. */
static bool px_hms(px *x, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (*x->p == '+' || *x->p == '-')
        sign = *x->p++ == '-' ? -1 : 1;
    if (!px_num(x, 3, &h))
        return false;
    if (h > max_hours)
        return px_fail(x, "hours out of range");
    if (*x->p == ':') {
        x->p++;
        if (!px_num(x, 2, &m) || m > 59)
            return px_fail(x, "minutes out of range");
        if (*x->p == ':') {
            x->p++;
            if (!px_num(x, 2, &s) || s > 59)
                return px_fail(x, "seconds out of range");
        }
    }
    *out = (int32_t)(sign * (h * 3600 + m * 60 + s));
    return true;
}

static bool px_expect(px *x, char c)
{
    if (*x->p != c) {
        static const char *const msgs[] = {"expected '.'", "expected ','"};
        return px_fail(x, msgs[c == ',']);
    }
    x->p++;
    return true;
}

static bool px_rule(px *x, tz_rule *r)
{
    const char *at; /* where a number starts, so that a range error points at it */
    memset(r, 0, sizeof *r);
    if (*x->p == 'J') {
        at = ++x->p;
        r->kind = 'J';
        if (!px_num(x, 3, &r->n) || r->n < 1 || r->n > 365)
            return px_fail_at(x, at, "Julian day out of range 1-365");
    } else if (*x->p == 'M') {
        at = ++x->p;
        r->kind = 'M';
        if (!px_num(x, 2, &r->month) || r->month < 1 || r->month > 12)
            return px_fail_at(x, at, "month out of range 1-12");
        if (!px_expect(x, '.'))
            return false;
        at = x->p;
        if (!px_num(x, 1, &r->week) || r->week < 1 || r->week > 5)
            return px_fail_at(x, at, "week out of range 1-5");
        if (!px_expect(x, '.'))
            return false;
        at = x->p;
        if (!px_num(x, 1, &r->wday) || r->wday > 6)
            return px_fail_at(x, at, "weekday out of range 0-6");
    } else {
        at = x->p;
        r->kind = 'D';
        if (!px_num(x, 3, &r->n) || r->n > 365)
            return px_fail_at(x, at, "day out of range 0-365");
    }
    r->time = 2 * 3600;
    if (*x->p == '/') {
        x->p++;
        /* RFC 8536 extends POSIX (0-24h) to -167..167 hours. */
        if (!px_hms(x, 167, &r->time))
            return false;
    }
    return true;
}

static bool posix_parse(const char *spec, tz_posix *z, rt_error *err, const char *zone)
{
    px x = {spec, NULL};
    int32_t off = 0;
    memset(z, 0, sizeof *z);
    bool ok = px_name(&x, z->std.abbr) && px_hms(&x, 24, &off);
    if (ok) {
        z->std.utoff = -off; /* POSIX offsets count west of Greenwich */
        z->dst = z->std;
        if (*x.p != '\0' && *x.p != ',') {
            z->has_dst = true;
            z->dst.isdst = 1;
            z->dst.utoff = z->std.utoff + 3600;
            ok = px_name(&x, z->dst.abbr);
            if (ok && *x.p != '\0' && *x.p != ',' && (ok = px_hms(&x, 24, &off)))
                z->dst.utoff = -off;
        }
    }
    if (ok && z->has_dst) {
        if (*x.p == ',') {
            x.p++;
            ok = px_rule(&x, &z->start) && px_expect(&x, ',') && px_rule(&x, &z->end);
        } else {
            /* No rules: the tz reference code's default, the US rules since 2007. */
            z->start = (tz_rule){'M', 0, 3, 2, 0, 7200};
            z->end = (tz_rule){'M', 0, 11, 1, 0, 7200};
        }
    }
    if (ok && *x.p != '\0')
        ok = px_fail(&x, "unexpected trailing characters");
    if (!ok)
        rt_fail(err, "time zone '%s': invalid POSIX TZ string '%s' at offset %d: %s", zone, spec,
                (int)(x.p - spec), x.why ? x.why : "syntax error");
    return ok;
}

/* Days since the epoch of the local date on which rule r takes effect in year y. */
static int64_t rule_day(const tz_rule *r, int64_t y)
{
    int64_t jan1 = rt_tz_days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
    if (r->kind == 'D')
        return jan1 + r->n;
    int64_t first = rt_tz_days_from_civil(y, r->month, 1);
    int day = 1 + (r->wday - rt_tz_weekday(first) + 7) % 7 + 7 * (r->week - 1);
    while (day > rt_tz_days_in_month(y, r->month))
        day -= 7;
    return first + day - 1;
}

static void set_period(rt_tz_period *p, const tz_type *t, int64_t start, int64_t end, int32_t prev)
{
    p->start = start;
    p->end = end;
    p->utoff = t->utoff;
    p->prev_utoff = prev;
    p->isdst = t->isdst;
    p->abbr = t->abbr;
}

/* The period of a POSIX rule zone around t. Transitions are generated for the five years
 * around t (rule times up to +-167h can push one across a year boundary), merged where two fall
 * on the same instant (the "DST all year" encoding ends DST exactly when it restarts), and
 * stripped of non-changes. When no change is found nearby, the window edges serve as harmless
 * boundaries at which nothing changes. */
static void posix_period(const tz_posix *z, int64_t t, rt_tz_period *p)
{
    if (!z->has_dst) {
        set_period(p, &z->std, INT64_MIN, INT64_MAX, z->std.utoff);
        return;
    }
    int64_t y;
    int m, d;
    rt_tz_civil_from_days(floor_div(t, 86400), &y, &m, &d);
    struct {
        int64_t at;
        int dst;
    } ev[10], tmp;
    int n = 0;
    for (int k = -2; k <= 2; k++) {
        ev[n].at = rule_day(&z->start, y + k) * 86400 + z->start.time - z->std.utoff;
        ev[n++].dst = 1;
        ev[n].at = rule_day(&z->end, y + k) * 86400 + z->end.time - z->dst.utoff;
        ev[n++].dst = 0;
    }
    for (int i = 1; i < n; i++) /* stable insertion sort: ties keep year order */
        for (int j = i; j > 0 && ev[j - 1].at > ev[j].at; j--) {
            tmp = ev[j];
            ev[j] = ev[j - 1];
            ev[j - 1] = tmp;
        }
    int64_t first_at = ev[0].at, last_at = ev[n - 1].at;
    int k = 0;
    for (int i = 0; i < n; i++) { /* merge equal instants (the later event wins), drop no-ops */
        if (k > 0 && ev[k - 1].at == ev[i].at)
            k--;
        if (k > 0 && ev[k - 1].dst == ev[i].dst)
            continue;
        ev[k++] = ev[i];
    }
    n = k;
    int cur = 0; /* ev[0] is the first raw event, in year y - 2, so before t */
    for (int i = 1; i < n && ev[i].at <= t; i++)
        cur = i;
    const tz_type *ty = ev[cur].dst ? &z->dst : &z->std;
    int64_t end = cur + 1 < n ? ev[cur + 1].at : last_at;
    if (cur == 0)
        set_period(p, ty, first_at, end, ty->utoff);
    else
        set_period(p, ty, ev[cur].at, end, (ev[cur].dst ? z->std : z->dst).utoff);
}

/* ---- lookups ---- */

void rt_tz_period_at(const rt_tz *tz, int64_t utc, rt_tz_period *p)
{
    utc = clamp_utc(utc);
    if (tz->ntrans == 0 || utc < tz->trans[0]) {
        if (tz->ntrans == 0 && tz->has_footer)
            posix_period(&tz->footer, utc, p);
        else
            set_period(p, &tz->types[0], INT64_MIN, tz->ntrans ? tz->trans[0] : INT64_MAX,
                       tz->types[0].utoff);
        return;
    }
    size_t lo = 0, hi = tz->ntrans; /* find the last transition <= utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->trans[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    int32_t prev = lo > 0 ? tz->types[tz->trans_type[lo - 1]].utoff : tz->types[0].utoff;
    if (lo + 1 == tz->ntrans && tz->has_footer) {
        posix_period(&tz->footer, utc, p);
        if (p->start < tz->trans[lo]) {
            p->start = tz->trans[lo];
            p->prev_utoff = prev;
        }
        return;
    }
    set_period(p, &tz->types[tz->trans_type[lo]], tz->trans[lo],
               lo + 1 < tz->ntrans ? tz->trans[lo + 1] : INT64_MAX, prev);
}

void rt_tz_to_local(const rt_tz *tz, int64_t utc, struct rt_tm *out)
{
    rt_tz_period p;
    utc = clamp_utc(utc);
    rt_tz_period_at(tz, utc, &p);
    int64_t local = utc + p.utoff;
    int64_t days = floor_div(local, 86400), sod = local - days * 86400, y;
    memset(out, 0, sizeof *out);
    rt_tz_civil_from_days(days, &y, &out->month, &out->day);
    out->year = (int)y;
    out->hour = (int)(sod / 3600);
    out->minute = (int)(sod / 60 % 60);
    out->second = (int)(sod % 60);
    out->wday = rt_tz_weekday(days);
    out->yday = (int)(days - rt_tz_days_from_civil(y, 1, 1));
    out->utoff = p.utoff;
    out->isdst = p.isdst;
    snprintf(out->abbr, sizeof out->abbr, "%s", p.abbr);
}

int rt_tz_from_local(const rt_tz *tz, const struct rt_tm *local, int64_t utc_out[2])
{
    /* Normalise the month arithmetically, then count days and seconds linearly. */
    int64_t mon0 = (int64_t)local->month - 1;
    int64_t y = (int64_t)local->year + floor_div(mon0, 12);
    int month = (int)(mon0 - floor_div(mon0, 12) * 12) + 1;
    int64_t L = (rt_tz_days_from_civil(y, month, 1) + local->day - 1) * 86400 +
                (int64_t)local->hour * 3600 + (int64_t)local->minute * 60 + local->second;
    L = clamp_utc(L);

    /* Every solution t satisfies t + utoff(t) == L with utoff(t) one of the zone's offsets, so
     * testing t = L - o for each distinct offset o finds them all. */
    int32_t offs[TZ_TYPES_MAX + 2] = {0};
    size_t noffs = 0;
    for (size_t i = 0; i < tz->ntypes + 2; i++) {
        int32_t o;
        if (i < tz->ntypes)
            o = tz->types[i].utoff;
        else if (tz->has_footer)
            o = i == tz->ntypes ? tz->footer.std.utoff : tz->footer.dst.utoff;
        else
            break;
        size_t j = 0;
        while (j < noffs && offs[j] != o)
            j++;
        if (j == noffs)
            offs[noffs++] = o;
    }
    int64_t sol[TZ_TYPES_MAX + 2];
    size_t n = 0;
    for (size_t i = 0; i < noffs; i++) {
        rt_tz_period p;
        rt_tz_period_at(tz, L - offs[i], &p);
        if (p.utoff == offs[i]) {
            size_t j = n++;
            for (; j > 0 && sol[j - 1] > L - offs[i]; j--)
                sol[j] = sol[j - 1];
            sol[j] = L - offs[i];
        }
    }
    if (n > 0) {
        utc_out[0] = sol[0];
        utc_out[1] = n > 1 ? sol[1] : sol[0];
        return n > 1 ? 2 : 1;
    }
    /* A gap: find the transition s that jumped over L (s + before <= L < s + after). Offsets
     * stay within +-26h, so it lies within two days of L. */
    utc_out[0] = utc_out[1] = L;
    int64_t t = L - 2 * 86400;
    for (int guard = 0; guard < 64 && t <= L + 2 * 86400; guard++) {
        rt_tz_period p;
        rt_tz_period_at(tz, t, &p);
        if (p.start != INT64_MIN && p.start + p.prev_utoff <= L && L < p.start + p.utoff) {
            utc_out[0] = utc_out[1] = p.start;
            break;
        }
        if (p.end == INT64_MAX || p.end <= t)
            break;
        t = p.end;
    }
    return 0;
}

/* ---- TZif ---- */

typedef struct tzif_hdr {
    unsigned char version; /* 0 for version 1, else '2', '3', '4', ... */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_hdr;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    /* Two's complement reinterpretation without implementation-defined conversion. */
    return v > INT64_MAX ? -(int64_t)(~v) - 1 : (int64_t)v;
}

static int32_t be32s(const unsigned char *p)
{
    uint32_t v = be32(p);
    return v > INT32_MAX ? -(int32_t)(~v) - 1 : (int32_t)v;
}

static const char *tzif_header(const unsigned char *d, size_t len, tzif_hdr *h)
{
    if (len < TZ_HDR_SIZE || memcmp(d, "TZif", 4) != 0)
        return "not a TZif file";
    h->version = d[4];
    if (h->version != 0 && h->version < '2')
        return "unknown TZif version";
    h->isutcnt = be32(d + 20);
    h->isstdcnt = be32(d + 24);
    h->leapcnt = be32(d + 28);
    h->timecnt = be32(d + 32);
    h->typecnt = be32(d + 36);
    h->charcnt = be32(d + 40);
    if (h->typecnt == 0 || h->typecnt > TZ_TYPES_MAX)
        return "time type count out of range";
    if (h->charcnt == 0 || h->charcnt > TZ_CHARS_MAX)
        return "abbreviation table size out of range";
    if (h->timecnt > TZ_TRANS_MAX)
        return "too many transitions";
    if (h->leapcnt > TZ_LEAPS_MAX)
        return "too many leap-second records";
    if ((h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
        return "inconsistent indicator counts";
    return NULL;
}

/* Bytes of a data block; the header bounds keep this far from overflow. */
static size_t tzif_block_size(const tzif_hdr *h, size_t tsize)
{
    return h->timecnt * tsize + h->timecnt + h->typecnt * 6 + h->charcnt +
           h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static const char *tzif_block(rt_tz *tz, const tzif_hdr *h, const unsigned char *d, size_t tsize)
{
    if (h->leapcnt != 0)
        return "zones with leap seconds (\"right/...\") are not supported";
    tz->ntrans = h->timecnt;
    tz->ntypes = h->typecnt;
    tz->trans = calloc(h->timecnt ? h->timecnt : 1, sizeof *tz->trans);
    tz->trans_type = calloc(h->timecnt ? h->timecnt : 1, 1);
    tz->types = calloc(h->typecnt, sizeof *tz->types);
    if (!tz->trans || !tz->trans_type || !tz->types)
        return "out of memory";
    for (size_t i = 0; i < h->timecnt; i++, d += tsize) {
        tz->trans[i] = tsize == 8 ? be64(d) : be32s(d);
        if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
            return "transition times are not ascending";
    }
    for (size_t i = 0; i < h->timecnt; i++, d++) {
        if (*d >= h->typecnt)
            return "transition type index out of range";
        tz->trans_type[i] = *d;
    }
    const unsigned char *chars = d + h->typecnt * 6;
    for (size_t i = 0; i < h->typecnt; i++, d += 6) {
        tz_type *t = &tz->types[i];
        t->utoff = be32s(d);
        if (t->utoff < TZ_UTOFF_MIN || t->utoff > TZ_UTOFF_MAX)
            return "UT offset out of range";
        if (d[4] > 1)
            return "DST flag is neither 0 nor 1";
        t->isdst = d[4];
        if (d[5] >= h->charcnt)
            return "abbreviation index out of range";
        const char *a = (const char *)chars + d[5];
        size_t alen = strnlen(a, h->charcnt - d[5]);
        if (alen == h->charcnt - d[5])
            return "abbreviation is not NUL-terminated";
        if (alen > RT_TZ_ABBR_MAX)
            alen = RT_TZ_ABBR_MAX; /* documented truncation; real ones are <= 6 */
        memcpy(t->abbr, a, alen);
        t->abbr[alen] = '\0';
    }
    return NULL;
}

static rt_tz *tz_new(const char *name)
{
    rt_tz *tz = calloc(1, sizeof *tz);
    if (tz)
        snprintf(tz->name, sizeof tz->name, "%s", name ? name : "");
    return tz;
}

static rt_tz *tz_bad(rt_tz *tz, rt_error *err, const char *name, const char *why)
{
    rt_fail(err, "time zone '%s': %s", name, why);
    rt_tz_free(tz);
    return NULL;
}

rt_tz *rt_tz_parse(const char *name, const unsigned char *data, size_t len, rt_error *err)
{
    tzif_hdr h;
    const char *why;
    if (!name)
        name = "";
    if (!data)
        return tz_bad(NULL, err, name, "no data");
    if ((why = tzif_header(data, len, &h)))
        return tz_bad(NULL, err, name, why);
    size_t off = TZ_HDR_SIZE, tsize = 4;
    if (h.version != 0) {
        /* Skip the 32-bit block; the 64-bit one after the second header supersedes it. */
        off += tzif_block_size(&h, 4);
        if (off > len || (why = tzif_header(data + off, len - off, &h)))
            return tz_bad(NULL, err, name, off > len ? "truncated" : why);
        off += TZ_HDR_SIZE;
        tsize = 8;
    }
    size_t bsize = tzif_block_size(&h, tsize);
    if (bsize > len - off)
        return tz_bad(NULL, err, name, "truncated");
    rt_tz *tz = tz_new(name);
    if (!tz)
        return tz_bad(NULL, err, name, "out of memory");
    if ((why = tzif_block(tz, &h, data + off, tsize)))
        return tz_bad(tz, err, name, why);
    off += bsize;
    if (tsize == 8) {
        /* Footer: "\n" POSIX-TZ-string "\n"; an empty string means "no rule". */
        const unsigned char *nl = off < len ? memchr(data + off + 1, '\n', len - off - 1) : NULL;
        if (off >= len || data[off] != '\n' || !nl)
            return tz_bad(tz, err, name, "missing or unterminated footer");
        size_t flen = (size_t)(nl - (data + off + 1));
        if (flen > TZ_FOOTER_MAX)
            return tz_bad(tz, err, name, "footer too long");
        if (flen > 0) {
            char spec[TZ_FOOTER_MAX + 1];
            memcpy(spec, data + off + 1, flen);
            spec[flen] = '\0';
            if (strlen(spec) != flen || !posix_parse(spec, &tz->footer, err, name)) {
                if (strlen(spec) != flen)
                    rt_fail(err, "time zone '%s': NUL byte in footer", name);
                rt_tz_free(tz);
                return NULL;
            }
            tz->has_footer = true;
        }
    }
    return tz;
}

rt_tz *rt_tz_posix(const char *spec, rt_error *err)
{
    if (!spec || strlen(spec) > TZ_FOOTER_MAX) {
        rt_fail(err, "POSIX TZ string is missing or longer than %d bytes", TZ_FOOTER_MAX);
        return NULL;
    }
    rt_tz *tz = tz_new(spec);
    if (!tz)
        return tz_bad(NULL, err, spec, "out of memory");
    tz->types = calloc(1, sizeof *tz->types);
    if (!tz->types)
        return tz_bad(tz, err, spec, "out of memory");
    if (!posix_parse(spec, &tz->footer, err, spec)) {
        rt_tz_free(tz);
        return NULL;
    }
    tz->ntypes = 1;
    tz->types[0] = tz->footer.std;
    tz->has_footer = true;
    return tz;
}

rt_tz *rt_tz_utc(void)
{
    rt_tz *tz = tz_new("UTC");
    if (tz && !(tz->types = calloc(1, sizeof *tz->types))) {
        free(tz);
        return NULL;
    }
    if (tz) {
        tz->ntypes = 1;
        snprintf(tz->types[0].abbr, sizeof tz->types[0].abbr, "UTC");
    }
    return tz;
}

void rt_tz_free(rt_tz *tz)
{
    if (!tz)
        return;
    free(tz->trans);
    free(tz->trans_type);
    free(tz->types);
    free(tz);
}

const char *rt_tz_name(const rt_tz *tz)
{
    return tz->name;
}

/* Zone names come from users (schedule definitions): keep them to relative paths of the
 * characters tz names use, so that a name can never reach outside the zoneinfo directory. */
static bool tz_name_ok(const char *name, rt_error *err)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0) {
        rt_fail(err, "time zone name is empty");
        return false;
    }
    if (len > RT_TZ_NAME_MAX) {
        rt_fail(err, "time zone name is too long (%zu bytes, at most %d)", len, RT_TZ_NAME_MAX);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '+' || c == '-' || c == '/')
            continue;
        if (c == '.' && name[i + 1] == '.')
            rt_fail(err, "invalid time zone name '%s': must not contain '..'", name);
        else if (c < 0x20 || c >= 0x7f) /* not echoed: it could garble a log line */
            rt_fail(err, "invalid time zone name: byte 0x%02x at offset %zu is not allowed", c, i);
        else
            rt_fail(err,
                    "invalid time zone name '%s': character '%c' is not allowed "
                    "(only A-Z a-z 0-9 _ + - /)",
                    name, c);
        return false;
    }
    if (name[0] == '/') {
        rt_fail(err, "invalid time zone name '%s': must be relative, like Europe/Amsterdam", name);
        return false;
    }
    return true;
}

rt_tz *rt_tz_load_dir(const char *dir, const char *name, rt_error *err)
{
    if (!tz_name_ok(name, err))
        return NULL;
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        rt_tz *tz = rt_tz_utc();
        if (!tz)
            rt_fail(err, "out of memory");
        else
            snprintf(tz->name, sizeof tz->name, "%s", name);
        return tz;
    }
    char path[4096];
    if (!dir || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        rt_fail(err, "time zone '%s': zoneinfo path too long", name);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            rt_fail(err, "unknown time zone '%s' (no such file in %s)", name, dir);
        else {
            char msg[256] = "";
            (void)strerror_r(e, msg, sizeof msg);
            rt_fail(err, "time zone '%s': cannot open %s: %s", name, path, msg);
        }
        return NULL;
    }
    struct stat st;
    unsigned char *data = NULL;
    size_t got = 0;
    const char *why = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_size > TZ_FILE_MAX)
        why = "file too large";
    else if (!(data = malloc((size_t)st.st_size + 1)))
        why = "out of memory";
    while (!why && got < (size_t)st.st_size) {
        ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            why = "read error";
        else
            got += (size_t)r;
    }
    close(fd);
    rt_tz *tz = why ? tz_bad(NULL, err, name, why) : rt_tz_parse(name, data, got, err);
    free(data);
    return tz;
}

rt_tz *rt_tz_load(const char *name, rt_error *err)
{
    return rt_tz_load_dir(RT_TZ_DIR, name, err);
}
