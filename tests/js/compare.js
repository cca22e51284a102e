#!/usr/bin/env node
// tests/js/compare.js - compares Ratchet's results with the oracle's, as JSON values.
// Usage: compare.js ORACLE.jsonl RESULTS_DIR
// ORACLE.jsonl has one record per corpus file (see oracle.js), in order; RESULTS_DIR/<n>.out,
// <n>.err and <n>.rc hold Ratchet's stdout, stderr and exit status for the n-th file (from 1).
// Object keys are compared without regard to order (MuJS sorts them); arrays in order.
// Prints PASS/FAIL per file, a diff for each failure, and `N passed, N failed` last.
'use strict';
const fs = require('fs');
const path = require('path');

const [oraclePath, resultsDir] = process.argv.slice(2);
const records = fs.readFileSync(oraclePath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

function show(v) {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? s.slice(0, 300) + '...' : s;
}

// diffs(a, b, at): the paths where expected a and actual b differ (at most a few).
function diffs(a, b, at, out) {
  if (out.length >= 8) return out;
  const ta = Array.isArray(a) ? 'array' : a === null ? 'null' : typeof a;
  const tb = Array.isArray(b) ? 'array' : b === null ? 'null' : typeof b;
  if (ta !== tb) { out.push(at + ': expected ' + show(a) + ', got ' + show(b)); return out; }
  if (ta === 'array') {
    if (a.length !== b.length) out.push(at + ': expected length ' + a.length + ', got ' + b.length);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diffs(a[i], b[i], at + '[' + i + ']', out);
  } else if (ta === 'object') {
    const keys = new Set(Object.keys(a).concat(Object.keys(b)));
    for (const k of [...keys].sort()) {
      const sub = /^[A-Za-z_$][\w$]*$/.test(k) ? at + '.' + k : at + '[' + JSON.stringify(k) + ']';
      if (!(k in b)) out.push(sub + ': missing (expected ' + show(a[k]) + ')');
      else if (!(k in a)) out.push(sub + ': unexpected ' + show(b[k]));
      else diffs(a[k], b[k], sub, out);
    }
  } else if (a !== b) {
    out.push(at + ': expected ' + show(a) + ', got ' + show(b));
  }
  return out;
}

function readOr(p, dflt) { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return dflt; } }

function tail(text, n) {
  const lines = text.trimEnd().split('\n');
  return lines.slice(0, n).map((l) => '      | ' + l).join('\n');
}

// `// known-difference: WHY` in a corpus file's header marks a documented difference between
// Ratchet and Node (README, "JavaScript"): it is reported, not failed — unless it passes, which
// means the header is stale.
function knownDifference(file) {
  for (const line of readOr(file, '').split('\n')) {
    if (!line.startsWith('//')) break;
    const m = /^\/\/\s*known-difference:\s*(.*)$/.exec(line);
    if (m) return m[1];
  }
  return null;
}

let passed = 0, failed = 0, known = 0;
records.forEach((rec, i) => {
  const n = i + 1;
  const out = readOr(path.join(resultsDir, n + '.out'), '');
  const err = readOr(path.join(resultsDir, n + '.err'), '');
  const rc = parseInt(readOr(path.join(resultsDir, n + '.rc'), '-1'), 10);
  const problems = [];
  if (rec.oracle) {
    problems.push('the oracle could not run it: ' + rec.oracle);
  } else if (rec.undefined) {
    problems.push('main returns undefined in Node: not a usable corpus program');
  } else if (rec.error) {
    const want = rec.error.value ? 'runtime error: ' + rec.error.message
      : 'runtime error: ' + rec.error.name + (rec.error.message ? ': ' + rec.error.message : '');
    if (rc !== 1) problems.push('expected a thrown ' + rec.error.name + ' (exit 1), got exit ' + rc + ' with ' + show(out.trim()));
    else if (!err.includes(want)) problems.push('stderr lacks ' + JSON.stringify(want));
  } else if (rc !== 0) {
    problems.push('expected ' + show(rec.value) + ', got exit ' + rc);
  } else {
    let got;
    try { got = JSON.parse(out); } catch (e) { problems.push('stdout is not JSON: ' + show(out)); }
    if (!problems.length) diffs(rec.value, got, '$', problems);
  }
  const why = knownDifference(rec.file);
  if (why !== null && problems.length) {
    known++;
    console.log('KNOWN ' + rec.file + ' (' + why + ')');
  } else if (why !== null) {
    failed++;
    console.log('FAIL ' + rec.file + ' passes: remove its known-difference header');
  } else if (problems.length) {
    failed++;
    console.log('FAIL ' + rec.file);
    for (const p of problems) console.log('    ' + p);
    if (err.trim() && (rc !== 0 || rec.error)) console.log('    stderr:\n' + tail(err, 6));
  } else {
    passed++;
    console.log('PASS ' + rec.file);
  }
});
console.log(passed + ' passed, ' + failed + ' failed' + (known ? ', ' + known + ' skipped' : ''));
process.exitCode = failed ? 1 : 0;
