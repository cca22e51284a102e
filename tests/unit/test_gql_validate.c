/* tests/unit/test_gql_validate.c - every rule of the GraphQL specification's Validation section
 * (plugins/api-graphql/graphql/gql_validate*.c): a document breaking only that rule gets exactly
 * one error, with graphql-js's message and the location it gives; valid documents get none.
 * The schema is tests/graphql/test_schema.graphql. (tests/graphql/differential.sh compares many
 * more documents with graphql-js itself.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gql_int.h"

static gql_schema *schema;

static int setup(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/graphql/test_schema.graphql", RATCHET_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char sdl[65536];
    size_t n = fread(sdl, 1, sizeof sdl - 1, f);
    fclose(f);
    char err[512];
    schema = gql_schema_parse(sdl, n, err, sizeof err);
    if (!schema)
        fprintf(stderr, "schema: %s\n", err);
    return schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gql_schema_free(schema);
    return 0;
}

static json_object *validate(const char *src)
{
    gql_syntax_error se;
    gql_doc *d = gql_parse(src, strlen(src), NULL, &se);
    if (!d)
        fail_msg("%s: %s", src, se.message);
    json_object *errors = json_object_new_array();
    gql_validate(schema, d, errors);
    gql_doc_free(d);
    return errors;
}

typedef struct rule_case {
    const char *rule;
    const char *doc;
    const char *message;
    uint32_t line, col;   /* the first location */
    uint32_t line2, col2; /* the second, when the error has two (0: none) */
} rule_case;

