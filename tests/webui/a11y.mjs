// Every view through axe-core (no serious or critical violations) in the light and the dark
// theme, readable at 360 px (no page-wide horizontal scrolling) and on a large screen, usable
// from the keyboard alone (skip link, visible focus, a task run with Tab/typing/Enter), with
// a screenshot of each view.
import { BASE, KEYS, axe, done, ok, open, rest, shot, signIn, step, view } from "./lib.mjs";

// Something to look at: finished jobs, a failure, a schedule.
const ran = await rest("/api/v1/tasks/addition/execute?wait=30", { method: "POST", body: { input: { num1: 2, num2: 40 } } });
await rest("/api/v1/tasks/failing-task/execute?wait=30", { method: "POST", body: { input: {} } });
const slow = await rest("/api/v1/tasks/slow-logger/execute?wait=30", { method: "POST", body: { input: { lines: 4, intervalMs: 20 } } });
await rest("/api/v1/schedules", {
  method: "POST",
  body: { name: "nightly-sum", taskName: "addition", cron: "0 3 * * *", timezone: "Europe/Paris", input: { num1: 1, num2: 1 } },
});
const jobId = ran.body?.data?.jobId;
const exId = slow.body?.data?.executionId;
ok(jobId && exId, "jobs to look at were run", { ran: ran.status, slow: slow.status });

const VIEWS = [
  ["dashboard", "#/dashboard", "Dashboard", "[data-testid=total-jobs]"],
  ["tasks", "#/tasks", "Tasks", ".task-list li"],
  ["task", "#/tasks/addition", "addition", "[data-testid=source] .tok-kw"],
  ["run", "#/tasks/order-form/run", "Run order-form", "form.run-form"],
  ["jobs", "#/jobs", "Jobs", "[data-testid=jobs-table] tbody tr"],
  ["job", `#/jobs/${jobId}`, `Job ${jobId}`, "[data-testid=run-output]"],
  ["executions", "#/executions", "Executions", "tbody tr"],
  ["execution", `#/executions/${exId}`, `Execution ${exId}`, "[data-testid=timeline] .console-line"],
  ["schedules", "#/schedules", "Schedules", "tr[data-schedule='nightly-sum']"],
  ["schedule-new", "#/schedules/new", "New schedule", "#s-cron"],
  ["workers", "#/workers", "Workers", "tbody tr"],
  ["keys", "#/keys", "API keys", "tr[data-key=admin]"],
];

async function visit(page, [, hash, heading, ready]) {
  await view(page, hash, heading);
  await page.locator(ready).first().waitFor();
}

for (const scheme of ["light", "dark"]) {
  const s = await open({ colorScheme: scheme });
  await step(`${scheme} theme`, async () => {
    await signIn(s.page, KEYS.admin);
    for (const v of VIEWS) {
      await step(`${v[0]} (${scheme})`, async () => {
        await visit(s.page, v);
        await axe(s.page, `${v[0]} (${scheme} theme)`);
        await shot(s.page, scheme === "light" ? v[0] : `${v[0]}-dark`);
      });
    }
    const bg = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    ok(
      scheme === "dark" ? bg === "rgb(15, 19, 23)" : bg === "rgb(246, 247, 249)",
      `the ${scheme} theme follows prefers-color-scheme (${bg})`,
    );
  });
  ok(s.problems.length === 0, `no CSP violations or page errors (${scheme})`, s.problems);
  await s.browser.close();
}

await step("360 px wide", async () => {
  const s = await open({ width: 360, height: 740 });
  await signIn(s.page, KEYS.admin);
  for (const v of VIEWS) {
    await visit(s.page, v);
    const [sw, cw] = await s.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    ok(sw <= cw, `${v[0]} fits 360 px without page-wide horizontal scrolling (${sw} <= ${cw})`);
    if (v[0] === "dashboard" || v[0] === "run" || v[0] === "execution") await shot(s.page, `${v[0]}-360px`);
  }
  await s.browser.close();
});

await step("large screen", async () => {
  const s = await open({ width: 2560, height: 1440 });
  await signIn(s.page, KEYS.admin);
  await visit(s.page, VIEWS[0]);
  const w = await s.page.evaluate(() => document.getElementById("main").getBoundingClientRect().width);
  ok(w <= 1400, `content keeps a readable width on a 2560 px screen (${Math.round(w)} px)`);
  await s.browser.close();
});

await step("keyboard only", async () => {
  const s = await open();
  const page = s.page;
  await page.goto(`${BASE}/ui/`);
  await page.getByLabel("API key").focus();
  await page.keyboard.type(KEYS.admin);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  ok(true, "sign in with the keyboard (type, Enter)");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.textContent);
  ok(first === "Skip to content", "the first Tab reaches the skip link", first);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  ok(outline !== "none", `the focused control shows a focus ring (outline ${outline})`);
  for (const expected of ["Ratchet", "Dashboard", "Tasks"]) {
    await page.keyboard.press("Tab");
    const at = await page.evaluate(() => document.activeElement.textContent);
    if (at !== expected) throw new Error(`Tab reached '${at}', expected '${expected}'`);
  }
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Tasks" }).waitFor();
  ok(true, "the navigation works from the keyboard (Tab to Tasks, Enter)");
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Tasks" }).waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  ok(await page.evaluate(() => document.activeElement.id === "main"), "the skip link moves focus to the content");
  await view(page, "#/tasks/addition/run", "Run addition");
  await page.getByLabel("num1").focus();
  await page.keyboard.type("20");
  await page.keyboard.press("Tab");
  await page.keyboard.type("22");
  await page.keyboard.press("Enter");
  const out = await page.getByTestId("run-output").innerText();
  ok(/"sum":\s*42/.test(out), "a task runs with Tab, typing and Enter only", out);
  await s.browser.close();
});

done();
