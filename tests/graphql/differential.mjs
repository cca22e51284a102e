// tests/graphql/differential.mjs - our GraphQL library against graphql-js 16, the reference
// implementation: validation errors (message and locations) of every document in cases.graphql
// against test_schema.graphql, the responses to the documents of exec_cases.graphql (root.json
// as the root value, default resolvers), and the full introspection of test_schema.graphql and of the
// Ratchet schema (plugins/api-graphql/schema.graphql), which graphql-js must also accept as a
// client schema (buildClientSchema + validateSchema).
//
//   node differential.mjs GQL_CLI SOURCE_DIR
//
// Prints "ok: ..." / "FAIL: ..." lines and exits 1 when any check failed.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as g from 'graphql';

const [cli, src] = process.argv.slice(2);
const dir = join(src, 'tests/graphql');
const work = mkdtempSync(join(tmpdir(), 'gql-diff-'));
let failed = 0, passed = 0;

function ours(cmd, schemaPath, docText, ...rest) {
  const f = join(work, 'doc.graphql');
  writeFileSync(f, docText);
  return JSON.parse(execFileSync(cli, [cmd, schemaPath, f, ...rest], { encoding: 'utf8' }));
}

function theirsValidate(schema, text) {
  let doc;
  try {
    doc = g.parse(text);
  } catch (e) {
    return [{ message: e.message, locations: e.locations }];
  }
  return g.validate(schema, doc).map((e) => ({ message: e.message, locations: e.locations }));
}

function norm(errors) {
  return errors
    .map((e) => JSON.stringify({ message: e.message, locations: e.locations ?? [] }))
    .sort();
}

// The first few paths where two json values differ.
function diff(a, b, path = '', out = []) {
  if (out.length >= 5) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' &&
      Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diff(a[k], b[k], `${path}/${k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${path}: ours ${JSON.stringify(a)?.slice(0, 300)}, graphql-js ${
      JSON.stringify(b)?.slice(0, 300)}`);
  }
  return out;
}

function check(name, a, b) {
  const d = diff(a, b);
  if (d.length === 0) {
    passed++;
    console.log(`ok: ${name}`);
  } else {
    failed++;
    console.log(`FAIL: ${name}\n  ` + d.join('\n  '));
  }
}

// ---- validation ------------------------------------------------------------------------------
const testSchemaPath = join(dir, 'test_schema.graphql');
const testSchema = g.buildSchema(readFileSync(testSchemaPath, 'utf8'));
const cases = readFileSync(join(dir, 'cases.graphql'), 'utf8').split(/^# ---/m).slice(1);
for (const c of cases) {
  const nl = c.indexOf('\n');
  const title = c.slice(0, nl).trim() || '(untitled)';
  // keep line numbers: the title line becomes an empty comment line
  const text = '#\n' + c.slice(nl + 1);
  const mine = ours('validate', testSchemaPath, text);
  check(`validate ${title}`, norm(mine), norm(theirsValidate(testSchema, text)));
}

// ---- execution -------------------------------------------------------------------------------
const root = JSON.parse(readFileSync(join(dir, 'root.json'), 'utf8'));
const execCases = readFileSync(join(dir, 'exec_cases.graphql'), 'utf8').split(/^# ---/m).slice(1);
for (const c of execCases) {
  const nl = c.indexOf('\n');
  const [title, vars, op] = c.slice(0, nl).split(' | ').map((x) => x.trim());
  const text = '#\n' + c.slice(nl + 1);
  const args = [];
  if (vars) args.push('-v', vars);
  if (op) args.push('-o', op);
  args.push('-r', join(dir, 'root.json'));
  const mine = ours('execute', testSchemaPath, text, ...args);
  const theirs = JSON.parse(JSON.stringify(g.graphqlSync({
    schema: testSchema, source: text, rootValue: root,
    variableValues: vars ? JSON.parse(vars) : undefined, operationName: op || undefined,
  })));
  check(`execute ${title || '(untitled)'}`, mine, theirs);
}

// ---- introspection ---------------------------------------------------------------------------
function sortIntrospection(data) {
  const s = data.__schema;
  s.types.sort((a, b) => a.name.localeCompare(b.name));
  s.directives.sort((a, b) => a.name.localeCompare(b.name));
  return data;
}

const introspection = g.getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
for (const path of [testSchemaPath, join(src, 'plugins/api-graphql/schema.graphql')]) {
  const schema = g.buildSchema(readFileSync(path, 'utf8'));
  const errs = g.validateSchema(schema).map((e) => e.message);
  check(`graphql-js accepts ${path.replace(src + '/', '')}`, errs, []);
  const mine = ours('execute', path, introspection);
  const theirs = JSON.parse(JSON.stringify(g.graphqlSync({ schema, source: introspection })));
  check(`introspection of ${path.replace(src + '/', '')} has no errors`, mine.errors ?? [], []);
  if (!mine.data) continue;
  check(`introspection of ${path.replace(src + '/', '')}`, sortIntrospection(mine.data),
    sortIntrospection(theirs.data));
  // GraphiQL's query (the defaults) and a client schema built from our answer
  const plain = ours('execute', path, g.getIntrospectionQuery());
  let clientErrs;
  try {
    clientErrs = g.validateSchema(g.buildClientSchema(plain.data)).map((e) => e.message);
  } catch (e) {
    clientErrs = [String(e)];
  }
  check(`buildClientSchema of ${path.replace(src + '/', '')}`, clientErrs, []);
  let printed;
  try {
    printed = g.printSchema(g.buildClientSchema(plain.data));
  } catch (e) {
    printed = String(e);
  }
  check(`printSchema of our introspection of ${path.replace(src + '/', '')}`, printed,
    g.printSchema(g.buildClientSchema(
      g.graphqlSync({ schema, source: g.getIntrospectionQuery() }).data)));
}

console.log(`differential: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
