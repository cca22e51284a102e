/* host/engine/cron.c - cron expression parser and next-fire search (see cron.h for the rules).
 *
 * The search never steps second by second: it walks the zone's UTC periods of constant offset
 * (rt_tz_period_at) and, inside each, jumps field by field on the local calendar (next matching
 * year, month, day, hour, minute, second). */
#include "cron.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F_SEC, F_MIN, F_HOUR, F_DOM, F_MON, F_DOW, F_YEAR, F_COUNT };

#define YEAR_MIN 1970
#define YEAR_MAX 2099
#define SET_BITS 192 /* enough for the 130 years */
/* Loop bounds: far above what any expression needs within the horizon (a few thousand steps),
 * they only turn a logic error into a message instead of a hang. */
#define FIND_GUARD   5000000L
#define PERIOD_GUARD 100000
#define HORIZON_SECS ((int64_t)RT_CRON_HORIZON * 366 * 86400)
#define CANON_MAX    (RT_CRON_MAX_LEN + 8)

typedef struct field_def {
    const char *name;
    int min, max;
    const char *const *names; /* three-letter names for min, min+1, ... */
    int nnames;
} field_def;

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static const field_def fields[F_COUNT] = {
    {"second", 0, 59, NULL, 0},
    {"minute", 0, 59, NULL, 0},
    {"hour", 0, 23, NULL, 0},
    {"day-of-month", 1, 31, NULL, 0},
    {"month", 1, 12, month_names, 12},
    {"day-of-week", 0, 7, day_names, 7},
    {"year", YEAR_MIN, YEAR_MAX, NULL, 0},
};

struct rt_cron {
    uint64_t set[F_COUNT][SET_BITS / 64]; /* bit v - min; day-of-week 7 is stored as 0 */
    bool dom_any, dow_any;                /* the day field was written `*` or `?` */
    bool dom_star, dow_star;              /* the day field starts with `*` (cronie's rule) */
    bool days_and; /* rt_cron_cronie_days: restricted day fields must both match */
    bool interval_hour;                   /* the hour field contains `*` or `/` (see cron.h) */
    bool has_year;
    int last_year;
    char expr[RT_CRON_MAX_LEN + 1]; /* as written (trimmed), for messages */
    char canon[CANON_MAX];
};

/* ---- sets ---- */

static void set_add(rt_cron *c, int f, int v)
{
    unsigned b = (unsigned)(v - fields[f].min);
    c->set[f][b / 64] |= UINT64_C(1) << (b % 64);
}

static bool set_has(const rt_cron *c, int f, int64_t v)
{
    if (v < fields[f].min || v > fields[f].max)
        return false;
    unsigned b = (unsigned)(v - fields[f].min);
    return (c->set[f][b / 64] >> (b % 64)) & 1;
}

/* Smallest member >= from, or -1. */
static int set_next(const rt_cron *c, int f, int64_t from)
{
    int v = from < fields[f].min ? fields[f].min
                                 : (int)(from > fields[f].max ? fields[f].max + 1 : from);
    for (; v <= fields[f].max; v++)
        if (set_has(c, f, v))
            return v;
    return -1;
}

/* ---- parsing ---- */

typedef struct pctx {
    const rt_cron *c;
    int f;   /* field index */
    int pos; /* 1-based position in the expression as written */
    rt_error *err;
} pctx;

static bool pfail(const pctx *p, const char *fmt, ...) RATCHET_PRINTF(2, 3);