static const rule_case cases[] = {
    {"ExecutableDefinitions", "{ dog { name } }\ntype T { a: Int }",
     "The \"T\" definition is not executable.", 2, 1, 0, 0},
    {"UniqueOperationNames", "query A { dog { name } }\nquery A { cat { name } }",
     "There can be only one operation named \"A\".", 1, 7, 2, 7},
    {"LoneAnonymousOperation", "{ dog { name } }\nquery A { cat { name } }",
     "This anonymous operation must be the only defined operation.", 1, 1, 0, 0},
    {"SingleFieldSubscriptions", "subscription S { newDog { name } newCat { name } }",
     "Subscription \"S\" must select only one top level field.", 1, 34, 0, 0},
    {"SingleFieldSubscriptions (introspection)", "subscription S { __typename }",
     "Subscription \"S\" must not select an introspection top level field.", 1, 18, 0, 0},
    {"FieldsOnCorrectType", "{ dog { nam } }",
     "Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"?", 1, 9, 0, 0},
    {"FieldsOnCorrectType (abstract)", "{ pet { barkVolume } }",
     "Cannot query field \"barkVolume\" on type \"Pet\". Did you mean to use an inline fragment "
     "on \"Canine\" or \"Dog\"?",
     1, 9, 0, 0},
    {"ScalarLeafs (leaf with selection)", "{ dog { name { x } } }",
     "Field \"name\" must not have a selection since type \"String\" has no subfields.", 1, 14, 0,
     0},
    {"ScalarLeafs (object without selection)", "{ dog }",
     "Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... "
     "}\"?",
     1, 3, 0, 0},
    {"KnownArgumentNames", "{ dog { name(sirname: true) } }",
     "Unknown argument \"sirname\" on field \"Dog.name\". Did you mean \"surname\"?", 1, 14, 0, 0},
    {"KnownArgumentNames (directive)", "{ dog { name @skip(if: true, unless: false) } }",
     "Unknown argument \"unless\" on directive \"@skip\".", 1, 30, 0, 0},
    {"UniqueArgumentNames", "{ dog { isAtLocation(x: 1, x: 2) } }",
     "There can be only one argument named \"x\".", 1, 22, 1, 28},
    {"ProvidedRequiredArguments", "{ dog { doesKnowCommand } }",
     "Field \"doesKnowCommand\" argument \"dogCommand\" of type \"DogCommand!\" is required, but "
     "it "
     "was not provided.",
     1, 9, 0, 0},
    {"ProvidedRequiredArguments (directive)", "{ dog { name @skip } }",
     "Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not "
     "provided.",
     1, 14, 0, 0},
    {"UniqueFragmentNames",
     "{ dog { ...F } }\nfragment F on Dog { name }\nfragment F on Dog { age }",
     "There can be only one fragment named \"F\".", 2, 10, 3, 10},
    {"KnownTypeNames", "{ dog { ... on Dgo { name } } }",
     "Unknown type \"Dgo\". Did you mean \"Dog\"?", 1, 16, 0, 0},
    {"FragmentsOnCompositeTypes", "{ dog { ...F } }\nfragment F on FurColor { x }",
     "Fragment \"F\" cannot condition on non composite type \"FurColor\".", 2, 15, 0, 0},
    {"FragmentsOnCompositeTypes (inline)", "{ dog { ... on Boolean { x } } }",
     "Fragment cannot condition on non composite type \"Boolean\".", 1, 16, 0, 0},
    {"NoUnusedFragments", "{ dog { name } }\nfragment F on Dog { name }",
     "Fragment \"F\" is never used.", 2, 1, 0, 0},
    {"KnownFragmentNames", "{ dog { ...Nope } }", "Unknown fragment \"Nope\".", 1, 12, 0, 0},
    {"PossibleFragmentSpreads", "{ dog { ... on Cat { meows } } }",
     "Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".", 1,
     9, 0, 0},
    {"PossibleFragmentSpreads (named)", "{ dog { ...C } }\nfragment C on Cat { meows }",
     "Fragment \"C\" cannot be spread here as objects of type \"Dog\" can never be of type "
     "\"Cat\".",
     1, 9, 0, 0},
    {"NoFragmentCycles", "{ dog { ...A } }\nfragment A on Dog { ...B }\nfragment B on Dog { ...A }",
     "Cannot spread fragment \"A\" within itself via \"B\".", 2, 21, 3, 21},
    {"UniqueVariableNames", "query ($a: Int, $a: Int) { dog { isAtLocation(x: $a) } }",
     "There can be only one variable named \"$a\".", 1, 9, 1, 18},
    /* used where no type is known (inside a custom scalar's literal), so that no other rule
     * complains */
    {"VariablesAreInputTypes", "query ($a: Dog) { complicatedArgs { anyArg(a: {x: $a}) } }",
     "Variable \"$a\" cannot be non-input type \"Dog\".", 1, 12, 0, 0},
    {"NoUndefinedVariables", "query Q { dog { isAtLocation(x: $x) } }",
     "Variable \"$x\" is not defined by operation \"Q\".", 1, 33, 1, 1},
    {"NoUnusedVariables", "query Q ($x: Int) { dog { name } }",
     "Variable \"$x\" is never used in operation \"Q\".", 1, 10, 0, 0},
    {"KnownDirectives", "{ dog @nope { name } }", "Unknown directive \"@nope\".", 1, 7, 0, 0},
    {"KnownDirectives (location)", "{ dog @onQuery { name } }",
     "Directive \"@onQuery\" may not be used on FIELD.", 1, 7, 0, 0},
    {"UniqueDirectivesPerLocation", "{ dog @onField @onField { name } }",
     "The directive \"@onField\" can only be used once at this location.", 1, 7, 1, 16},
    {"ValuesOfCorrectType", "{ complicatedArgs { intArgField(intArg: \"3\") } }",
     "Int cannot represent non-integer value: \"3\"", 1, 41, 0, 0},
    {"ValuesOfCorrectType (enum)", "{ complicatedArgs { enumArgField(enumArg: BRWN) } }",
     "Value \"BRWN\" does not exist in \"FurColor\" enum. Did you mean the enum value \"BROWN\"?",
     1, 43, 0, 0},
    {"ValuesOfCorrectType (null)",
     "{ complicatedArgs { nonNullIntArgField(nonNullIntArg: null) } }",
     "Expected value of type \"Int!\", found null.", 1, 55, 0, 0},
    {"ValuesOfCorrectType (object)", "{ complicatedArgs { complexArgField(complexArg: 1) } }",
     "Expected value of type \"ComplexInput\", found 1.", 1, 49, 0, 0},
    {"Input Object Field Names",
     "{ complicatedArgs { complexArgField(complexArg: {requiredField: "
     "true, nope: 1}) } }",
     "Field \"nope\" is not defined by type \"ComplexInput\".", 1, 71, 0, 0},
    {"Input Object Field Uniqueness",
     "{ complicatedArgs { complexArgField(complexArg: "
     "{requiredField: true, requiredField: true}) } }",
     "There can be only one input field named \"requiredField\".", 1, 50, 1, 71},
    {"Input Object Required Fields", "{ complicatedArgs { complexArgField(complexArg: {}) } }",
     "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", 1, 49,
     0, 0},
    {"OneOf Input Objects",
     "{ complicatedArgs { oneOfArgField(oneOfArg: {stringField: \"a\", "
     "intField: 1}) } }",
     "OneOf Input Object \"OneOfInput\" must specify exactly one key.", 1, 45, 0, 0},
    {"OneOf Input Objects (null)",
     "{ complicatedArgs { oneOfArgField(oneOfArg: {stringField: null}) } }",
     "Field \"OneOfInput.stringField\" must be non-null.", 1, 45, 0, 0},
    {"OneOf Input Objects (nullable variable)",
     "query ($s: String) { complicatedArgs { oneOfArgField(oneOfArg: {stringField: $s}) } }",
     "Variable \"$s\" is of type \"String\" but must be non-nullable to be used for OneOf Input "
     "Object \"OneOfInput\".",
     1, 8, 1, 78},
    {"MaxIntrospectionDepth",
     "{ __type(name: \"Dog\") { fields { type { interfaces { possibleTypes { name } } } } } }",
     "Maximum introspection depth exceeded", 1, 3, 0, 0},
    {"VariablesInAllowedPosition",
     "query ($i: Int) { complicatedArgs { nonNullIntArgField("
     "nonNullIntArg: $i) } }",
     "Variable \"$i\" of type \"Int\" used in position expecting type \"Int!\".", 1, 8, 1, 71},
    {"OverlappingFieldsCanBeMerged", "{ dog { name: nickname name } }",
     "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use "
     "different "
     "aliases on the fields to fetch both if this was intentional.",
     1, 9, 1, 24},
    {"OverlappingFieldsCanBeMerged (arguments)",
     "{ dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) } }",
     "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different "
     "aliases on the fields to fetch both if this was intentional.",
     1, 9, 1, 42},
    {"OverlappingFieldsCanBeMerged (types)",
     "{ pet { ... on Dog { x: barkVolume } ... on Cat { x: nickname } } }",
     "Fields \"x\" conflict because they return conflicting types \"Int\" and \"String\". Use "
     "different aliases on the fields to fetch both if this was intentional.",
     1, 22, 1, 51},
};

static void test_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const rule_case *c = &cases[i];
        json_object *errors = validate(c->doc);
        size_t n = json_object_array_length(errors);
        if (n != 1)
            fail_msg("%s: %zu errors: %s", c->rule, n, json_object_to_json_string(errors));
        json_object *e = json_object_array_get_idx(errors, 0), *m, *locs;
        json_object_object_get_ex(e, "message", &m);
        json_object_object_get_ex(e, "locations", &locs);
        if (strcmp(json_object_get_string(m), c->message) != 0)
            fail_msg("%s:\n  got  %s\n  want %s", c->rule, json_object_get_string(m), c->message);
        uint32_t want[2][2] = {{c->line, c->col}, {c->line2, c->col2}};
        size_t nloc = c->line2 ? 2 : 1;
        if (json_object_array_length(locs) != nloc)
            fail_msg("%s: locations %s", c->rule, json_object_to_json_string(locs));
        for (size_t k = 0; k < nloc; k++) {
            json_object *l = json_object_array_get_idx(locs, k), *line, *col;
            json_object_object_get_ex(l, "line", &line);
            json_object_object_get_ex(l, "column", &col);
            if ((uint32_t)json_object_get_int(line) != want[k][0] ||
                (uint32_t)json_object_get_int(col) != want[k][1])
                fail_msg("%s: location %zu is %d:%d, want %u:%u", c->rule, k,
                         json_object_get_int(line), json_object_get_int(col), want[k][0],
                         want[k][1]);
        }
        json_object_put(errors);
    }
}

