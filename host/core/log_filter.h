/*
 * host/core/log_filter.h - per-sink event filters (ratchet_host_api.log_filter_new/match/free):
 * whitespace-separated terms that must all hold, e.g.
 *     source=host level>=warn field.status!=200 task=fetch-*
 * Terms: source, task, message and field.KEY compared with = or != against a glob (* any run,
 * ? one character); level compared with = != >= > <= < against trace|debug|info|warn|error.
 * A filter is immutable once built: match may run on several threads at once.
 */
#ifndef RT_LOG_FILTER_H
#define RT_LOG_FILTER_H

#include "ratchet/logger.h"

/* Compile `text` (NULL or blank: match everything). NULL on error with the reason appended to
 * `why` (may be NULL), e.g. "term 2 'level>=loud': unknown level 'loud' (trace|debug|info|warn|
 * error)". The caller frees the result with rt_log_filter_free. */
ratchet_log_filter *rt_log_filter_new(const char *text, ratchet_buf *why);
int rt_log_filter_match(const ratchet_log_filter *f, const ratchet_log_event *ev);
void rt_log_filter_free(ratchet_log_filter *f);

/* Glob match: * any run (also empty), ? one byte. */
int rt_glob_match(const char *pat, const char *s);

#endif
