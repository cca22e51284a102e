// The README's first command: a loopback listener with `auth: none`. The UI opens without a
// sign-in form (the server says every request is admin), `/` redirects to it, and nothing
// offers to sign out.
import { BASE, done, ok, open, step } from "./lib.mjs";

const s = await open();
await step("no sign-in on an open loopback listener", async () => {
  await s.page.goto(`${BASE}/`);
  await s.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  ok(new URL(s.page.url()).pathname === "/ui/", `/ redirects to the UI (${s.page.url()})`);
  ok((await s.page.getByRole("heading", { name: "Sign in to Ratchet" }).count()) === 0, "no sign-in form");
  ok((await s.page.getByTestId("who").innerText()).includes("local · admin"), "the header says local · admin");
  ok((await s.page.getByRole("button", { name: "Sign out" }).count()) === 0, "no Sign out button");
  ok((await s.page.getByRole("link", { name: "API keys" }).count()) === 1, "every view is offered");
  ok(!s.urls.some((u) => /[?&](key|api_key|token)=/i.test(u)), "no key-like parameter in any URL");
});
ok(s.problems.length === 0, "no CSP violations or page errors", s.problems);
await s.browser.close();
done();
