/* tests/unit/test_gql_exec.c - GraphQL execution (plugins/api-graphql/graphql/gql_exec.c) with C
 * resolvers on a small schema: arguments and defaults, variables, aliases, fragments, @skip and
 * @include, opaque parent values and lists of them, abstract types, resolver errors with
 * locations, path and code, null propagation, introspection, the request limits and the
 * request errors that answer without data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gql_int.h"

static const char sdl[] = "type Query {\n"
                          "  hello(name: String = \"world\"): String!\n"
                          "  add(a: Int!, b: Int!): Int!\n"
                          "  fail(code: String): String\n"
                          "  failNonNull: String!\n"
                          "  items(n: Int = 3): [Item!]!\n"
                          "  item(id: ID!): Item\n"
                          "  shape(kind: String!): Shape\n"
                          "  ctx: String\n"
                          "  echo(input: EchoInput, color: Color = GREEN): String\n"
                          "  deep: Deep\n"
                          "}\n"
                          "type Mutation { bump: Int! }\n"
                          "type Subscription { ticks(every: Int = 1, of: String!): Int }\n"
                          "type Item { id: ID! name: String! tags: [String!] broken: String! }\n"
                          "interface Shape { area: Float! }\n"
                          "type Square implements Shape { area: Float! side: Float! }\n"
                          "type Circle implements Shape { area: Float! radius: Float! }\n"
                          "input EchoInput { a: Int!, b: [String] = [\"x\"], c: Color }\n"
                          "enum Color { RED GREEN }\n"
                          "type Deep { next: Deep value: Int }\n";

typedef struct item {
    int id;
    const char *name;
} item;

static const item items[] = {{1, "one"}, {2, "two"}, {3, "three"}, {4, "four"}};

typedef struct shape {
    const char *kind;
    double size;
} shape;

static const shape shapes[] = {{"Square", 2}, {"Circle", 1}, {"Triangle", 1}};

static gql_schema *schema;
static int bumps;

static json_object *arg(gql_resolve_info *info, const char *name)
{
    json_object *v = NULL;
    json_object_object_get_ex(info->args, name, &v);
    return v;
}

static int r_hello(gql_resolve_info *info, gql_value *out)
{
    char buf[128];
    snprintf(buf, sizeof buf, "hello %s", json_object_get_string(arg(info, "name")));
    out->json = json_object_new_string(buf);
    return 0;
}

static int r_add(gql_resolve_info *info, gql_value *out)
{
    out->json = json_object_new_int(json_object_get_int(arg(info, "a")) +
                                    json_object_get_int(arg(info, "b")));
    return 0;
}

static int r_fail(gql_resolve_info *info, gql_value *out)
{
    (void)out;
    json_object *code = arg(info, "code");
    return gql_resolve_error(info, code ? json_object_get_string(code) : NULL, "it failed (%d)",
                             42);
}

static int r_items(gql_resolve_info *info, gql_value *out)
{
    int n = json_object_get_int(arg(info, "n"));
    if (n > 4)
        n = 4;
    out->is_list = 1;
    out->items = calloc((size_t)n + 1, sizeof *out->items);
    for (int i = 0; i < n; i++)
        out->items[out->nitems++].ptr = (void *)&items[i];
    return 0;
}

static int r_item(gql_resolve_info *info, gql_value *out)
{
    int id = atoi(json_object_get_string(arg(info, "id")));
    if (id >= 1 && id <= 4)
        out->ptr = (void *)&items[id - 1];
    return 0;
}

static int r_item_field(gql_resolve_info *info, gql_value *out)
{
    const item *it = info->parent->ptr;
    const char *f = info->field->name;
    if (strcmp(f, "id") == 0)
        out->json = json_object_new_int(it->id); /* an ID from an int: serialized as a string */
    else if (strcmp(f, "name") == 0)
        out->json = json_object_new_string(it->name);
    else if (strcmp(f, "tags") == 0)
        out->json = json_tokener_parse(it->id == 3 ? "[\"a\", null]" : "[\"a\", \"b\"]");
    else if (strcmp(f, "broken") == 0 && it->id != 2)
        out->json = json_object_new_string("fine");
    return 0;
}

