/*
 * host/core/options.h - validate a YAML map against a declarative option table (ratchet_option)
 * and give typed access to the result. Used for plugin instances and for the host's own core
 * sections alike, so one code path produces every "unknown key / wrong type / missing
 * required option" message and every `describe` / `generate` text.
 */
#ifndef RT_OPTIONS_H
#define RT_OPTIONS_H

#include "error.h"
#include "ratchet/host.h"
#include "rt_yaml.h"

/* Iterate an option table whose stride is the first entry's struct_size. */
#define RT_OPT_NEXT(o)                                                                             \
    ((const ratchet_option *)(const void *)((const char *)(o) + (o)->abi.struct_size))
#define RT_OPT_FOREACH(o, table)                                                                   \
    for (const ratchet_option *o = (table); o && o->name; o = RT_OPT_NEXT(o))

/*
 * Check `map` (may be NULL: all defaults) against `table`. `keypath` names the map in
 * messages ("instances[0].options"); `basedir` resolves relative PATH options (may be NULL:
 * current directory). On error returns NULL and err->msg reads
 *     "ratchet.yaml:12:7: instances[0].options.max_files: expected an integer, got 'five'"
 * Unknown keys name the accepted ones (and a close match). The returned config borrows `map`
 * (keep it alive) and owns its parsed values; free it with rt_config_free.
 */
ratchet_config *rt_options_validate(const ratchet_option *table, const rt_node *map,
                                    const char *keypath, const char *basedir, rt_error *err);
/* As rt_options_validate; `where_if_absent` ("ratchet.yaml:4:5", may be NULL) places the
 * "missing required option" message when map is NULL. A plain null map (`options:` with
 * nothing, `~`) counts as absent, and so does a plain null value (the default applies). */
ratchet_config *rt_options_validate_at(const ratchet_option *table, const rt_node *map,
                                       const char *keypath, const char *basedir,
                                       const char *where_if_absent, rt_error *err);
/* Self-check a plugin's table (names, types, enum choices, that each default parses and
 * lies within bounds). On error err->msg says which option and why. */
ratchet_status rt_options_check_table(const ratchet_option *table, rt_error *err);
void rt_config_free(ratchet_config *cfg);
/* Count a table's entries before RATCHET_OPT_END, checking that it can be walked safely
 * (entry size, at most 256 entries); after RATCHET_OK, RT_OPT_FOREACH is safe on it. */
ratchet_status rt_options_count(const ratchet_option *table, size_t *count, rt_error *err);

/* Typed access (ratchet_host_api.cfg_*). An undeclared name (or a NULL cfg) gives NULL / 0 /
 * 0.0 and prints nothing. cfg_string gives the text of any scalar option (PATH expanded,
 * ENUM in the table's spelling); cfg_int gives INT, SIZE (bytes), DURATION (ms) and BOOL
 * (0/1); cfg_double also widens those; cfg_node gives the user's node or, for NODE options,
 * the parsed default. Strings and nodes live as long as cfg (and the borrowed map). */
const char *rt_cfg_string(const ratchet_config *cfg, const char *name);
int64_t rt_cfg_int(const ratchet_config *cfg, const char *name);
double rt_cfg_double(const ratchet_config *cfg, const char *name);
int rt_cfg_bool(const ratchet_config *cfg, const char *name);
const ratchet_node *rt_cfg_node(const ratchet_config *cfg, const char *name);
int rt_cfg_is_set(const ratchet_config *cfg, const char *name);

/* Parsers shared with the environment overrides. Return RATCHET_OK or RATCHET_ERR with the
 * expectation ("an integer", "a size such as 10MiB") in err->msg. */
ratchet_status rt_parse_int(const char *s, int64_t *out, rt_error *err);
ratchet_status rt_parse_bool(const char *s, int *out, rt_error *err);
ratchet_status rt_parse_size(const char *s, int64_t *out, rt_error *err);
ratchet_status rt_parse_duration_ms(const char *s, int64_t *out, rt_error *err);

/* Human names for types ("integer", "size", ...). */
const char *rt_option_type_name(ratchet_option_type t);

/* Spell a value in the units a user would write: 10MiB / 512B, 5m / 250ms; plain integers
 * for other types. */
void rt_format_size(int64_t bytes, char *out, size_t outlen);
void rt_format_duration_ms(int64_t ms, char *out, size_t outlen);
void rt_format_option_value(ratchet_option_type t, int64_t v, char *out, size_t outlen);

/* Describe a table as text, one block per option (for `plugins describe`). */
ratchet_status rt_options_describe(const ratchet_option *table, ratchet_buf *out);
/* Emit a commented YAML block of the table's defaults at `indent` spaces (for
 * `config generate`): each option preceded by "# doc (type[, required])". */
ratchet_status rt_options_generate(const ratchet_option *table, int indent, ratchet_buf *out);

#endif
