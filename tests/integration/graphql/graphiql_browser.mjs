// tests/integration/graphql/graphiql_browser.mjs - GraphiQL at /graphiql in headless Chromium
// (playwright-core): the page loads from the server alone (every request the page makes goes
// to the server's origin: no CDN), without a CSP violation or an uncaught error; with the API
// key in GraphiQL's saved headers, running the default query shows the tasks in the result
// pane; a subscription run the same way streams its results over the WebSocket.
//   node graphiql_browser.mjs BASE_URL READ_KEY CHROMIUM NPM_CACHE
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [base, key, chromiumPath, cache] = process.argv.slice(2);
const require = createRequire(join(cache, 'node_modules', 'noop.js'));
const { chromium } = require('playwright-core');
let failed = 0;
const check = (cond, what, detail) => {
  if (cond) console.log(`ok: ${what}`);
  else {
    failed++;
    console.log(`FAIL: ${what}${detail !== undefined ? ': ' + JSON.stringify(detail).slice(0, 600) : ''}`);
  }
};

// GraphiQL creates its CodeMirror editors after the run button is on screen (the editor code
// is loaded lazily), and a click before both editors exist is dropped without a trace. So wait
// for both editors, click, and click again when no answer came within a few seconds.
const runUntilShown = async (page, marker) => {
  await page.waitForFunction(() =>
    document.querySelector('.graphiql-query-editor .CodeMirror') &&
    document.querySelector('.graphiql-response .CodeMirror'));
  const shown = () => page.waitForFunction((m) => {
    const pane = document.querySelector('.graphiql-response');
    return pane && pane.innerText.includes(m) ? pane.innerText : null;
  }, marker, { timeout: 10000 }).then((h) => h.jsonValue()).catch(() => null);
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.click('.graphiql-execute-button');
    const text = await shown();
    if (text) return text;
  }
  return null;
};

const browser = await chromium.launch({
  executablePath: chromiumPath, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(60000); // generous: CI runs it beside an ASan server on 2 CPUs
  // GraphiQL keeps its Headers tab in localStorage (shouldPersistHeaders): the key goes there
  await context.addInitScript((k) => {
    localStorage.setItem('graphiql:headers', JSON.stringify({ Authorization: `Bearer ${k}` }));
  }, key);
  const page = await context.newPage();
  const problems = [], foreign = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  const res = await page.goto(`${base}/graphiql`);
  check(res.status() === 200, 'GET /graphiql answers the page', res.status());
  await page.waitForSelector('.graphiql-execute-button');
  check(true, 'GraphiQL renders (its run button is there)');
  // the editor shows the default query; run it
  const shown = await runUntilShown(page, '"addition"');
  const text = shown ?? await page.evaluate(() => document.querySelector('.graphiql-response')?.innerText ?? '');
  check(shown && /"tasks"/.test(shown), 'running the query shows the tasks in the result pane', text.slice(0, 300));
  // a subscription (the editor's saved query): it goes over the WebSocket at /graphql/ws
  const sub = await context.newPage();
  await sub.addInitScript(() => localStorage.setItem('graphiql:query',
    'subscription { workerStatus { worker { id status } } }'));
  sub.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  let upgraded = false;
  sub.on('websocket', (w) => { if (w.url().endsWith('/graphql/ws')) upgraded = true; });
  await sub.goto(`${base}/graphiql`);
  const streamed = await runUntilShown(sub, '"workerStatus"');
  check(streamed && upgraded, 'a subscription streams its results over the WebSocket (CSP allows it)',
    { upgraded, text: streamed });
  check(foreign.length === 0, 'every request of the page goes to the server itself (no CDN)', foreign);
  check(problems.length === 0, 'no console error, CSP violation or uncaught exception', problems);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