static int r_shape(gql_resolve_info *info, gql_value *out)
{
    const char *k = json_object_get_string(arg(info, "kind"));
    for (size_t i = 0; i < 3; i++)
        if (strcmp(shapes[i].kind, k) == 0)
            out->ptr = (void *)&shapes[i];
    return 0;
}

static const char *shape_type(const gql_value *v, const gql_type *abstract, void *context)
{
    (void)abstract, (void)context;
    return ((const shape *)v->ptr)->kind;
}

static int r_shape_field(gql_resolve_info *info, gql_value *out)
{
    const shape *s = info->parent->ptr;
    const char *f = info->field->name;
    double area = strcmp(s->kind, "Square") == 0 ? s->size * s->size : 3.0 * s->size * s->size;
    out->json = json_object_new_double(strcmp(f, "area") == 0 ? area : s->size);
    return 0;
}

static int r_ctx(gql_resolve_info *info, gql_value *out)
{
    out->json = json_object_new_string((const char *)info->context);
    assert_ptr_equal(info->data, &bumps);
    return 0;
}

static int r_echo(gql_resolve_info *info, gql_value *out)
{
    out->json =
        json_object_new_string(json_object_to_json_string_ext(info->args, JSON_C_TO_STRING_PLAIN));
    return 0;
}

static int r_deep(gql_resolve_info *info, gql_value *out)
{
    (void)info;
    out->json = json_tokener_parse("{\"value\": 1, \"next\": {\"value\": 2, \"next\": null}}");
    return 0;
}

static int r_bump(gql_resolve_info *info, gql_value *out)
{
    assert_int_equal(info->operation, GQL_MUTATION);
    out->json = json_object_new_int(++bumps);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    schema = gql_schema_parse(sdl, strlen(sdl), err, sizeof err);
    if (!schema) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    int rc = 0;
    rc |= gql_schema_resolver(schema, "Query", "hello", r_hello, NULL);
    rc |= gql_schema_resolver(schema, "Query", "add", r_add, NULL);
    rc |= gql_schema_resolver(schema, "Query", "fail", r_fail, NULL);
    rc |= gql_schema_resolver(schema, "Query", "failNonNull", r_fail, NULL);
    rc |= gql_schema_resolver(schema, "Query", "items", r_items, NULL);
    rc |= gql_schema_resolver(schema, "Query", "item", r_item, NULL);
    rc |= gql_schema_resolver(schema, "Query", "shape", r_shape, NULL);
    rc |= gql_schema_resolver(schema, "Query", "ctx", r_ctx, &bumps);
    rc |= gql_schema_resolver(schema, "Query", "echo", r_echo, NULL);
    rc |= gql_schema_resolver(schema, "Query", "deep", r_deep, NULL);
    rc |= gql_schema_resolver(schema, "Mutation", "bump", r_bump, NULL);
    static const char *const item_fields[] = {"id", "name", "tags", "broken"};
    for (size_t i = 0; i < 4; i++)
        rc |= gql_schema_resolver(schema, "Item", item_fields[i], r_item_field, NULL);
    rc |= gql_schema_resolver(schema, "Square", "area", r_shape_field, NULL);
    rc |= gql_schema_resolver(schema, "Square", "side", r_shape_field, NULL);
    rc |= gql_schema_resolver(schema, "Circle", "area", r_shape_field, NULL);
    rc |= gql_schema_resolver(schema, "Circle", "radius", r_shape_field, NULL);
    rc |= gql_schema_type_resolver(schema, "Shape", shape_type);
    /* registering on something that is not there fails */
    assert_int_equal(gql_schema_resolver(schema, "Query", "nope", r_add, NULL), -1);
    assert_int_equal(gql_schema_resolver(schema, "Shape", "area", r_add, NULL), -1);
    assert_int_equal(gql_schema_type_resolver(schema, "Item", shape_type), -1);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    gql_schema_free(schema);
    return 0;
}

