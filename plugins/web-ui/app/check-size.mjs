// After the build: print the gzipped size of the JavaScript and CSS and fail above the budget
// (issue 19: at most 200 KB gzipped together); also refuse inline scripts or styles in
// index.html, which the server's Content-Security-Policy would block.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 200 * 1024;
const out = process.env.RATCHET_UI_OUT || "dist";
const assets = join(out, "assets");
let total = 0;
for (const f of readdirSync(assets)) {
  if (!/\.(js|css)$/.test(f)) continue;
  const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  total += gz;
  console.log(`  ${f}: ${(gz / 1024).toFixed(1)} KB gzipped`);
}
console.log(`web UI JS+CSS: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error(`error: the web UI's JS+CSS is ${total} bytes gzipped, over the ${BUDGET}-byte budget`);
  process.exit(1);
}
const html = readFileSync(join(out, "index.html"), "utf8");
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html) || /<style[\s>]/i.test(html) || /\sstyle=/i.test(html)) {
  console.error("error: index.html has an inline script or style, which the CSP blocks");
  process.exit(1);
}
