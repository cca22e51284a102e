/*
 * tests/fuzz/fuzz_graphql.c - the GraphQL library (plugins/api-graphql/graphql): parse a
 * document, validate it against tests/graphql/test_schema.graphql, check the request limits
 * and, when it is valid, execute it with the default resolvers on a small root value.
 * Input: the document, optionally FUZZ_SEP and the variables as JSON.
 *
 * Checks: every syntax error has a message and a position; every validation and execution
 * error has a message; a response has data or errors; each argument value printed and parsed
 * again prints the same (the printer and the parser agree).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "gql_int.h"

static gql_schema *schema;
static json_object *root;

static void load_schema(void)
{
    FILE *f = fopen(RATCHET_SOURCE_DIR "/tests/graphql/test_schema.graphql", "rb");
    FUZZ_CHECK(f != NULL);
    static char sdl[65536];
    size_t n = fread(sdl, 1, sizeof sdl - 1, f);
    fclose(f);
    char err[512];
    schema = gql_schema_parse(sdl, n, err, sizeof err);
    if (!schema)
        fuzz_check_failed(err, __FILE__, __LINE__);
    root = json_object_from_file(RATCHET_SOURCE_DIR "/tests/graphql/root.json");
    FUZZ_CHECK(root != NULL);
}

static void check_errors(json_object *errors)
{
    for (size_t i = 0; i < json_object_array_length(errors); i++) {
        json_object *m;
        FUZZ_CHECK(json_object_object_get_ex(json_object_array_get_idx(errors, i), "message", &m));
        FUZZ_CHECK(json_object_get_string_len(m) > 0);
    }
}

/* print(value) parses back to a value that prints the same. */
static void roundtrip(const gql_node *v)
{
    char *p = gql_print_value(v);
    FUZZ_CHECK(p != NULL);
    size_t len = strlen(p);
    char *doc = malloc(len + 16);
    FUZZ_CHECK(doc != NULL);
    snprintf(doc, len + 16, "{ f(a: %s) }", p);
    gql_syntax_error se;
    gql_parse_limits pl = {512, 0};
    gql_doc *d = gql_parse(doc, strlen(doc), &pl, &se);
    if (!d)
        fuzz_check_failed(se.message, __FILE__, __LINE__);
    char *again = gql_print_value(d->defs->sel->args->value);
    FUZZ_CHECK(again && strcmp(again, p) == 0);
    free(again);
    gql_doc_free(d);
    free(doc);
    free(p);
}

static void args_roundtrip(const gql_node *sel)
{
    for (const gql_node *s = sel; s; s = s->next) {
        for (const gql_node *a = s->args; s->kind == GQL_FIELD && a; a = a->next)
            roundtrip(a->value);
        if (s->sel)
            args_roundtrip(s->sel);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    if (!schema)
        load_schema();
    fuzz_fields ff;
    fuzz_split(data, size, 2, &ff);
    gql_syntax_error se;
    gql_parse_limits pl = {64, 20000};
    gql_doc *doc = gql_parse(ff.f[0], ff.len[0], &pl, &se);
    if (!doc) {
        FUZZ_CHECK(se.message[0] != '\0' && se.line >= 1 && se.col >= 1);
        fuzz_fields_free(&ff);
        return 0;
    }
    for (const gql_node *d = doc->defs; d; d = d->next)
        if (d->kind == GQL_OPERATION || d->kind == GQL_FRAGMENT_DEF)
            args_roundtrip(d->sel);
    json_object *errors = json_object_new_array();
    size_t n = gql_validate(schema, doc, errors);
    FUZZ_CHECK(n == json_object_array_length(errors));
    check_errors(errors);
    gql_limits lim = {0, 15, 1000, 50, 20, 0};
    if (n == 0 && gql_check_limits(schema, doc, NULL, &lim, errors) == 0) {
        gql_request req;
        memset(&req, 0, sizeof req);
        req.query = ff.f[0];
        req.query_len = ff.len[0];
        req.root.json = root;
        req.variables = ff.n > 1 ? json_tokener_parse(ff.f[1]) : NULL;
        if (req.variables && !json_object_is_type(req.variables, json_type_object)) {
            json_object_put(req.variables);
            req.variables = NULL;
        }
        gql_outcome oc;
        json_object *reply = gql_run(schema, &req, &lim, &oc);
        json_object *e = NULL, *d = NULL;
        int has_errors = json_object_object_get_ex(reply, "errors", &e);
        int has_data = json_object_object_get_ex(reply, "data", &d);
        FUZZ_CHECK(has_errors || has_data);
        FUZZ_CHECK(has_data == (oc == GQL_OUT_DATA));
        if (has_errors)
            check_errors(e);
        json_object_put(reply);
        json_object_put(req.variables);
    }
    check_errors(errors);
    json_object_put(errors);
    gql_doc_free(doc);
    fuzz_fields_free(&ff);
    return 0;
}