/* Run a document and compare the whole response with the expected JSON text. */
static void run_expect(const char *doc, const char *vars, const char *op, const gql_limits *lim,
                       gql_outcome want_outcome, const char *want)
{
    gql_request req;
    memset(&req, 0, sizeof req);
    req.query = doc;
    req.query_len = strlen(doc);
    req.operation_name = op;
    req.variables = vars ? json_tokener_parse(vars) : NULL;
    req.context = (void *)"the context";
    gql_outcome oc;
    json_object *got = gql_run(schema, &req, lim, &oc);
    json_object *exp = json_tokener_parse(want);
    if (!exp)
        fail_msg("bad expected JSON: %s", want);
    /* compared as text: numbers as they are sent (4, not 4.0) */
    char *g = strdup(json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN));
    const char *w = json_object_to_json_string_ext(exp, JSON_C_TO_STRING_PLAIN);
    if (strcmp(g, w) != 0)
        fail_msg("%s\n  got  %s\n  want %s", doc, g, w);
    free(g);
    assert_int_equal(oc, want_outcome);
    json_object_put(got);
    json_object_put(exp);
    json_object_put(req.variables);
}

#define DATA   GQL_OUT_DATA
#define REQERR GQL_OUT_REQUEST_ERROR

static void test_arguments_and_variables(void **state)
{
    (void)state;
    run_expect("{ hello a: hello(name: \"you\") add(a: 2, b: 3) }", NULL, NULL, NULL, DATA,
               "{\"data\": {\"hello\": \"hello world\", \"a\": \"hello you\", \"add\": 5}}");
    run_expect("query ($n: String, $b: Int! = 7) { hello(name: $n) add(a: 1, b: $b) }",
               "{\"n\": \"var\"}", NULL, NULL, DATA,
               "{\"data\": {\"hello\": \"hello var\", \"add\": 8}}");
    /* an absent variable leaves the argument's default */
    run_expect("query ($n: String) { hello(name: $n) }", "{}", NULL, NULL, DATA,
               "{\"data\": {\"hello\": \"hello world\"}}");
    run_expect("query ($i: EchoInput) { echo(input: $i) e2: echo(input: {a: 1, c: RED}) }",
               "{\"i\": {\"a\": 5, \"b\": \"single\"}}", NULL, NULL, DATA,
               "{\"data\": {\"echo\": \"{\\\"input\\\":{\\\"a\\\":5,\\\"b\\\":[\\\"single\\\"]},"
               "\\\"color\\\":\\\"GREEN\\\"}\", \"e2\": \"{\\\"input\\\":{\\\"a\\\":1,\\\"b\\\":"
               "[\\\"x\\\"],\\\"c\\\":\\\"RED\\\"},\\\"color\\\":\\\"GREEN\\\"}\"}}");
    run_expect("{ ctx }", NULL, NULL, NULL, DATA, "{\"data\": {\"ctx\": \"the context\"}}");
    run_expect("mutation { a: bump b: bump }", NULL, NULL, NULL, DATA,
               "{\"data\": {\"a\": 1, \"b\": 2}}");
}

static void test_selections(void **state)
{
    (void)state;
    run_expect("query ($no: Boolean!) { items(n: 2) { ...F id @skip(if: true) } "
               "x: item(id: 3) { ... on Item @include(if: $no) { name } ... { id } } }\n"
               "fragment F on Item { name tags }",
               "{\"no\": false}", NULL, NULL, DATA,
               "{\"data\": {\"items\": [{\"name\": \"one\", \"tags\": [\"a\", \"b\"]}, "
               "{\"name\": \"two\", \"tags\": [\"a\", \"b\"]}], \"x\": {\"id\": \"3\"}}}");
    run_expect("{ s: shape(kind: \"Square\") { __typename area ... on Square { side } "
               "... on Circle { radius } } c: shape(kind: \"Circle\") { area ... on Circle { "
               "radius } } n: shape(kind: \"Hexagon\") { area } }",
               NULL, NULL, NULL, DATA,
               "{\"data\": {\"s\": {\"__typename\": \"Square\", \"area\": 4, \"side\": 2}, "
               "\"c\": {\"area\": 3, \"radius\": 1}, \"n\": null}}");
    run_expect("{ deep { value next { value next { value } } } }", NULL, NULL, NULL, DATA,
               "{\"data\": {\"deep\": {\"value\": 1, \"next\": {\"value\": 2, \"next\": null}}}}");
}

