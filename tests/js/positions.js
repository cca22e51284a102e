#!/usr/bin/env node
// tests/js/positions.js - checks the headers of tests/js/positions/*.js against Node.js (V8):
// each file must throw, V8's stack must contain every `// stack-has:` text and
// "NAME: MESSAGE" every `// message-has:` text. Used by positions.sh --node-only, so that the
// expected line:column values are those a real engine reports (the column of `new` in
// `throw new X(...)`, the column of the callee in a call).
'use strict';
const fs = require('fs');
const vm = require('vm');

async function check(file) {
  const src = fs.readFileSync(file, 'utf8');
  const sink = function () {};
  const ctx = vm.createContext({ console: { log: sink, info: sink, warn: sink, error: sink, debug: sink } });
  let err = null;
  try {
    vm.runInContext(src, ctx, { filename: 'main.js', timeout: 5000 });
    await vm.runInContext('main({})', ctx, { timeout: 5000 });
  } catch (e) { err = e; }
  const stackHas = [...src.matchAll(/^\/\/\s*stack-has:\s*(.*?)\s*$/gm)].map((m) => m[1]);
  const messageHas = [...src.matchAll(/^\/\/\s*message-has:\s*(.*?)\s*$/gm)].map((m) => m[1]);
  const problems = [];
  if (!stackHas.length && !messageHas.length) problems.push('no stack-has or message-has header');
  if (!err) return problems.concat('main did not throw');
  const frames = String(err.stack).split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  for (const w of stackHas) if (!frames.includes(w)) problems.push('V8 stack lacks ' + w + ':\n' + frames.split('\n').slice(0, 3).join('\n'));
  const text = err.name + ': ' + err.message;
  for (const w of messageHas) if (!text.includes(w)) problems.push('error ' + JSON.stringify(text) + ' lacks ' + JSON.stringify(w));
  return problems;
}

(async () => {
  let passed = 0, failed = 0;
  for (const f of process.argv.slice(2)) {
    const problems = await check(f);
    if (problems.length) { failed++; console.log('FAIL ' + f); for (const p of problems) console.log('    ' + p); }
    else { passed++; console.log('PASS ' + f); }
  }
  console.log(passed + ' passed, ' + failed + ' failed');
  process.exitCode = failed ? 1 : 0;
})();
