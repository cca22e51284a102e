// tests/js/regex_oracle.js - JSON Schema "pattern" against Node's RegExp (the ECMA-262 oracle).
//
//   node regex_oracle.js DIR SEED COUNT   writes COUNT random patterns with one subject each,
//                                         100 to a folder DIR/0, DIR/1, ...: schema.json (the
//                                         patterns as properties k0..k99), instance.json (the
//                                         subjects) and cases.json (both, for the comparison);
//                                         100 at most, as `schema check` stops after 100 errors
//   node regex_oracle.js --compare DIR    reads each batch's `ratchet schema check` lines from
//                                         its out.txt and prints every pair on which Node and
//                                         Ratchet disagree, then "PAIRS DISAGREEMENTS"
//
// Patterns come from a small grammar (literals, ., classes, \d \w \s \b, groups, alternation,
// every quantifier greedy and lazy, anchors) and subjects from a small alphabet with a
// non-ASCII letter and a newline, so that each construct meets strings that almost match.
// Only the Basic Multilingual Plane is used: there ECMA-262 without the u flag and Ratchet's
// code-point matching agree.
'use strict';
const fs = require('fs');
const path = require('path');

function rng(seed) {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

function pattern(r, depth) {
  const alts = r(5) === 0 && depth < 3 ? 2 + r(2) : 1;
  const out = [];
  for (let a = 0; a < alts; a++) {
    let seq = '';
    const n = 1 + r(4);
    for (let i = 0; i < n; i++) seq += piece(r, depth);
    out.push(seq);
  }
  return out.join('|');
}

function atom(r, depth) {
  switch (r(12)) {
    case 0: return '.';
    case 1: return ['[ab]', '[^a]', '[a-c1]', '[^\\s]', '[\\d_]', '[é-ü]'][r(6)];
    case 2: return ['\\d', '\\w', '\\s', '\\W', '\\D', '\\S'][r(6)];
    case 3: case 4: return depth < 3 ? '(' + (r(2) ? '?:' : '') + pattern(r, depth + 1) + ')' : 'a';
    case 5: return 'é';
    default: return 'abc1 '[r(5)];
  }
}

function piece(r, depth) {
  switch (r(14)) {
    case 0: return '^';
    case 1: return '$';
    case 2: return r(2) ? '\\b' : '\\B';
    default: break;
  }
  let p = atom(r, depth);
  const q = r(10);
  if (q < 5) {
    p += ['*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}'][r(7)];
    if (r(4) === 0) p += '?';
  }
  return p;
}

function subject(r) {
  let s = '';
  const n = r(9);
  for (let i = 0; i < n; i++) s += 'aabbc1 _é\n'[r(10)];
  return s;
}

function compare(batch) {
  const cases = JSON.parse(fs.readFileSync(path.join(batch, 'cases.json'), 'utf8'));
  const lines = fs.readFileSync(path.join(batch, 'out.txt'), 'utf8').split('\n');
  const failed = new Set();
  let bad = 0;
  for (const l of lines.filter((x) => x.length > 0)) {
    const m = /^\/(k\d+): pattern: /.exec(l);
    if (m) failed.add(m[1]);
    else {
      console.log(`${batch}: unexpected line: ${l}`);
      bad++;
    }
  }
  for (const [key, c] of Object.entries(cases)) {
    const node = new RegExp(c.p).test(c.s);
    const ours = !failed.has(key);
    if (node !== ours) {
      bad++;
      console.log(`${key}: /${c.p}/ on ${JSON.stringify(c.s)}: node ${node}, ratchet ${ours}`);
    }
  }
  return [Object.keys(cases).length, bad];
}

if (process.argv[2] === '--compare') {
  const dir = process.argv[3];
  let pairs = 0;
  let bad = 0;
  for (const b of fs.readdirSync(dir)) {
    const [n, k] = compare(path.join(dir, b));
    pairs += n;
    bad += k;
  }
  console.log(`${pairs} ${bad}`);
} else {
  const [dir, seed, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  const r = rng(seed);
  for (let b = 0; b * 100 < count; b++) {
    const props = {};
    const instance = {};
    const cases = {};
    for (let i = 0; i < 100 && b * 100 + i < count; i++) {
      const p = pattern(r, 0);
      const s = subject(r);
      props['k' + i] = { pattern: p };
      instance['k' + i] = s;
      cases['k' + i] = { p, s };
    }
    const batch = path.join(dir, String(b));
    fs.mkdirSync(batch, { recursive: true });
    fs.writeFileSync(path.join(batch, 'schema.json'), JSON.stringify({ properties: props }));
    fs.writeFileSync(path.join(batch, 'instance.json'), JSON.stringify(instance));
    fs.writeFileSync(path.join(batch, 'cases.json'), JSON.stringify(cases));
  }
}