static void test_errors_and_null_propagation(void **state)
{
    (void)state;
    run_expect(
        "{ hello fail(code: \"NOPE\") }", NULL, NULL, NULL, DATA,
        "{\"data\": {\"hello\": \"hello world\", \"fail\": null}, \"errors\": [{\"message\": "
        "\"it failed (42)\", \"locations\": [{\"line\": 1, \"column\": 9}], \"path\": "
        "[\"fail\"], \"extensions\": {\"code\": \"NOPE\"}}]}");
    /* a non-null root field fails: data is null */
    run_expect("{ hello failNonNull }", NULL, NULL, NULL, DATA,
               "{\"data\": null, \"errors\": [{\"message\": \"it failed (42)\", \"locations\": "
               "[{\"line\": 1, \"column\": 9}], \"path\": [\"failNonNull\"]}]}");
    /* a non-null field of a nullable object: the object is null */
    run_expect("{ item(id: \"2\") { id broken } }", NULL, NULL, NULL, DATA,
               "{\"data\": {\"item\": null}, \"errors\": [{\"message\": \"Cannot return null for "
               "non-nullable field Item.broken.\", \"locations\": [{\"line\": 1, \"column\": 22}], "
               "\"path\": [\"item\", \"broken\"]}]}");
    /* through a non-null list item and a non-null list up to data */
    run_expect("{ items { broken } }", NULL, NULL, NULL, DATA,
               "{\"data\": null, \"errors\": [{\"message\": \"Cannot return null for "
               "non-nullable field Item.broken.\", \"locations\": [{\"line\": 1, \"column\": 11}], "
               "\"path\": [\"items\", 1, \"broken\"]}]}");
    /* a null in a list of non-null items: the (nullable) list is null */
    run_expect("{ item(id: \"3\") { tags } }", NULL, NULL, NULL, DATA,
               "{\"data\": {\"item\": {\"tags\": null}}, \"errors\": [{\"message\": \"Cannot "
               "return null for non-nullable field Item.tags.\", \"locations\": [{\"line\": 1, "
               "\"column\": 19}], \"path\": [\"item\", \"tags\", 1]}]}");
    run_expect(
        "{ shape(kind: \"Triangle\") { area } }", NULL, NULL, NULL, DATA,
        "{\"data\": {\"shape\": null}, \"errors\": [{\"message\": \"Abstract type \\\"Shape\\\" "
        "was resolved to a type \\\"Triangle\\\" that does not exist inside the schema.\", "
        "\"locations\": [{\"line\": 1, \"column\": 3}], \"path\": [\"shape\"]}]}");
}