static bool pfail(const pctx *p, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    rt_fail(p->err, "cron expression '%s': field %d (%s): %s", p->c->expr, p->pos,
            fields[p->f].name, why);
    return false;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static char upper(char ch)
{
    return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

static bool is_day_field(int f)
{
    return f == F_DOM || f == F_DOW;
}

/* Quartz's L/W day forms: digits then L and/or W ("L", "15W", "LW", "5L"). Returns 'L', 'W' or
 * 0 when s is not of that form. */
static char quartz_form(const char *s, size_t n)
{
    size_t i = 0;
    char form = 0;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == n)
        return 0;
    for (; i < n; i++) {
        char u = upper(s[i]);
        if (u != 'L' && u != 'W')
            return 0;
        if (form != 'L')
            form = u;
    }
    return form;
}

static bool parse_value(const pctx *p, const char *s, size_t n, int *out)
{
    const field_def *fd = &fields[p->f];
    size_t digits = 0;
    while (digits < n && is_digit(s[digits]))
        digits++;
    if (n > 0 && digits == n) {
        int v = 0;
        for (size_t i = 0; i < n && v <= fd->max; i++) /* stops early: no overflow */
            v = v * 10 + (s[i] - '0');
        if (v < fd->min || v > fd->max)
            return pfail(p, "%.*s is out of range %d-%d", (int)n, s, fd->min, fd->max);
        *out = v;
        return true;
    }
    for (int i = 0; n == 3 && i < fd->nnames; i++) {
        const char *nm = fd->names[i];
        if (upper(s[0]) == nm[0] && upper(s[1]) == nm[1] && upper(s[2]) == nm[2]) {
            *out = fd->min + i;
            return true;
        }
    }
    char q = is_day_field(p->f) ? quartz_form(s, n) : 0;
    if (q == 'L')
        return pfail(p, "'L' (last day) is not supported");
    if (q == 'W')
        return pfail(p, "'W' (nearest weekday) is not supported");
    if (n == 0)
        return pfail(p, "missing value");
    bool alpha = true;
    for (size_t i = 0; i < n; i++)
        alpha = alpha && upper(s[i]) >= 'A' && upper(s[i]) <= 'Z';
    if (fd->names && alpha)
        return pfail(p, "unknown name '%.*s'", (int)n, s);
    return pfail(p, "'%.*s' is not a number", (int)n, s);
}

/* One list element: `*`, `?`, `v`, `a-b`, each optionally followed by `/step`. */
static bool parse_item(const pctx *p, rt_cron *c, const char *s, size_t n)
{
    const field_def *fd = &fields[p->f];
    int top = p->f == F_DOW ? 6 : fd->max; /* `*` in day-of-week: 0-6, Sunday once */
    int lo = 0, hi = 0, step = 1;
    if (n == 0)
        return pfail(p, "empty list element");
    if (memchr(s, '#', n))
        return pfail(p, "'#' (nth weekday of the month) is not supported");
    const char *slash = memchr(s, '/', n);
    size_t bn = slash ? (size_t)(slash - s) : n;
    if (bn == 1 && (s[0] == '*' || s[0] == '?')) {
        if (s[0] == '?' && !is_day_field(p->f))
            return pfail(p, "'?' is only allowed in day-of-month and day-of-week");
        if (s[0] == '?' && slash)
            return pfail(p, "'?' cannot take a step");
        lo = fd->min;
        hi = top;
    } else {
        const char *dash = memchr(s, '-', bn);
        size_t an = dash ? (size_t)(dash - s) : bn;
        if (!parse_value(p, s, an, &lo))
            return false;
        if (dash) {
            if (!parse_value(p, dash + 1, bn - an - 1, &hi))
                return false;
            if (p->f == F_DOW && hi == 0 && lo > 0)
                hi = 7; /* FRI-SUN */
            if (lo > hi)
                return pfail(p, "range %.*s is backwards (start must not exceed end)", (int)bn, s);
        } else {
            hi = slash ? top : lo; /* `a/n`: from a to the field's maximum */
        }
    }
    if (slash) {
        const char *t = slash + 1;
        size_t tn = n - bn - 1, i = 0;
        int v = 0;
        while (i < tn && is_digit(t[i])) {
            v = v * 10 + (t[i++] - '0');
            if (v > 100000)
                v = 100000; /* saturate: reported as out of range below */
        }
        if (tn == 0 || i != tn || v == 0)
            return pfail(p, "step must be a positive number");
        /* A step beyond the field's span cannot repeat, so it is almost surely a mistake: a
         * minute step of 90 does not mean "every 90 minutes". */
        if (v > top - fd->min)
            return pfail(p, "step %d is out of range 1-%d", v, top - fd->min);
        step = v;
    }
    for (int v = lo; v <= hi; v += step)
        set_add(c, p->f, p->f == F_DOW && v == 7 ? 0 : v);
    return true;
}

static bool parse_field(rt_cron *c, int f, int pos, const char *s, size_t n, rt_error *err)
{
    pctx p = {c, f, pos, err};
    if (f == F_DOM) {
        c->dom_any = n == 1 && (s[0] == '*' || s[0] == '?');
        c->dom_star = s[0] == '*';
    }
    if (f == F_DOW) {
        c->dow_any = n == 1 && (s[0] == '*' || s[0] == '?');
        c->dow_star = s[0] == '*';
    }
    if (f == F_HOUR)
        c->interval_hour = memchr(s, '*', n) || memchr(s, '/', n);
    const char *end = s + n;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *e = comma ? comma : end;
        if (!parse_item(&p, c, s, (size_t)(e - s)))
            return false;
        if (!comma)
            return true;
        s = comma + 1;
    }
}

