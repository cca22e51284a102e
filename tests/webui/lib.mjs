// Shared pieces of the browser checks: the browser, signing in, REST calls from Node, axe,
// screenshots, and the ok:/FAIL: lines run.sh counts. Every wait has a deadline; nothing
// sleeps for a fixed time.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set (run these checks through tests/webui/run.sh)`);
  return v;
};
const require = createRequire(join(env("WEBUI_NPM_CACHE"), "node_modules", "noop.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const BASE = env("WEBUI_URL");
export const KEYS = {
  admin: env("WEBUI_ADMIN_KEY"),
  admin2: env("WEBUI_ADMIN2_KEY"),
  read: env("WEBUI_READ_KEY"),
  write: env("WEBUI_WRITE_KEY"),
};
export const SHOTS = env("WEBUI_SHOTS");

let failures = 0;
export function ok(cond, what, detail) {
  if (cond) console.log(`ok: ${what}`);
  else {
    failures++;
    console.log(`FAIL: ${what}${detail !== undefined ? ` (${typeof detail === "string" ? detail : JSON.stringify(detail)})` : ""}`);
  }
  return !!cond;
}

/** Runs one named step; an exception is a failed check, and the next steps still run. */
export async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    ok(false, `${name}: ${e.message.split("\n")[0]}`);
    console.error(e.stack);
  }
}

export function done() {
  console.log(failures ? `${failures} failed` : "all passed");
  process.exit(failures ? 1 : 0);
}

/** A browser context; every page's CSP violations and uncaught errors are collected. */
export async function open({ width = 1280, height = 900, colorScheme = "light" } = {}) {
  const browser = await chromium.launch({
    executablePath: env("WEBUI_CHROMIUM"),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion: "reduce" });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const problems = [];
  const urls = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => urls.push(r.url()));
  return { browser, context, page, problems, urls };
}

/** Signs in through the form (the page is on /ui/ and shows it). */
export async function signIn(page, key) {
  await page.goto(`${BASE}/ui/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Goes to a view by its hash route and waits for its heading. */
export async function view(page, hash, heading) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** axe-core in the page (evaluated through the DevTools protocol, which the CSP does not
 * govern); serious and critical violations fail. */
export async function axe(page, name) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  ok(
    bad.length === 0,
    `axe: no serious or critical violations on ${name} (${res.passes.length} rules pass)`,
    bad
      .map(
        (v) =>
          `${v.id} [${v.impact}] ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      )
      .join("; "),
  );
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A REST call from Node with a key (setting things up, checking what the UI did). */
export async function rest(path, { method = "GET", body, key = KEYS.admin } = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls fn until it returns a truthy value or the deadline passes. */
export async function until(what, fn, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
