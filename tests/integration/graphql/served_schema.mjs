// tests/integration/graphql/served_schema.mjs - graphql-js as a client of /graphql: the
// introspection it serves (graphql-js's own getIntrospectionQuery, as GraphiQL sends it) must
// build a valid client schema that prints the same as schema.graphql, the file in the
// repository.
//   node served_schema.mjs URL API_KEY SCHEMA.graphql
import { readFileSync } from 'node:fs';
import * as g from 'graphql';

const [url, key, file] = process.argv.slice(2);
const res = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
  body: JSON.stringify({ query: g.getIntrospectionQuery({ specifiedByUrl: true,
    directiveIsRepeatable: true, inputValueDeprecation: true, schemaDescription: true,
    oneOf: true }), operationName: 'IntrospectionQuery' }),
});
const body = await res.json();
if (body.errors) {
  console.error(JSON.stringify(body.errors));
  process.exit(1);
}
const served = g.buildClientSchema(body.data);
const errors = g.validateSchema(served);
if (errors.length) {
  console.error(errors.map((e) => e.message).join('\n'));
  process.exit(1);
}
const want = g.printSchema(g.buildSchema(readFileSync(file, 'utf8')));
const got = g.printSchema(served);
if (got !== want) {
  const a = got.split('\n'), b = want.split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  console.error(`differs at line ${i + 1}:\n  served: ${a[i]}\n  file:   ${b[i]}`);
  process.exit(1);
}
console.log(`served schema = ${file} (${got.split('\n').length} lines)`);