static void test_valid_documents(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{ dog { name } }",
        "query Q($a: Int = 1, $b: Boolean!, $c: ComplexInput) @onQuery {\n"
        "  dog { isAtLocation(x: $a, y: 2) name @skip(if: $b) ...F }\n"
        "  complicatedArgs { complexArgField(complexArg: $c) "
        "b: complexArgField(complexArg: {requiredField: true, nested: {requiredField: false}}) }\n"
        "  pet { ... on Dog { barkVolume } ... on Cat { meows } __typename }\n"
        "  catOrDog { ... on Being { name } }\n"
        "}\nfragment F on Canine { barkVolume ... on Dog { doesKnowCommand(dogCommand: SIT) } }",
        "subscription { newDog { name } }",
        "mutation M { rename(name: \"x\") { name } }",
        "{ __schema { types { name } } __type(name: \"Dog\") { name } }",
        "{ pet { ... on Dog { x: name } ... on Cat { x: nickname } } }",
        "query ($o: OneOfInput) { complicatedArgs { oneOfArgField(oneOfArg: $o) a: oneOfArgField("
        "oneOfArg: {intField: 1}) } }",
        "{ complicatedArgs { stringListArgField(stringListArg: \"single\") idArgField(idArg: 1) "
        "floatArgField(floatArg: 1) anyArg(a: {x: [1, {y: null}]}) } }",
        "{ dog { name @repeat @repeat(n: 2) } }",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        json_object *errors = validate(docs[i]);
        if (json_object_array_length(errors) != 0)
            fail_msg("%s:\n%s", docs[i], json_object_to_json_string(errors));
        json_object_put(errors);
    }
}