static void test_request_errors(void **state)
{
    (void)state;
    run_expect("{ hello", NULL, NULL, NULL, REQERR,
               "{\"errors\": [{\"message\": \"Syntax Error: Expected Name, found <EOF>.\", "
               "\"locations\": [{\"line\": 1, \"column\": 8}]}]}");
    run_expect("{ nope }", NULL, NULL, NULL, REQERR,
               "{\"errors\": [{\"message\": \"Cannot query field \\\"nope\\\" on type "
               "\\\"Query\\\".\", \"locations\": [{\"line\": 1, \"column\": 3}]}]}");
    run_expect("query A { hello } query B { hello }", NULL, "C", NULL, REQERR,
               "{\"errors\": [{\"message\": \"Unknown operation named \\\"C\\\".\"}]}");
    run_expect("query A { hello } query B { hello }", NULL, NULL, NULL, REQERR,
               "{\"errors\": [{\"message\": \"Must provide operation name if query contains "
               "multiple operations.\"}]}");
    run_expect("query ($a: Int!) { add(a: $a, b: 1) }", "{\"a\": \"x\"}", NULL, NULL, REQERR,
               "{\"errors\": [{\"message\": \"Variable \\\"$a\\\" got invalid value \\\"x\\\"; "
               "Int cannot represent non-integer value: \\\"x\\\"\", \"locations\": [{\"line\": 1, "
               "\"column\": 8}]}]}");
    run_expect(
        "query ($a: Int!) { add(a: $a, b: 1) }", "{}", NULL, NULL, REQERR,
        "{\"errors\": [{\"message\": \"Variable \\\"$a\\\" of required type \\\"Int!\\\" was "
        "not provided.\", \"locations\": [{\"line\": 1, \"column\": 8}]}]}");
    run_expect(
        "query ($i: EchoInput) { echo(input: $i) }", "{\"i\": {\"a\": 1, \"c\": \"BLUE\"}}", NULL,
        NULL, REQERR,
        "{\"errors\": [{\"message\": \"Variable \\\"$i\\\" got invalid value \\\"BLUE\\\" at "
        "\\\"i.c\\\"; Value \\\"BLUE\\\" does not exist in \\\"Color\\\" enum.\", "
        "\"locations\": [{\"line\": 1, \"column\": 8}]}]}");
}

static void test_introspection(void **state)
{
    (void)state;
    run_expect("{ __typename t: __type(name: \"Shape\") { kind name possibleTypes { name } "
               "fields { name type { kind ofType { name } } } } "
               "e: __type(name: \"Color\") { enumValues { name } } "
               "i: __type(name: \"EchoInput\") { inputFields { name defaultValue } isOneOf } "
               "__schema { queryType { name } mutationType { name } subscriptionType { name } } }",
               NULL, NULL, NULL, DATA,
               "{\"data\": {\"__typename\": \"Query\", \"t\": {\"kind\": \"INTERFACE\", \"name\": "
               "\"Shape\", \"possibleTypes\": [{\"name\": \"Square\"}, {\"name\": \"Circle\"}], "
               "\"fields\": [{\"name\": \"area\", \"type\": {\"kind\": \"NON_NULL\", \"ofType\": "
               "{\"name\": \"Float\"}}}]}, \"e\": {\"enumValues\": [{\"name\": \"RED\"}, "
               "{\"name\": \"GREEN\"}]}, \"i\": {\"inputFields\": [{\"name\": \"a\", "
               "\"defaultValue\": null}, {\"name\": \"b\", \"defaultValue\": \"[\\\"x\\\"]\"}, "
               "{\"name\": \"c\", \"defaultValue\": null}], \"isOneOf\": false}, \"__schema\": "
               "{\"queryType\": {\"name\": \"Query\"}, \"mutationType\": {\"name\": "
               "\"Mutation\"}, \"subscriptionType\": {\"name\": \"Subscription\"}}}}");
}

