#!/usr/bin/env node
// Differential tests of the runtime modules: each *.test.js runs in Node (native built-ins)
// and in the MuJS shell (the modules it names, with their `needs`, then the test); the
// values each records with out() must be identical (objects compared without key order).
// Usage: node run.js [name-filter]
"use strict";
const fs = require("fs"), path = require("path"), cp = require("child_process"), os = require("os");
const here = __dirname;
const rtdir = path.resolve(here, "../../../host/task/compiler/runtime");

function header(text) {
  const h = { needs: [], triggers: [] };
  for (const line of text.split("\n")) {
    const m = /^\/\/ (module|needs|triggers|modules):(.*)$/.exec(line);
    if (!m) { if (!line.startsWith("//")) break; continue; }
    h[m[1]] = m[2].trim().split(/\s+/).filter(Boolean);
  }
  return h;
}
const modules = {};
for (const f of fs.readdirSync(rtdir).filter(f => f.endsWith(".js"))) {
  const text = fs.readFileSync(path.join(rtdir, f), "utf8");
  modules[f.slice(0, -3)] = { text, ...header(text) };
}
function order(names) {
  const out = [], seen = new Set();
  (function visit(list) {
    for (const n of list) {
      if (seen.has(n)) continue;
      if (!modules[n]) throw new Error("no runtime module " + n);
      seen.add(n);
      visit(modules[n].needs);
      out.push(n);
    }
  })(names);
  return out;
}
const common = fs.readFileSync(path.join(here, "common.js"), "utf8");
const nodePrelude = fs.readFileSync(path.join(here, "node_prelude.js"), "utf8");
const tail = "\nif (typeof $jsc_drain === 'function') $jsc_drain();\nprint(JSON.stringify($log));\n";
const nodeTail = "\nsetTimeout(function () { console.log(JSON.stringify($log)); }, 0);\n";

function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = canon(v[k]);
    return o;
  }
  return v;
}

const filter = process.argv[2] || "";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rt-diff-"));
let pass = 0, fail = 0, checks = 0;
for (const f of fs.readdirSync(here).filter(f => f.endsWith(".test.js") && f.includes(filter)).sort()) {
  const test = fs.readFileSync(path.join(here, f), "utf8");
  const names = order(header(test).modules);
  const mujsSrc = names.map(n => modules[n].text).join("\n") + "\n" + common + "\n" + test + tail;
  const nodeSrc = nodePrelude + "\n" + common + "\n" + test + nodeTail;
  const mf = path.join(tmp, "m_" + f), nf = path.join(tmp, "n_" + f);
  fs.writeFileSync(mf, mujsSrc);
  fs.writeFileSync(nf, nodeSrc);
  const m = cp.spawnSync("mujs", [mf], { encoding: "utf8" });
  const n = cp.spawnSync("node", ["--unhandled-rejections=none", nf], { encoding: "utf8" });
  let mv, nv, why = null;
  try { nv = JSON.parse(n.stdout.trim().split("\n").pop()); } catch (e) { why = "node: " + n.stdout + n.stderr; }
  try { mv = JSON.parse(m.stdout.trim().split("\n").pop()); } catch (e) { why = why || "mujs: " + m.stdout + m.stderr; }
  if (!why) {
    for (let i = 0; !why && i < Math.max(mv.length, nv.length); i++)
      if (JSON.stringify(canon(mv[i])) !== JSON.stringify(canon(nv[i])))
        why = `value #${i + 1}: MuJS ${JSON.stringify(mv[i])}, Node ${JSON.stringify(nv[i])}`;
    for (let i = 0; !why && i < nv.length; i++)
      if (JSON.stringify(canon(mv[i])) !== JSON.stringify(canon(nv[i])))
        why = `value #${i + 1}: MuJS ${JSON.stringify(mv[i])}, Node ${JSON.stringify(nv[i])}`;
  }
  if (why) { fail++; console.log(`FAIL ${f}: ${why}`); }
  else { pass++; checks += nv.length; console.log(`ok   ${f} (${nv.length} values; modules: ${names.join(" ")})`); }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${pass} passed, ${fail} failed, ${checks} values compared`);
process.exit(fail ? 1 : 0);
