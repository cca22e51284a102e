#!/usr/bin/env node
// tests/js/oracle.js - the reference side of the differential test: runs corpus programs in
// Node.js the way Ratchet runs a task (a fresh global per program, no require/process/timers,
// main(input) called, a returned promise awaited) and prints one JSON line per file:
//   {"file": F, "input": I, "value": V}               main returned (or resolved to) V
//   {"file": F, "input": I, "error": {name, message}}  main threw (or rejected)
//   {"file": F, "input": I, "undefined": true}        main returned undefined (Ratchet: output invalid)
//   {"file": F, "input": I, "oracle": "reason"}       the file could not be run at all
// With --check (used by differential.sh --node-only) it prints PASS/FAIL per file instead:
// a file passes when it runs, returns a JSON value, and throws only if its header says
// `// throws: NAME` (then it must throw exactly that error name).
'use strict';
const fs = require('fs');
const vm = require('vm');

const TIMEOUT_MS = 5000;

// Header comments at the top of a corpus file: `// input: {...}`, `// throws: Name`.
function headers(src) {
  const h = {};
  for (const line of src.split('\n')) {
    const m = /^\/\/\s*([a-z-]+):\s?(.*)$/.exec(line);
    if (!m) {
      if (line.trim() === '' || line.startsWith('//')) continue;
      break;
    }
    if (!(m[1] in h)) h[m[1]] = m[2].trim();
  }
  return h;
}

function errorInfo(e) {
  if (e !== null && (typeof e === 'object' || typeof e === 'function'))
    return { name: String(e.name), message: String(e.message) };
  return { name: '', message: String(e), value: true };
}

async function runFile(file) {
  const src = fs.readFileSync(file, 'utf8');
  const h = headers(src);
  const rec = { file, input: {} };
  if (h.input !== undefined) {
    try { rec.input = JSON.parse(h.input); } catch (e) { rec.oracle = 'bad input header: ' + e.message; return { rec, h }; }
  }
  // A bare context: the ECMAScript globals only. Ratchet's console goes to the log; here it is a sink.
  const sink = function () {};
  const ctx = vm.createContext({ console: { log: sink, info: sink, warn: sink, error: sink, debug: sink } });
  let result;
  try {
    vm.runInContext(src, ctx, { filename: 'main.js', timeout: TIMEOUT_MS });
    const main = vm.runInContext('typeof main === "function" ? main : undefined', ctx);
    if (typeof main !== 'function') { rec.oracle = 'no function main'; return { rec, h }; }
    // The input crosses into the context as JSON so its objects belong to the task's realm.
    ctx.__input = JSON.stringify(rec.input);
    result = vm.runInContext('main(JSON.parse(__input))', ctx, { timeout: TIMEOUT_MS });
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('oracle: promise not settled in ' + TIMEOUT_MS + ' ms')), TIMEOUT_MS);
      });
      try { result = await Promise.race([result, timeout]); } finally { clearTimeout(timer); }
    }
    // Ratchet drains the microtask queue before it serialises the output: do the same.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (e) {
    if (e && /^oracle: /.test(e.message)) { rec.oracle = e.message; return { rec, h }; }
    rec.error = errorInfo(e);
    return { rec, h };
  }
  if (result === undefined) { rec.undefined = true; return { rec, h }; }
  let text;
  try { text = JSON.stringify(result); } catch (e) { rec.oracle = 'result not serialisable: ' + e.message; return { rec, h }; }
  if (text === undefined) { rec.undefined = true; return { rec, h }; }
  rec.value = JSON.parse(text);
  return { rec, h };
}

function check(rec, h) {
  if (rec.oracle) return rec.oracle;
  if (rec.undefined) return 'main returned undefined (or a function)';
  if (h.throws !== undefined) {
    if (!rec.error) return 'header says throws: ' + h.throws + ' but main returned ' + JSON.stringify(rec.value);
    if (rec.error.name !== h.throws) return 'expected ' + h.throws + ', got ' + rec.error.name + ': ' + rec.error.message;
    return null;
  }
  if (rec.error) return 'main threw ' + rec.error.name + ': ' + rec.error.message;
  return null;
}

async function mainProgram() {
  const args = process.argv.slice(2);
  const checkMode = args[0] === '--check';
  const files = checkMode ? args.slice(1) : args;
  let passed = 0, failed = 0;
  for (const f of files) {
    const { rec, h } = await runFile(f);
    if (checkMode) {
      const why = check(rec, h);
      if (why) { failed++; console.log('FAIL ' + f + '\n    ' + why); } else { passed++; console.log('PASS ' + f); }
    } else {
      console.log(JSON.stringify(rec));
    }
  }
  if (checkMode) {
    console.log(passed + ' passed, ' + failed + ' failed');
    process.exitCode = failed ? 1 : 0;
  }
}

mainProgram().catch((e) => { console.error('oracle: ' + (e && e.stack || e)); process.exit(2); });