static void test_limits(void **state)
{
    (void)state;
    gql_limits lim = {.max_bytes = 100};
    char big[200];
    memset(big, ' ', sizeof big);
    memcpy(big, "{ hello }", 9);
    big[sizeof big - 1] = '\0';
    run_expect(big, NULL, NULL, &lim, REQERR,
               "{\"errors\": [{\"message\": \"The document is 199 bytes, over the maximum "
               "document size of 100 bytes.\", \"extensions\": {\"code\": \"LIMIT_EXCEEDED\"}}]}");
    lim = (gql_limits){.max_depth = 2};
    run_expect("{ deep { next { value } } }", NULL, NULL, &lim, REQERR,
               "{\"errors\": [{\"message\": \"The query is deeper than the maximum depth of 2.\", "
               "\"locations\": [{\"line\": 1, \"column\": 1}], \"extensions\": {\"code\": "
               "\"LIMIT_EXCEEDED\"}}]}");
    run_expect("{ deep { value } }", NULL, NULL, &lim, DATA,
               "{\"data\": {\"deep\": {\"value\": 1}}}");
    lim = (gql_limits){.max_complexity = 3};
    run_expect("{ items { ...F } }\nfragment F on Item { id name tags }", NULL, NULL, &lim, REQERR,
               "{\"errors\": [{\"message\": \"The query selects more than the maximum complexity "
               "of 3 fields.\", \"locations\": [{\"line\": 1, \"column\": 1}], \"extensions\": "
               "{\"code\": \"LIMIT_EXCEEDED\"}}]}");
    lim = (gql_limits){.max_aliases = 1};
    run_expect("{ a: hello b: hello }", NULL, NULL, &lim, REQERR,
               "{\"errors\": [{\"message\": \"The document uses 2 aliases, over the maximum of 1 "
               "aliases.\", \"locations\": [{\"line\": 1, \"column\": 1}], \"extensions\": "
               "{\"code\": \"LIMIT_EXCEEDED\"}}]}");
    lim = (gql_limits){.max_root_fields = 2};
    run_expect("{ hello ctx ...R }\nfragment R on Query { deep { value } }", NULL, NULL, &lim,
               REQERR,
               "{\"errors\": [{\"message\": \"The operation selects 3 root fields, over the "
               "maximum of 2 root fields.\", \"locations\": [{\"line\": 1, \"column\": 1}], "
               "\"extensions\": {\"code\": \"LIMIT_EXCEEDED\"}}]}");
    lim = (gql_limits){.no_introspection = 1};
    run_expect("{ hello __schema { queryType { name } } }", NULL, NULL, &lim, REQERR,
               "{\"errors\": [{\"message\": \"GraphQL introspection has been disabled, but the "
               "requested query contained the field \\\"__schema\\\".\", \"locations\": "
               "[{\"line\": 1, \"column\": 9}], \"extensions\": {\"code\": "
               "\"LIMIT_EXCEEDED\"}}]}");
    run_expect("{ __typename }", NULL, NULL, &lim, DATA, "{\"data\": {\"__typename\": \"Query\"}}");
}

/* A subscription's root field and arguments (the source stream), then an event answered. */
static void test_subscription_source(void **state)
{
    (void)state;
    const char *text = "subscription S($of: String!) { n: ticks(of: $of) }";
    gql_syntax_error se;
    gql_doc *doc = gql_parse(text, strlen(text), NULL, &se);
    assert_non_null(doc);
    json_object *errors = json_object_new_array();
    assert_int_equal(gql_validate(schema, doc, errors), 0);
    gql_request req;
    memset(&req, 0, sizeof req);
    req.query = text;
    req.query_len = strlen(text);
    req.variables = json_tokener_parse("{\"of\": \"clock\"}");
    const char *field = NULL;
    json_object *args = NULL;
    assert_int_equal(gql_subscription_source(schema, doc, &req, &field, &args, errors), 0);
    assert_string_equal(field, "ticks");
    assert_string_equal(json_object_to_json_string_ext(args, JSON_C_TO_STRING_PLAIN),
                        "{\"every\":1,\"of\":\"clock\"}");
    json_object_put(args);
    /* an event: the root value, read by the default resolver */
    req.root.json = json_tokener_parse("{\"ticks\": 7}");
    json_object *reply = gql_execute(schema, doc, &req, NULL);
    assert_string_equal(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN),
                        "{\"data\":{\"n\":7}}");
    json_object_put(reply);
    json_object_put(req.root.json);
    json_object_put(req.variables);
    /* a missing required variable is an error, not a stream */
    req.variables = NULL;
    req.root.json = NULL;
    assert_int_equal(gql_subscription_source(schema, doc, &req, &field, &args, errors), -1);
    assert_int_equal(json_object_array_length(errors), 1);
    json_object_put(errors);
    gql_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arguments_and_variables),
        cmocka_unit_test(test_selections),
        cmocka_unit_test(test_errors_and_null_propagation),
        cmocka_unit_test(test_request_errors),
        cmocka_unit_test(test_introspection),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_subscription_source),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