static const struct {
    const char *name, *expansion;
} aliases[] = {
    {"@yearly", "0 0 0 1 1 *"}, {"@annually", "0 0 0 1 1 *"}, {"@monthly", "0 0 0 1 * *"},
    {"@weekly", "0 0 0 * * 0"}, {"@daily", "0 0 0 * * *"},    {"@midnight", "0 0 0 * * *"},
    {"@hourly", "0 0 * * * *"},
};

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Can some selected day of the month exist in some selected month? Only asked when the day of
 * week does not also select days (it is `*`), since any weekday occurs every month. */
static bool days_possible(const rt_cron *c)
{
    static const int longest[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        if (set_has(c, F_MON, m) && set_next(c, F_DOM, 1) <= longest[m - 1])
            return true;
    return false;
}

/* Split on spaces and tabs, keeping the first 8 fields; returns how many there are. */
static int split_fields(const char *s, const char *tok[8], size_t len[8])
{
    int n = 0;
    while (*s) {
        while (is_space(*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        while (*s && !is_space(*s))
            s++;
        if (n < 8) {
            tok[n] = b;
            len[n] = (size_t)(s - b);
        }
        n++;
    }
    return n;
}

static rt_cron *parse_fields(rt_cron *c, const char *text, rt_error *err)
{
    const char *tok[8];
    size_t len[8];
    int n = split_fields(text, tok, len);
    if (n < 5 || n > 7) {
        rt_fail(err, "cron expression '%s': expected 5, 6 or 7 fields, got %d", c->expr, n);
        return NULL;
    }
    int first = n == 5 ? F_MIN : F_SEC; /* 5 fields: minute first, the second is 0 */
    if (n == 5)
        set_add(c, F_SEC, 0);
    for (int i = 0; i < n; i++)
        if (!parse_field(c, first + i, i + 1, tok[i], len[i], err))
            return NULL;
    c->has_year = n == 7;
    for (int y = YEAR_MAX; y >= YEAR_MIN && !c->last_year; y--)
        if (set_has(c, F_YEAR, y))
            c->last_year = y;
    if (!c->dom_any && c->dow_any && !days_possible(c)) {
        rt_fail(err,
                "cron expression '%s': never fires: no day in field %d (day-of-month) "
                "exists in the months of field %d (month)",
                c->expr, F_DOM - first + 1, F_MON - first + 1);
        return NULL;
    }
    /* Canonical text: the fields as written, single-spaced, upper-cased, 6 or 7 of them. */
    size_t o = 0;
    if (n == 5)
        o += (size_t)snprintf(c->canon, sizeof c->canon, "0");
    for (int i = 0; i < n; i++) {
        if (o > 0)
            c->canon[o++] = ' ';
        for (size_t k = 0; k < len[i]; k++)
            c->canon[o++] = upper(tok[i][k]);
    }
    c->canon[o] = '\0';
    return c;
}

rt_cron *rt_cron_parse(const char *expr, rt_error *err)
{
    size_t n = expr ? strnlen(expr, RT_CRON_MAX_LEN + 1) : 0;
    if (n > RT_CRON_MAX_LEN) {
        rt_fail(err, "cron expression is too long (more than %d bytes)", RT_CRON_MAX_LEN);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)expr[i];
        if ((ch < 0x20 && ch != '\t') || ch >= 0x7f) { /* not echoed: it could garble a log */
            rt_fail(err, "cron expression contains a non-printable byte 0x%02x at offset %zu", ch,
                    i);
            return NULL;
        }
    }
    while (n > 0 && is_space(expr[n - 1]))
        n--;
    while (n > 0 && is_space(*expr)) {
        expr++;
        n--;
    }
    if (n == 0) {
        rt_fail(err, "cron expression is empty");
        return NULL;
    }
    rt_cron *c = calloc(1, sizeof *c);
    if (!c) {
        rt_fail(err, "out of memory");
        return NULL;
    }
    memcpy(c->expr, expr, n);
    c->expr[n] = '\0';
    const char *text = c->expr;
    if (c->expr[0] == '@') {
        size_t an = strcspn(c->expr, " \t");
        text = NULL;
        for (size_t i = 0; i < sizeof aliases / sizeof aliases[0] && !text; i++)
            if (strlen(aliases[i].name) == an && strncasecmp(c->expr, aliases[i].name, an) == 0)
                text = aliases[i].expansion;
        if (!text)
            rt_fail(err,
                    "cron expression '%s': unknown alias '%.*s' (expected @yearly, "
                    "@annually, @monthly, @weekly, @daily, @midnight or @hourly)",
                    c->expr, (int)an, c->expr);
        else if (an != n)
            rt_fail(err, "cron expression '%s': an alias cannot be combined with fields", c->expr);
        if (!text || an != n) {
            free(c);
            return NULL;
        }
    }
    if (!parse_fields(c, text, err)) {
        free(c);
        return NULL;
    }
    return c;
}

void rt_cron_free(rt_cron *c)
{
    free(c);
}

const char *rt_cron_canonical(const rt_cron *c)
{
    return c->canon;
}

const char *rt_cron_expression(const rt_cron *c)
{
    return c->expr;
}

int rt_cron_days_differ(const rt_cron *c)
{
    return !c->dom_any && !c->dow_any && (c->dom_star || c->dow_star);
}

rt_cron *rt_cron_cronie_days(const rt_cron *c)
{
    rt_cron *o = malloc(sizeof *o);
    if (o) {
        *o = *c;
        o->days_and = rt_cron_days_differ(c);
    }
    return o;
}

/* ---- matching ---- */

static bool day_matches(const rt_cron *c, int64_t days, int dom)
{
    bool d = set_has(c, F_DOM, dom), w = set_has(c, F_DOW, rt_tz_weekday(days));
    if (!c->dom_any && !c->dow_any && !c->days_and)
        return d || w; /* either restricted day field may select the day (see cron.h) */
    return d && w;     /* the unrestricted one holds every value */
}

typedef struct civil {
    int64_t y;
    int mo, d, h, mi, s;
} civil;

static void next_day(civil *t)
{
    t->h = t->mi = t->s = 0;
    if (++t->d > rt_tz_days_in_month(t->y, t->mo)) {
        t->d = 1;
        if (++t->mo > 12) {
            t->mo = 1;
            t->y++;
        }
    }
}

static void next_hour(civil *t)
{
    t->mi = t->s = 0;
    if (++t->h >= 24)
        next_day(t);
}

static void next_minute(civil *t)
{
    t->s = 0;
    if (++t->mi >= 60)
        next_hour(t);
}

/* The first local time in [from, to) that matches, in local seconds (wall-clock seconds counted
 * as if the zone were UTC). Returns 1 and sets *out, 0 when there is none, -1 when the guard
 * trips. Each step either matches or moves to the start of the next candidate unit. */
static int find_local(const rt_cron *c, int64_t from, int64_t to, int64_t *out)
{
    int64_t days = from / 86400 - (from % 86400 < 0), sod = from - days * 86400;
    civil t = {0, 0, 0, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60)};
    rt_tz_civil_from_days(days, &t.y, &t.mo, &t.d);
    for (long guard = 0; guard < FIND_GUARD; guard++) {
        int64_t day = rt_tz_days_from_civil(t.y, t.mo, t.d);
        int64_t at = day * 86400 + t.h * 3600 + t.mi * 60 + t.s;
        if (at >= to)
            return 0;
        int v;
        if (c->has_year && !set_has(c, F_YEAR, t.y)) {
            if (t.y > YEAR_MAX || (v = set_next(c, F_YEAR, t.y + 1)) < 0)
                return 0;
            t = (civil){v, 1, 1, 0, 0, 0};
        } else if (!set_has(c, F_MON, t.mo)) {
            if ((v = set_next(c, F_MON, t.mo + 1)) < 0)
                t = (civil){t.y + 1, set_next(c, F_MON, 1), 1, 0, 0, 0};
            else
                t = (civil){t.y, v, 1, 0, 0, 0};
        } else if (!day_matches(c, day, t.d)) {
            next_day(&t);
        } else if (!set_has(c, F_HOUR, t.h)) {
            if ((v = set_next(c, F_HOUR, t.h + 1)) < 0)
                next_day(&t);
            else
                t = (civil){t.y, t.mo, t.d, v, 0, 0};
        } else if (!set_has(c, F_MIN, t.mi)) {
            if ((v = set_next(c, F_MIN, t.mi + 1)) < 0)
                next_hour(&t);
            else
                t.mi = v, t.s = 0;
        } else if (!set_has(c, F_SEC, t.s)) {
            if ((v = set_next(c, F_SEC, t.s + 1)) < 0)
                next_minute(&t);
            else
                t.s = v;
        } else {
            *out = at;
            return 1;
        }
    }
    return -1;
}

static void format_utc(int64_t t, char buf[32])
{
    int64_t days = t / 86400 - (t % 86400 < 0), sod = t - days * 86400, y;
    int mo, d;
    rt_tz_civil_from_days(days, &y, &mo, &d);
    snprintf(buf, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, mo, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60));
}

