/*
 * host/core/pattern.h - error patterns: rules that recognise a kind of failure in a log event
 * (or in a failed execution seen as one), with a category, a severity, a confidence and what
 * to do about it.
 *
 * The library is four files, one concern each:
 *   pattern_rule.c     the rule model: building, compiling (regexes once), freeing
 *   pattern_parse.c    patterns from YAML (`logging.patterns` in ratchet.yaml) or JSON (REST)
 *   pattern_match.c    matching an event against a set
 *   pattern_builtin.c  the built-in set, written in the same YAML a user writes
 *
 * A pattern in YAML (README: Error analysis):
 *
 *     - id: payment_declined            # [a-z0-9_.-]{1,64}, unique
 *       name: Payment declined
 *       category: network               # see RT_PATTERN_CATEGORIES
 *       severity: high                  # low|medium|high|critical
 *       confidence: 0.9                 # 0..1, how sure a match is
 *       min_level: warn                 # events below it never match (default trace)
 *       description: ...
 *       suggestions: [Check the card processor's status page]
 *       match:                          # one rule, or a list (all must hold)
 *         and:
 *           - level: error
 *           - message_regex: "card .*declined"       # POSIX extended, case-insensitive
 *           - field_equals: {field: errorName, value: HttpError}
 *           - field_contains: {field: url, value: /charge}
 *           - not: {field_equals: {field: status, value: "404"}}
 *
 * Threading: a set is immutable once built; any number of threads may match against it at
 * once (regexec on a compiled regex_t is thread-safe). Building and freeing are the owner's.
 */
#ifndef RT_PATTERN_H
#define RT_PATTERN_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ratchet/host.h"
#include "rt_yaml.h"

#define RT_PATTERN_CATEGORIES                                                                      \
    "database|network|http|task|javascript|configuration|validation|resource|authentication|"      \
    "authorization|unknown"
#define RT_PATTERN_SEVERITIES "low|medium|high|critical"

#define RT_PATTERN_MAX         512 /* patterns in one set */
#define RT_PATTERN_MAX_DEPTH   16  /* nesting of and/or/not */
#define RT_PATTERN_MAX_RULES   64  /* rules under one and/or */
#define RT_PATTERN_MAX_SUGGEST 16  /* suggestions of one pattern */
#define RT_PATTERN_REGEX_MAX     1024 /* characters of one message_regex */
#define RT_PATTERN_REGEX_COUNTED 4    /* counted repetitions {m,n} in one */
#define RT_PATTERN_REGEX_BOUND   255  /* largest m or n */
#define RT_PATTERN_REGEX_EXPANDED 2048 /* nodes regcomp may build for one (pattern_regex.c) */
#define RT_PATTERN_REGEX_NESTING 2     /* repetitions of repetitions: (a?)+ is 2 */

typedef enum rt_rule_kind {
    RT_RULE_MESSAGE_REGEX,
    RT_RULE_FIELD_EQUALS,
    RT_RULE_FIELD_CONTAINS,
    RT_RULE_LEVEL,
    RT_RULE_AND,
    RT_RULE_OR,
    RT_RULE_NOT
} rt_rule_kind;

/* A literal that any match of a regex must contain (lowercase), with the hashed bigrams of it:
 * the matcher rejects most events without calling regexec. */
typedef struct rt_rule_literal {
    char *text;
    size_t len;
    uint16_t *pairs; /* the hashed character pairs of text (RT_PATTERN_PAIR_BITS), len - 1 */
} rt_rule_literal;

#define RT_PATTERN_PAIR_BITS 4096

/* The hash of a pair of lowercase characters, as the matcher and the literals use it. */
static inline unsigned rt_pattern_pair(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 67u + (unsigned)b) & (RT_PATTERN_PAIR_BITS - 1);
}

/* What a field rule names: the event's own message, level or source, or one of its fields. */
typedef enum rt_rule_field {
    RT_FIELD_OTHER,
    RT_FIELD_MESSAGE,
    RT_FIELD_LEVEL,
    RT_FIELD_SOURCE
} rt_rule_field;

typedef struct rt_rule {
    rt_rule_kind kind;
    char *field; /* FIELD_*: the field's name ("message", "level", "source" or a field key) */
    rt_rule_field field_kind; /* FIELD_*: which of those (a field of the event wins) */
    char *value; /* FIELD_EQUALS: the value; FIELD_CONTAINS: the substring; REGEX: source */
    ratchet_log_level level;
    regex_t re; /* MESSAGE_REGEX, compiled once */
    int compiled;
    rt_rule_literal *literals; /* MESSAGE_REGEX: one of these must occur; NULL: no filter */
    size_t nliterals;
    struct rt_rule **kids; /* AND/OR: the rules; NOT: one */
    size_t nkids;
} rt_rule;

typedef struct rt_pattern {
    char *id, *name, *category, *severity, *description;
    double confidence;
    ratchet_log_level min_level; /* events below it never match (checked before the rule) */
    char **suggestions;
    size_t nsuggestions;
    rt_rule *rule;
    int builtin;
    char *where; /* where it was defined ("ratchet.yaml:12:5", "(built-in)") */
} rt_pattern;

typedef struct rt_pattern_set {
    rt_pattern **items;
    size_t n;
} rt_pattern_set;

