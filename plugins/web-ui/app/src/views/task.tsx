// One task: description, versions, input and output schemas, the source (highlighted), its
// tests with a "Run tests" button (write scope) and their results.
import { useState } from "preact/hooks";
import { api, enc, query } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtDuration, fmtTime, Json, Loading, Section, useAsync, useTitle } from "../components/common";
import { Code } from "../components/highlight";
import { href } from "../router";
import type { Task } from "./tasks";

interface TaskTest {
  name: string;
  input: unknown;
  expectedOutput?: unknown;
  shouldFail?: boolean;
}

interface Source {
  name: string;
  version: string;
  code: string;
  tests: TaskTest[];
}

interface TestResult {
  name: string;
  status: string;
  durationMs?: number;
  error?: string;
  actualOutput?: unknown;
  expectedOutput?: unknown;
}

interface TestRun {
  total: number;
  passed: number;
  failed: number;
  results: TestResult[];
}

function Tests({ name, version, tests }: { name: string; version: string; tests: TaskTest[] }) {
  const { canWrite } = useAuth();
  const [run, setRun] = useState<TestRun | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  async function runTests() {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api<{ data: TestRun }>(`/api/v1/tasks/${enc(name)}/test${query({ version })}`, { method: "POST", body: {} });
      setRun(res.data);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }
  const results = new Map((run?.results || []).map((r) => [r.name, r]));
  return (
    <Section
      title={`Tests (${tests.length})`}
      actions={
        canWrite && tests.length > 0 ? (
          <button type="button" class="primary" onClick={runTests} disabled={busy}>
            {busy ? "Running tests…" : "Run tests"}
          </button>
        ) : null
      }
    >
      <ErrorBox error={error} />
      {run && (
        <p class={run.failed ? "notice bad" : "notice ok"} role="status" data-testid="test-summary">
          {run.passed} of {run.total} passed{run.failed ? `, ${run.failed} failed` : ""}
        </p>
      )}
      {tests.length === 0 && <p class="muted">This task has no tests.</p>}
      <ul class="tests">
        {tests.map((t) => {
          const r = results.get(t.name);
          return (
            <li key={t.name}>
              <details>
                <summary>
                  {t.name}
                  {t.shouldFail && <span class="muted"> (should fail)</span>}
                  {r && (
                    <>
                      {" "}
                      <span class={`badge status-${r.status === "passed" ? "completed" : r.status === "skipped" ? "cancelled" : "failed"}`}>
                        {r.status}
                      </span>{" "}
                      <span class="muted">{fmtDuration(r.durationMs)}</span>
                    </>
                  )}
                </summary>
                <div class="cols">
                  <div>
                    <h3>Input</h3>
                    <Json value={t.input} label={`${t.name} input`} />
                  </div>
                  <div>
                    <h3>Expected output</h3>
                    <Json value={t.expectedOutput} label={`${t.name} expected output`} />
                  </div>
                  {r && r.actualOutput !== undefined && (
                    <div>
                      <h3>Actual output</h3>
                      <Json value={r.actualOutput} label={`${t.name} actual output`} />
                    </div>
                  )}
                </div>
                {r?.error && <pre class="error-text">{r.error}</pre>}
              </details>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

export function TaskPage({ name }: { name: string }) {
  useTitle(`Task ${name}`);
  const { canWrite } = useAuth();
  const [version, setVersion] = useState<string | undefined>();
  const task = useAsync((signal) => api<{ data: Task }>(`/api/v1/tasks/${enc(name)}`, { signal }), [name]);
  const v = version || task.data?.data.version;
  const src = useAsync(
    (signal) =>
      v
        ? api<{ data: Source & { inputSchema: unknown; outputSchema: unknown } }>(
            `/api/v1/tasks/${enc(name)}/source${query({ version: v })}`,
            { signal },
          )
        : Promise.resolve(undefined),
    [name, v],
  );
  const t = task.data?.data;
  const s = src.data?.data;
  return (
    <>
      <p class="crumbs">
        <a href={href("tasks")}>Tasks</a> /
      </p>
      <div class="page-head">
        <h1>{name}</h1>
        {canWrite && t && (
          <a class="button primary" href={href("tasks", name, "run")}>
            Run this task
          </a>
        )}
      </div>
      <ErrorBox error={task.error} />
      {!t && !task.error && <Loading />}
      {t && (
        <>
          <Section title="About">
            <p>{t.description || <span class="muted">No description.</span>}</p>
            <div class="inline-fields">
              <label for="task-version">Version</label>
              <select id="task-version" value={v} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}>
                {[...t.availableVersions].reverse().map((ver) => (
                  <option key={ver} value={ver}>
                    {ver}
                    {ver === t.version ? " (latest)" : ""}
                  </option>
                ))}
              </select>
              <span class={`badge ${t.enabled ? "status-completed" : "status-cancelled"}`}>{t.enabled ? "enabled" : "disabled"}</span>
              <span class="muted">updated {fmtTime(t.updatedAt)}</span>
            </div>
          </Section>
          <div class="cols">
            <Section title="Input schema">
              <Json value={s ? s.inputSchema : t.inputSchema} label="Input schema" />
            </Section>
            <Section title="Output schema">
              <Json value={s ? s.outputSchema : t.outputSchema} label="Output schema" />
            </Section>
          </div>
          <Section title={`Source (main.js, ${v})`}>
            <ErrorBox error={src.error} />
            {!s && !src.error && <Loading />}
            {s && <Code source={s.code} label={`Source of ${name} ${v}`} />}
          </Section>
          {s && <Tests name={name} version={s.version} tests={s.tests} />}
        </>
      )}
    </>
  );
}