/* Walk the zone's periods of constant offset from `after` on. In each, the wall clock runs
 * evenly, so the first match in the period's local range is the answer if there is one. The DST
 * rules of cron.h enter at period boundaries: after a forward jump, a fixed-time expression
 * matching inside the skipped wall-clock range fires at the boundary; after a backward jump, a
 * fixed-time expression skips the repeated wall-clock range. */
ratchet_status rt_cron_next(const rt_cron *c, const rt_tz *tz, int64_t after, int64_t *next,
                            rt_error *err)
{
    if (!c || !tz || !next)
        return rt_fail(err, "rt_cron_next: missing schedule, zone or result");
    if (after < RT_TZ_UTC_MIN || after > RT_TZ_UTC_MAX - 2 * HORIZON_SECS)
        return rt_fail(err, "cron expression '%s': start instant %lld is out of range", c->expr,
                       (long long)after);
    int64_t limit = after + HORIZON_SECS;
    if (c->has_year) /* search up to the end of its last year (plus a day for any zone) */
        limit = (rt_tz_days_from_civil(c->last_year + 1, 1, 1) + 2) * 86400;
    int64_t t = after + 1, local = 0;
    for (int guard = 0; guard < PERIOD_GUARD && t <= limit; guard++) {
        rt_tz_period p;
        rt_tz_period_at(tz, t, &p);
        int64_t end = p.end > limit ? limit + 1 : p.end;
        if (end <= t)
            break; /* cannot happen below RT_TZ_UTC_MAX; guards the loop regardless */
        int r = 0;
        if (!c->interval_hour && p.start == t && p.prev_utoff < p.utoff) {
            r = find_local(c, t + p.prev_utoff, t + p.utoff, &local);
            if (r > 0) {
                *next = t; /* a time in the gap: fire once, at the first instant after it */
                return RATCHET_OK;
            }
        }
        int64_t from = t + p.utoff;
        if (r == 0 && !c->interval_hour && p.prev_utoff > p.utoff && from < p.start + p.prev_utoff)
            from = p.start + p.prev_utoff; /* the repeated wall times already had their turn */
        if (r == 0)
            r = find_local(c, from, end + p.utoff, &local);
        if (r > 0) {
            *next = local - p.utoff;
            return RATCHET_OK;
        }
        if (r < 0)
            return rt_fail(err, "cron expression '%s': search limit reached", c->expr);
        t = end;
    }
    char when[32];
    format_utc(after, when);
    if (c->has_year)
        rt_fail(err, "cron expression '%s' does not fire after %s", c->expr, when);
    else
        rt_fail(err, "cron expression '%s' does not fire within %d years after %s", c->expr,
                RT_CRON_HORIZON, when);
    return RATCHET_NOTFOUND;
}