/* Past 100 errors validation stops with one more error saying so. */
static void test_error_limit(void **state)
{
    (void)state;
    char doc[8192] = "{ dog {";
    for (int i = 0; i < 150; i++) {
        size_t l = strlen(doc);
        snprintf(doc + l, sizeof doc - l, " f%d", i);
    }
    strcat(doc, " } }");
    json_object *errors = validate(doc);
    assert_int_equal(json_object_array_length(errors), 101);
    json_object *m;
    json_object_object_get_ex(json_object_array_get_idx(errors, 100), "message", &m);
    assert_string_equal(json_object_get_string(m),
                        "Too many validation errors, error limit reached. Validation aborted.");
    json_object_put(errors);
}

/* A document built to multiply field comparisons (fragments spread in many places) is bounded. */
static void test_merge_work_bounded(void **state)
{
    (void)state;
    char doc[65536] = "{ dog { ...F0 } }\n";
    for (int i = 0; i < 20; i++) {
        size_t l = strlen(doc);
        snprintf(doc + l, sizeof doc - l,
                 "fragment F%d on Dog { name owner { name } ...F%d ...F%d x%d: name }\n", i, i + 1,
                 i + 1, i);
    }
    strcat(doc, "fragment F20 on Dog { name }\n");
    json_object *errors = validate(doc);
    json_object_put(errors); /* it returns: that is the test */
}

static void test_schema_errors(void **state)
{
    (void)state;
    static const struct {
        const char *sdl, *message;
    } bad[] = {
        {"type Query { a: Nope }", "1:17: Unknown type \"Nope\"."},
        {"type Query { a: Int } type Query { b: Int }",
         "1:23: There can be only one type named \"Query\"."},
        {"type Query { a: Int a: Int }", "1:21: Field \"Query.a\" can only be defined once."},
        {"type Query { a(x: Query): Int }", "1:16: The type of Query.a.x must be an input type."},
        {"input I { a: Int } type Query { a: I }",
         "1:33: The type of Query.a must be Output Type."},
        {"interface I { a: Int } type Query implements I { b: Int }",
         "1:24: Interface field I.a expected but Query does not provide it."},
        {"type T { a: Int }", "Query root type must be provided."},
        {"type Query { a: Int } extend type Query { b: Int }",
         "1:23: Type system extensions are not supported."},
        {"type __Q { a: Int } type Query { a: Int }",
         "1:1: Name \"__Q\" must not begin with \"__\", which is reserved by GraphQL "
         "introspection."},
        {"type Query { a: Int", "1:20: Syntax Error: Expected Name, found <EOF>."},
        {"{ a }", "1:1: The schema may hold only type system definitions."},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[512];
        gql_schema *s = gql_schema_parse(bad[i].sdl, strlen(bad[i].sdl), err, sizeof err);
        if (s)
            fail_msg("accepted: %s", bad[i].sdl);
        if (strcmp(err, bad[i].message) != 0)
            fail_msg("%s:\n  got  %s\n  want %s", bad[i].sdl, err, bad[i].message);
    }
}

/* The Ratchet schema, as served, loads. */
static void test_ratchet_schema(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/plugins/api-graphql/schema.graphql", RATCHET_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char sdl[131072];
    size_t n = fread(sdl, 1, sizeof sdl - 1, f);
    fclose(f);
    char err[512];
    gql_schema *s = gql_schema_parse(sdl, n, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    assert_non_null(gql_type_field(s->mutation, "executeTaskSync"));
    const gql_field *et = gql_type_field(s->mutation, "executeTask");
    assert_non_null(et);
    assert_non_null(gql_type_input_field(gql_named(et->args[0].type), "inputData"));
    static const char *const subs[] = {"jobStatus", "taskExecutions", "executionLogs",
                                       "workerStatus"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(gql_type_field(s->subscription, subs[i]));
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),         cmocka_unit_test(test_valid_documents),
        cmocka_unit_test(test_error_limit),   cmocka_unit_test(test_merge_work_bounded),
        cmocka_unit_test(test_schema_errors), cmocka_unit_test(test_ratchet_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
