/*
 * tests/graphql/gql_cli.c - the GraphQL library on the command line, for the differential
 * test against graphql-js (tests/graphql/differential.mjs):
 *
 *   gql_cli validate SCHEMA.graphql DOCUMENT    the errors of parsing + validating, a JSON array
 *   gql_cli execute SCHEMA.graphql DOCUMENT [-v VARIABLES_JSON] [-o OPERATION] [-r ROOT.json]
 *                                               the response of running it with the default
 *                                               resolvers (each field reads its name from the
 *                                               parent json object; __typename names types)
 *
 * Files are read whole; "-" is standard input. Exit 0 when the command ran, 2 on bad usage or
 * an unreadable file or schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
        if (cap - n - 1 == 0) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gql_cli validate|execute SCHEMA DOCUMENT [VARIABLES] [OP]\n");
        return 2;
    }
    size_t slen, dlen;
    char *sdl = slurp(argv[2], &slen), *doc_text = slurp(argv[3], &dlen);
    if (!sdl || !doc_text) {
        fprintf(stderr, "gql_cli: cannot read %s\n", sdl ? argv[3] : argv[2]);
        return 2;
    }
    char err[512];
    gql_schema *s = gql_schema_parse(sdl, slen, err, sizeof err);
    if (!s) {
        fprintf(stderr, "gql_cli: schema: %s\n", err);
        return 2;
    }
    json_object *out;
    if (strcmp(argv[1], "validate") == 0) {
        out = json_object_new_array();
        gql_syntax_error se;
        gql_doc *doc = gql_parse(doc_text, dlen, NULL, &se);
        if (!doc)
            json_object_array_add(out, gql_error_new(se.message, se.line, se.col, NULL));
        else
            gql_validate(s, doc, out);
        gql_doc_free(doc);
    } else {
        gql_request req;
        memset(&req, 0, sizeof req);
        req.query = doc_text;
        req.query_len = dlen;
        for (int i = 4; i + 1 < argc; i += 2) {
            if (strcmp(argv[i], "-v") == 0) {
                req.variables = json_tokener_parse(argv[i + 1]);
            } else if (strcmp(argv[i], "-o") == 0) {
                req.operation_name = argv[i + 1];
            } else if (strcmp(argv[i], "-r") == 0) {
                req.root.json = json_object_from_file(argv[i + 1]);
                if (!req.root.json) {
                    fprintf(stderr, "gql_cli: cannot read %s\n", argv[i + 1]);
                    return 2;
                }
            }
        }
        gql_outcome oc;
        out = gql_run(s, &req, NULL, &oc);
        json_object_put(req.variables);
        json_object_put(req.root.json);
    }
    printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(out);
    gql_schema_free(s);
    free(sdl);
    free(doc_text);
    return 0;
}
