// What a user does in the web UI, in Chromium against the real server: sign in; run a task
// through the generated form and see its output (and a typed error); submit an invalid form
// and see the errors at their fields; watch an execution's console lines arrive live; cancel a
// running job (and a selection); create a schedule and see its next fire times; a read-only key
// sees no write actions; revoke a key and be signed out.
import { BASE, KEYS, axe, done, ok, open, rest, shot, signIn, step, until, view } from "./lib.mjs";

const { browser, page, problems, urls } = await open();

await step("sign in", async () => {
  await page.goto(`${BASE}/ui/`);
  await page.getByRole("heading", { name: "Sign in to Ratchet" }).waitFor();
  await shot(page, "sign-in");
  await page.getByLabel("API key").fill("rk_not_a_real_key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("This key was refused").waitFor();
  ok(true, "a wrong key is refused with a message on the sign-in form");
  await page.getByLabel("API key").fill(KEYS.admin);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  ok(true, "signing in with an admin key opens the dashboard");
  const stored = await page.evaluate(() => sessionStorage.getItem("ratchet.apiKey"));
  ok(stored === KEYS.admin, "the key is kept in sessionStorage");
  ok(await page.getByRole("link", { name: "API keys" }).isVisible(), "an admin sees the API keys view");
});

await step("run a task through the generated form", async () => {
  await view(page, "#/tasks/addition/run", "Run addition");
  await page.getByLabel("num1").fill("2");
  await page.getByLabel("num2").fill("40");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const out = page.getByTestId("run-output");
  await out.waitFor();
  const text = await out.innerText();
  ok(/"sum":\s*42/.test(text), "addition 2 + 40 through the form shows the output {sum: 42}", text);
  ok((await page.getByTestId("run-status").innerText()).includes("completed"), "the run's status is completed");

  // Every kind of field: text, integer (default), number, boolean, enum, nested object, arrays.
  await view(page, "#/tasks/order-form/run", "Run order-form");
  await page.getByLabel("customer").waitFor();
  ok((await page.getByLabel("quantity").inputValue()) === "1", "the integer field starts at its default (1)");
  ok((await page.getByLabel("shipping").locator("option:checked").innerText()) === "standard", "the enum is a select at its default");
  ok(await page.getByText("How many boxes").isVisible(), "descriptions are shown as help");
  ok(await page.locator("label[for='in.customer'] .req").isVisible(), "required fields are marked");
  await page.getByLabel("customer").fill("Ada");
  await page.getByLabel("quantity").fill("3");
  await page.getByLabel("discount").fill("0.1");
  await page.getByLabel("gift").check();
  await page.getByLabel("shipping").selectOption({ label: "express" });
  const address = page.getByRole("group", { name: "address" });
  await address.getByLabel("city").fill("Lyon");
  await address.getByLabel("country").selectOption({ label: "FR" });
  await page.getByRole("button", { name: "Add to tags" }).click();
  await page.getByRole("button", { name: "Add to tags" }).click();
  await page.getByLabel("tags item 1").fill("fragile");
  await page.getByLabel("tags item 2").fill("blue");
  await page.getByRole("button", { name: "Add to lines" }).click();
  const line = page.getByRole("group", { name: "lines item 1" });
  await line.getByLabel("sku").fill("BX-1");
  await line.getByLabel("qty").fill("4");
  await shot(page, "run-form");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const summary = await page.getByTestId("run-output").innerText();
  ok(
    summary.includes("Ada x3 to Lyon/FR by express gift=true discount=0.1 tags=fragile+blue units=4"),
    "every kind of field reaches the task typed (text, integer, number, boolean, enum, object, arrays)",
    summary,
  );
  await axe(page, "the run form with an output");

  await view(page, "#/tasks/failing-task/run", "Run failing-task");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const err = page.getByTestId("run-error");
  await err.waitFor();
  const et = await err.innerText();
  ok(
    et.includes("TypeError") && /main\.js:3/.test(et),
    "a failing task shows its typed error (TypeError) and the stack with main.js:3",
    et,
  );
});

await step("a run longer than the request's wait is followed live", async () => {
  await view(page, "#/tasks/slow-logger/run", "Run slow-logger");
  await page.getByLabel("lines").fill("3");
  await page.getByLabel("intervalMs").fill("1500");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.getByText("line 1 of 3").waitFor();
  ok((await page.getByTestId("run-output").count()) === 0, "the first console line shows while the run goes on (after the 3 s wait)");
  const out = page.getByTestId("run-output");
  await out.waitFor({ timeout: 20000 });
  ok(/"lines":\s*3/.test(await out.innerText()), "the output shows when the job ends", await out.innerText());
});

await step("a task's page: source, schemas, versions, tests", async () => {
  await view(page, "#/tasks/addition", "addition");
  const src = page.getByTestId("source");
  await src.locator(".tok-kw").first().waitFor();
  ok((await src.innerText()).includes("return { sum: num1 + num2 };"), "the source is shown");
  ok((await src.locator(".tok-kw").allInnerTexts()).includes("function"), "keywords are highlighted");
  ok((await page.getByLabel("Version").locator("option").count()) >= 1, "the versions are listed");
  ok((await page.getByRole("region", { name: "Input schema" }).innerText()).includes('"num1"'), "the input schema is shown");
  await page.getByRole("button", { name: "Run tests" }).click();
  await page.getByTestId("test-summary").waitFor({ timeout: 30000 });
  const summary = await page.getByTestId("test-summary").innerText();
  ok(/3 of 3 passed/.test(summary), "Run tests runs the task's three tests and shows the result", summary);
  await shot(page, "task-tests");
});

await step("an invalid form shows the server's errors at their fields", async () => {
  await view(page, "#/tasks/addition/run", "Run addition");
  await page.getByLabel("num2").fill("1");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const fieldErr = page.locator(".field.has-error", { has: page.getByLabel("num1") }).getByTestId("field-error");
  await fieldErr.waitFor();
  ok(
    /required property "num1" is missing/.test(await fieldErr.innerText()),
    "the missing num1 is reported at the num1 field",
    await fieldErr.innerText(),
  );
  ok((await page.getByLabel("num1").getAttribute("aria-invalid")) === "true", "the num1 field is marked aria-invalid");
  ok(
    (await page.getByTestId("form-error").innerText()).includes("does not match the task's input schema"),
    "the form says the input does not match the schema",
  );
  ok((await page.getByTestId("run-output").count()) === 0, "nothing ran");
  await page.getByLabel("num1").fill("5");
  await fieldErr.waitFor({ state: "detached" });
  ok(
    (await page.getByLabel("num1").getAttribute("aria-invalid")) === null,
    "fixing num1 clears its error as it is typed (validate-input), before any new run",
  );
  ok((await page.getByTestId("run-output").count()) === 0, "and still nothing ran");

  await view(page, "#/tasks/order-form/run", "Run order-form");
  await page.getByLabel("customer").fill("Bo");
  await page.getByLabel("quantity").fill("0");
  await page.getByRole("group", { name: "address" }).getByLabel("city").fill("Oslo");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const qErr = page.locator(".field.has-error", { has: page.getByLabel("quantity") }).getByTestId("field-error");
  await qErr.waitFor();
  ok(
    /less than the minimum of 1/.test(await qErr.innerText()),
    "quantity 0 is refused at the quantity field (minimum 1)",
    await qErr.innerText(),
  );
  await shot(page, "run-form-invalid");
});

async function submitSlow(lines, intervalMs, extra = {}) {
  const r = await rest("/api/v1/jobs", {
    method: "POST",
    body: { taskName: "slow-logger", input: { lines, intervalMs }, priority: "urgent", ...extra },
  });
  if (r.status !== 201) throw new Error(`POST /jobs: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data.id;
}

await step("console lines arrive live", async () => {
  const jobId = await submitSlow(8, 600);
  const exId = await until("the job's execution", async () => {
    const j = await rest(`/api/v1/jobs/${jobId}`);
    return ["processing", "running"].includes(j.body.data.status) && j.body.data.executionId;
  });
  await view(page, `#/executions/${exId}`, `Execution ${exId}`);
  await page.evaluate(() => (window.__sameDocument = true));
  const lines = page.locator("[data-testid=timeline] .console-line");
  await lines.first().waitFor();
  const first = await lines.count();
  const statusAtFirst = await page.getByTestId("execution-status").innerText();
  ok(
    first < 8 && statusAtFirst.includes("running"),
    `the first line shows while the execution runs (${first} of 8 lines, status running)`,
    statusAtFirst,
  );
  await page.getByText("line 8 of 8").waitFor({ timeout: 20000 });
  const all = await until("8 lines", async () => (await lines.count()) === 8 && (await lines.allInnerTexts()), 5000).catch(() => null);
  ok(
    all && all.every((t, i) => t === `line ${i + 1} of 8`),
    "all 8 lines arrived in order, once each",
    all ?? (await lines.allInnerTexts()),
  );
  await page.getByTestId("execution-status").getByText("completed").waitFor();
  ok(await page.evaluate(() => window.__sameDocument === true), "the page was never reloaded (same document)");
  ok(true, "the status turned completed live");
  await shot(page, "execution-live");
});

await step("fetch calls on an execution's timeline", async () => {
  await view(page, "#/tasks/fetch-probe/run", "Run fetch-probe");
  await page.getByLabel("url").fill(`${BASE}/health`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.getByTestId("run-output").waitFor();
  await page
    .getByTestId("run-status")
    .getByRole("link", { name: /^execution / })
    .click();
  const entries = page.locator("[data-testid=timeline] li");
  await until("4 timeline entries", async () => (await entries.count()) === 4);
  const kinds = await entries.evaluateAll((els) => els.map((e) => (e.classList.contains("tl-fetch") ? "fetch" : "log")));
  ok(
    kinds.filter((k) => k === "fetch").length === 2 && kinds.filter((k) => k === "log").length === 2,
    "two fetch calls and two console lines",
    kinds,
  );
  const fetches = await page.locator("[data-testid=timeline] li.tl-fetch").allInnerTexts();
  ok(
    fetches.every((t) => t.includes(`GET ${BASE}/health`) && /→ 200/.test(t) && /\d+(\.\d+)? m?s/.test(t)),
    "each fetch call shows its method, URL, status and duration",
    fetches,
  );
  await shot(page, "execution-fetch");
});

await step("cancel a running job", async () => {
  const jobId = await submitSlow(200, 500);
  await view(page, `#/jobs/${jobId}`, `Job ${jobId}`);
  await page.getByTestId("job-status").getByText("running").waitFor();
  await page.locator("[data-testid=timeline] .console-line").first().waitFor();
  await shot(page, "job-running");
  await page.getByRole("button", { name: "Cancel job" }).click();
  await page.getByTestId("job-status").getByText("cancelled").waitFor();
  const j = await rest(`/api/v1/jobs/${jobId}`);
  ok(j.body.data.status === "cancelled", "the job is cancelled (the server says so too)", j.body.data.status);

  // Bulk: two jobs queued for later, selected in the jobs view and cancelled together.
  const later = new Date(Date.now() + 3600e3).toISOString();
  const a = await submitSlow(1, 10, { scheduledFor: later, priority: "low" });
  const b = await submitSlow(1, 10, { scheduledFor: later, priority: "low" });
  await view(page, "#/jobs?status=queued&priority=low", "Jobs");
  await page.getByLabel(`Select job ${a}`).check();
  await page.getByLabel(`Select job ${b}`).check();
  await shot(page, "jobs-selection");
  await page.getByRole("button", { name: "Cancel selected" }).click();
  await page.getByText("Cancelled 2 of 2 job(s).").waitFor();
  const [ja, jb] = await Promise.all([rest(`/api/v1/jobs/${a}`), rest(`/api/v1/jobs/${b}`)]);
  ok(ja.body.data.status === "cancelled" && jb.body.data.status === "cancelled", "cancel on a selection cancels both jobs");
  await view(page, "#/jobs", "Jobs");
  await page.getByLabel("Status").selectOption("cancelled");
  await page.getByLabel("Order").selectOption("asc");
  await until("only cancelled jobs, oldest first", async () => {
    const rows = await page
      .locator("[data-testid=jobs-table] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [Number(tr.dataset.job), tr.querySelector(".badge").textContent]));
    return rows.length >= 3 && rows.every(([, st]) => st === "cancelled") && rows.every(([id], i) => i === 0 || id > rows[i - 1][0]);
  });
  ok(
    page.url().includes("status=cancelled") && page.url().includes("order=asc"),
    "the status filter and the order are chosen with the controls (and kept in the URL)",
  );
  await page.getByLabel(`Select job ${a}`).check();
  await page.getByRole("button", { name: "Retry selected" }).click();
  await page.getByText("Retried 1 of 1 job(s).").waitFor();
  ok((await rest(`/api/v1/jobs/${a}`)).body.data.status !== "cancelled", "retry on a selection requeues the job");
});

await step("create a schedule and see its next fire times", async () => {
  await view(page, "#/schedules/new", "New schedule");
  await page.getByLabel("Name", { exact: false }).first().fill("ui-quarterly");
  await page.getByLabel("Task").selectOption("addition");
  const cron = page.getByLabel("Cron expression");
  await cron.fill("");
  await cron.pressSequentially("0 9 * * 1");
  const times = page.locator("[data-testid=cron-preview] .fire-times li");
  await until("five fire times", async () => (await times.count()) === 5);
  const utcTimes = await times.allInnerTexts();
  ok(
    utcTimes.every((t) => /^Mon \d{4}-\d{2}-\d{2} 09:00:00 /.test(t)),
    "typing '0 9 * * 1' shows five fire times, Mondays at 09:00",
    utcTimes,
  );
  await page.getByLabel("Time zone").fill("Asia/Tokyo");
  await until("the times in Tokyo", async () => (await times.allInnerTexts()).every((t) => / \+09:00 \(\d\d:\d\d UTC\)$/.test(t)));
  ok(true, "changing the zone to Asia/Tokyo recomputes them in +09:00");
  await cron.fill("0 61 * * *");
  await page.getByTestId("cron-error").waitFor();
  ok(/61/.test(await page.getByTestId("cron-error").innerText()), "an invalid cron (minute 61) shows the server's message at the field");
  await cron.fill("*/30 * * * *");
  await until("the fixed cron's times", async () => (await times.count()) === 5);
  await page.getByLabel("num1").fill("1");
  await page.getByLabel("num2").fill("2");
  await shot(page, "schedule-edit");
  await page.getByRole("button", { name: "Create schedule" }).click();
  await page.getByRole("heading", { level: 1, name: "Schedules" }).waitFor();
  const row = page.locator("tr[data-schedule='ui-quarterly']");
  await row.waitFor();
  ok((await row.innerText()).includes("*/30 * * * *"), "the new schedule is listed with its cron");
  await row.getByRole("button", { name: "Trigger now ui-quarterly" }).click();
  await page.getByText(/Triggered ui-quarterly: job \d+ queued/).waitFor();
  ok(true, "trigger now queues a job");
  await row.getByRole("button", { name: "Disable ui-quarterly" }).click();
  await row.getByText("disabled").waitFor();
  const s = await rest("/api/v1/schedules/ui-quarterly");
  ok(s.body.data.enabled === false && s.body.data.timezone === "Asia/Tokyo", "disabled, zone Asia/Tokyo (the server says so)", s.body.data);
  await shot(page, "schedules-created");
});

await step("edit a schedule", async () => {
  await page.locator("tr[data-schedule='ui-quarterly']").getByRole("link", { name: "ui-quarterly" }).click();
  await page.getByRole("heading", { level: 1, name: "Edit ui-quarterly" }).waitFor();
  const cron = page.getByLabel("Cron expression");
  await until("the stored cron in the form", async () => (await cron.inputValue()) === "*/30 * * * *");
  await cron.fill("@daily");
  await until("the new times", async () =>
    (await page.locator("[data-testid=cron-preview] .fire-times li").allInnerTexts()).every((t) =>
      / 00:00:00 \+09:00 \(15:00 UTC\)$/.test(t),
    ),
  );
  ok(true, "the preview follows the edit (@daily at midnight in Tokyo)");
  await page.getByLabel("Enabled").check();
  await page.getByRole("button", { name: "Save schedule" }).click();
  await page.locator("tr[data-schedule='ui-quarterly']").getByText("@daily").waitFor();
  const s = await rest("/api/v1/schedules/ui-quarterly");
  ok(s.body.data.cron === "@daily" && s.body.data.enabled === true, "the edit is saved (cron @daily, enabled again)", s.body.data);
});

await step("a read-only key sees no write actions", async () => {
  const ro = await open();
  await signIn(ro.page, KEYS.read);
  ok((await ro.page.getByTestId("who").innerText()).includes("viewer · read"), "the header names the key and its scope");
  ok((await ro.page.getByRole("link", { name: "API keys" }).count()) === 0, "no API keys view for a read key");
  await view(ro.page, "#/tasks", "Tasks");
  ok((await ro.page.getByRole("link", { name: /^Run / }).count()) === 0, "no Run links in the task list");
  await view(ro.page, "#/jobs", "Jobs");
  ok((await ro.page.getByRole("button", { name: /Cancel|Retry/ }).count()) === 0, "no cancel or retry buttons in the jobs view");
  await view(ro.page, "#/schedules", "Schedules");
  ok((await ro.page.getByRole("link", { name: "New schedule" }).count()) === 0, "no New schedule for a read key");
  await ro.browser.close();
});

await step("revoke a key and be signed out", async () => {
  const s2 = await open();
  await signIn(s2.page, KEYS.admin2);
  await view(s2.page, "#/keys", "API keys");
  await s2.page.getByLabel("Name").fill("ci-temp");
  await s2.page.getByLabel("Scope").selectOption("read");
  await s2.page.getByRole("button", { name: "Create key" }).click();
  const secret = await s2.page.getByTestId("new-secret").inputValue();
  ok(/^rk_/.test(secret), "a new key's secret is shown once", secret.slice(0, 6));
  await s2.page.locator("tr[data-key='ci-temp']").waitFor();
  await shot(s2.page, "keys-secret");
  s2.page.on("dialog", (d) => d.accept());
  await s2.page.getByRole("button", { name: "Revoke ci-temp" }).click();
  await s2.page.locator("tr[data-key='ci-temp']").getByText("revoked").waitFor();
  ok((await rest("/api/v1/tasks", { key: secret })).status === 401, "the revoked key is refused by the server (401)");
  await s2.page.getByRole("button", { name: "Revoke second-admin" }).click();
  await s2.page.getByRole("heading", { name: "Sign in to Ratchet" }).waitFor();
  ok(true, "revoking the key you are signed in with brings back the sign-in form");
  ok((await s2.page.evaluate(() => sessionStorage.getItem("ratchet.apiKey"))) === null, "the revoked key is gone from sessionStorage");
  ok(!s2.urls.some((u) => u.includes(KEYS.admin2)), "the key never appeared in a URL");
  s2.problems.length && ok(false, "no CSP violations or page errors (second session)", s2.problems);
  await s2.browser.close();
});

ok(!urls.some((u) => u.includes(KEYS.admin)), "the key never appeared in a URL");
ok(problems.length === 0, "no CSP violations or page errors", problems);
await browser.close();
done();
