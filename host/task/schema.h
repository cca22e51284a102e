/*
 * host/task/schema.h - JSON Schema validation (draft-07; draft-06 and draft-04 documents too) on
 * json-c.
 *
 * Compile once, validate many times. rt_schema_compile() checks every keyword it implements
 * against the draft's rules, resolves every "$ref" (asking the resolver for documents it does
 * not hold; it never touches the network or the filesystem itself), compiles the "pattern"
 * regexes and rejects "$ref" loops that would apply a schema to the same value forever. A
 * schema that compiles can always be used: rt_schema_validate() only reads the compiled form,
 * so one rt_schema may be shared by threads validating at the same time.
 *
 * Locations are JSON pointers (RFC 6901): "" is the whole document, "/items/2/price" a member.
 * Messages shown to people write "" as "(root)" (rt_schema_pointer_display()).
 *
 * Limits: subschemas nested deeper than RT_SCHEMA_MAX_DEPTH are refused at compile time
 * ("schema too deeply nested"), and validation stops descending at the same depth with an
 * error rather than exhausting the stack. "pattern" and "patternProperties" use POSIX
 * regcomp (REG_EXTENDED) on a translation of the ECMA-262 syntax: classes (\d \w \s and their
 * negations, [...] with ranges and escapes), "." (one code point, not a line terminator),
 * groups ((?:...), (?<name>...)), alternation, greedy and lazy quantifiers (laziness does not
 * change whether a match exists), \b \B, ^ $ and \x \u \c escapes. Lookaround, backreferences
 * and repetition counts above 1000 are refused at compile time as unsupported. Matching is on
 * code points (UTF-8), independent of the process locale; \w, \d, \b are ASCII as in
 * ECMA-262.
 */
#ifndef RT_SCHEMA_H
#define RT_SCHEMA_H

#include <stddef.h>

#include "core/core_layer.h"

struct json_object;

#define RT_SCHEMA_MAX_DEPTH  256 /* nesting of subschemas, at compile time and validation */
#define RT_SCHEMA_MAX_ERRORS 100 /* errors reported by one rt_schema_validate() call */

typedef struct rt_schema rt_schema;

/* Return the document at `uri` (absolute, without a fragment) as a new reference that the
 * validator takes over and releases with json_object_put(), or NULL when there is none (the
 * "$ref" is then reported unresolvable). Called only during rt_schema_compile(), at most once
 * per document. The draft-04/06/07 meta-schemas are built in and never asked for. */
typedef struct json_object *(*rt_schema_resolver)(void *data, const char *uri);

/* One validation error: `pointer` locates the failing value in the instance, `keyword` is the
 * schema keyword that failed ("minimum", "required", ...; "false" for a false schema, "depth"
 * for the nesting limit), `message` says why in words ("3 is less than the minimum of 5"). The
 * strings are valid only during the call. */
typedef void (*rt_schema_error_fn)(void *data, const char *pointer, const char *keyword,
                                   const char *message);

/* Compile `schema` (an object or a boolean; a draft-04/06/07 "$schema" is honoured, no
 * "$schema" means draft-07). `base_uri` is the document's own URI for resolving relative
 * "$ref"s and "$id"s (e.g. "file:///etc/ratchet/task.schema.json"); NULL when it has none.
 * `resolver` may be NULL (then only refs into this document and the meta-schemas resolve).
 * The rt_schema takes its own reference to `schema`; the caller keeps theirs.
 * Returns NULL with err->msg = "<location in the schema>: <what is wrong>" when the schema is
 * unusable, e.g. `/properties/a/type: type must be ... got 12`, or when out of memory. */
rt_schema *rt_schema_compile(struct json_object *schema, const char *base_uri,
                             rt_schema_resolver resolver, void *rdata, rt_error *err);

/* Validate `instance` (NULL is JSON null, as in json-c). Calls fn for each error, in document
 * order, stopping after RT_SCHEMA_MAX_ERRORS; returns the number of errors reported (0 when
 * valid). With fn NULL, stops at the first error and returns 1 (invalid) or 0 (valid). The
 * instance is only read. */
size_t rt_schema_validate(const rt_schema *s, struct json_object *instance, rt_schema_error_fn fn,
                          void *data);

/* Free a compiled schema and the documents it holds. NULL is ignored. */
void rt_schema_free(rt_schema *s);

/* The pointer as shown to people: "(root)" for "", else the pointer itself. */
const char *rt_schema_pointer_display(const char *pointer);

#endif