/* The event a set is matched against: a log event's level, message and fields (borrowed).
 * Fields are looked up by key; "message", "level" and "source" name the event's own. */
typedef struct rt_pattern_event {
    ratchet_log_level level;
    const char *message;
    const char *source; /* may be NULL */
    const ratchet_log_field *fields;
    size_t nfields;
} rt_pattern_event;

/* ---- the rule model (pattern_rule.c) ------------------------------------------------------ */

/* A new rule of `kind` with nothing set; NULL when out of memory. */
rt_rule *rt_rule_new(rt_rule_kind kind);
/* Compile a MESSAGE_REGEX rule's `value` (POSIX extended, case-insensitive) and find its
 * literal prefilter. RATCHET_ERR with regerror's text in err->msg, or why the regex is refused
 * before compiling: longer than RT_PATTERN_REGEX_MAX, a back-reference, more than
 * RT_PATTERN_REGEX_COUNTED counted repetitions or a bound above RT_PATTERN_REGEX_BOUND,
 * repetitions nested deeper than RT_PATTERN_REGEX_NESTING, or repetitions that would make
 * regcomp build more than RT_PATTERN_REGEX_EXPANDED nodes (what
 * would make compiling or matching costly). */
ratchet_status rt_rule_compile(rt_rule *r, rt_error *err);

/* ---- regex guard (pattern_regex.c) -------------------------------------------------------- */

/* The checks rt_rule_compile makes before regcomp; RATCHET_ERR with the reason in err. */
ratchet_status rt_regex_check(const char *re, rt_error *err);
/* An estimate of the nodes glibc's regcomp builds for `re` (copies made by x{m,n} and x+
 * included), capped just above RT_PATTERN_REGEX_EXPANDED. */
size_t rt_regex_expanded_size(const char *re);
/* Skip the bracket expression starting at p ('['); the position after its ']' or end. */
const char *rt_regex_skip_bracket(const char *p, const char *end);
void rt_rule_free(rt_rule *r);
void rt_pattern_free(rt_pattern *p);
/* Empty the set and free its patterns. */
void rt_pattern_set_clear(rt_pattern_set *set);
/* Append p (ownership passes, also on failure). RATCHET_ERR when the set is full. */
ratchet_status rt_pattern_set_add(rt_pattern_set *set, rt_pattern *p, rt_error *err);
const rt_pattern *rt_pattern_set_find(const rt_pattern_set *set, const char *id);
/* Level names (trace..error) to ratchet_log_level; -1 when unknown. */
int rt_pattern_level(const char *name);

/* ---- parsing (pattern_parse.c) ------------------------------------------------------------ */

/* Append the patterns of `list` (a YAML sequence; NULL or an empty list: nothing) to `set`,
 * checking every one. `keypath` names the list in messages ("logging.patterns"). Ids must
 * be new to the set (a custom pattern may reuse a built-in's id: it replaces it). On error:
 * RATCHET_ERR, err->msg = "FILE:LINE:COL: logging.patterns[2].match.and[1]: what", and the
 * set unchanged by the failing pattern. `builtin` marks the patterns added. */
ratchet_status rt_patterns_parse(rt_pattern_set *set, const rt_node *list, const char *keypath,
                                 int builtin, rt_error *err);
/* One pattern from JSON text (an object in the YAML's shape), not added anywhere: for the
 * REST call that tests a pattern. Positions in messages are JSON pointers ("/match/and/1").
 * NULL with err->msg on error. */
rt_pattern *rt_pattern_from_json(const char *json, rt_error *err);

/* ---- matching (pattern_match.c) ----------------------------------------------------------- */

typedef struct rt_pattern_match {
    const rt_pattern *pattern; /* borrowed from the set */
    double confidence;
} rt_pattern_match;

/* 1 when the rule holds for ev. */
int rt_rule_eval(const rt_rule *r, const rt_pattern_event *ev);
/* The patterns of `set` that match ev, in set order, at most `max` written to out; returns
 * how many matched (may exceed max). */
size_t rt_patterns_match(const rt_pattern_set *set, const rt_pattern_event *ev,
                         rt_pattern_match *out, size_t max);

/* ---- built-ins and the process's set (pattern_builtin.c) --------------------------------- */

/* Add the built-in patterns to set. */
ratchet_status rt_patterns_add_builtin(rt_pattern_set *set, rt_error *err);
/* The set in effect: the built-in patterns (compiled on the first call) but those a custom
 * pattern of the same id replaces, then the installed custom ones (logging.patterns, see
 * settings.h). Borrowed; never NULL. Any thread. */
const rt_pattern_set *rt_patterns_current(void);
/* Make `set` (borrowed: it must outlive every use) the process's custom patterns;
 * rt_settings_load installs the configuration's. Uninstall forgets it when it is still the
 * installed one. Call both while no other thread matches (start, end). */
void rt_patterns_install(const rt_pattern_set *set);
void rt_patterns_uninstall(const rt_pattern_set *set);
/* The option table of one pattern (for `config generate`). */
extern const ratchet_option rt_pattern_options[];

/* JSON of a pattern, {id, name, category, severity, confidence, min_level, description,
 * suggestions, builtin, source, match} (the keys and match in the YAML's shape, so that a
 * listed pattern can be sent back); a new object the caller puts. */
struct json_object;
struct json_object *rt_pattern_to_json(const rt_pattern *p);

#endif
