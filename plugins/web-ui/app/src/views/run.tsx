// Run a task: a form generated from the task's input schema; the server validates (its errors
// are shown at their fields); the output or the typed error is shown when the job ends. A job
// still running after the wait is followed over its event stream.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, ApiError, enc } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtDuration, Loading, Section, Status, useAsync, useTitle } from "../components/common";
import { Outcome } from "../components/outcome";
import { FormField } from "../components/form-field";
import { errorsByField, initialValue, SchemaForm, type Errors, type Schema } from "../components/schema-form";
import { href } from "../router";
import { Timeline, useLive } from "../components/timeline";
import type { Task } from "./tasks";

interface Result {
  jobId: number;
  executionId?: number | null;
  status: string;
  output?: unknown;
  error?: unknown;
  durationMs?: number | null;
}

const PRIORITIES = ["low", "normal", "high", "urgent"];
const ENDED = ["completed", "failed", "cancelled"];
/** How long the run request waits for the job to end; after that it is followed live. */
const WAIT_S = 3;

/** A run still going after the wait: its status and console lines from the job's event
 * stream; at its final status the job's record (output or error) is read once. */
function Following({ jobId, onDone }: { jobId: number; onDone: (r: Result) => void }) {
  const live = useLive(`/api/v1/jobs/${jobId}/events`, true);
  useEffect(() => {
    if (!live.final) return;
    api<{ data: Result }>(`/api/v1/jobs/${jobId}`).then(
      (j) => onDone({ ...j.data, jobId }),
      () => undefined,
    );
  }, [live.final]);
  return (
    <>
      <p class="inline-fields" role="status">
        <Status status={live.status || "running"} /> <span class="live-dot">live</span>
      </p>
      <Timeline entries={live.entries} live={!live.final} />
    </>
  );
}

interface Validation {
  valid: boolean;
  errors: { path: string; message: string }[];
}

/** After a refused run: the input is checked by the server's validator (validate-input) a
 * moment after each change, so the errors go away as the fields are fixed. */
function useLiveValidation(name: string, input: unknown, enabled: boolean, onErrors: (e: Errors) => void) {
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<{ data: Validation }>(`/api/v1/tasks/${enc(name)}/validate-input`, {
        method: "POST",
        body: { input: input ?? {} },
        signal: ctl.signal,
      }).then(
        (r) => onErrors(errorsByField(r.data.errors)),
        () => undefined, // the next submit reports what is wrong
      );
    }, 250);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [name, input, enabled]);
}

function RunResult({ result, onDone }: { result: Result; onDone: (r: Result) => void }) {
  return (
    <Section title="Result">
      <p class="inline-fields" role="status" data-testid="run-status">
        <Status status={result.status} /> <a href={href("jobs", result.jobId)}>job {result.jobId}</a>
        {result.executionId ? <a href={href("executions", result.executionId)}>execution {result.executionId}</a> : null}
        <span class="muted">{fmtDuration(result.durationMs)}</span>
      </p>
      {ENDED.includes(result.status) ? (
        <Outcome output={result.output} error={result.error} />
      ) : (
        <Following jobId={result.jobId} onDone={onDone} />
      )}
    </Section>
  );
}

/** Why the server refused the run, with each error's JSON pointer (they are also at their fields). */
function FormErrors({ error, errors }: { error: Error | undefined; errors: Errors }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert" data-testid="form-error">
      <p>{error.message}</p>
      {errors.size > 0 && (
        <ul>
          {[...errors].map(([ptr, msgs]) => (
            <li key={ptr}>
              <code>{ptr || "(input)"}</code>: {msgs.join("; ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function RunTask({ name }: { name: string }) {
  useTitle(`Run ${name}`);
  const { canWrite } = useAuth();
  const task = useAsync((signal) => api<{ data: Task }>(`/api/v1/tasks/${enc(name)}`, { signal }), [name]);
  const [input, setInput] = useState<unknown>(undefined);
  const [priority, setPriority] = useState("normal");
  const [errors, setErrors] = useState<Errors>(new Map());
  const [formError, setFormError] = useState<Error | undefined>();
  const [result, setResult] = useState<Result | undefined>();
  const [busy, setBusy] = useState(false);
  const [liveCheck, setLiveCheck] = useState(false);
  const schema = (task.data?.data.inputSchema || { type: "object" }) as Schema;

  // The defaults until the user changes something.
  const initial = useMemo(() => initialValue(schema), [task.data]);
  const current = input === undefined ? initial : input;
  useLiveValidation(name, current, liveCheck, (errs) => {
    setErrors(errs);
    if (errs.size === 0) setFormError(undefined);
  });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(new Map());
    setFormError(undefined);
    setResult(undefined);
    try {
      const res = await api<{ data: Result }>(`/api/v1/tasks/${enc(name)}/execute?wait=${WAIT_S}`, {
        method: "POST",
        body: { input: current ?? {}, priority },
      });
      setResult(res.data);
      if (ENDED.includes(res.data.status)) setBusy(false);
    } catch (err) {
      setBusy(false);
      const ae = err as ApiError;
      if (ae.details?.length) {
        setErrors(errorsByField(ae.details, "/input"));
        setLiveCheck(true); // from now on each change is checked by the server as it is made
      }
      setFormError(ae);
    }
  }

  return (
    <>
      <p class="crumbs">
        <a href={href("tasks")}>Tasks</a> / <a href={href("tasks", name)}>{name}</a> /
      </p>
      <h1>Run {name}</h1>
      <ErrorBox error={task.error} />
      {!task.data && !task.error && <Loading />}
      {task.data && !canWrite && <p class="notice">Your key is read-only: it cannot run tasks.</p>}
      {task.data && canWrite && (
        <form class="card run-form" onSubmit={submit} noValidate aria-label={`Input for ${name}`}>
          {task.data.data.description && <p class="muted">{task.data.data.description}</p>}
          <FormErrors error={formError} errors={errors} />
          <SchemaForm schema={schema} value={current} onChange={setInput} errors={errors} />
          <FormField id="run-priority" label="Priority">
            <select id="run-priority" value={priority} onChange={(e) => setPriority((e.target as HTMLSelectElement).value)}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </FormField>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Running…" : "Run"}
          </button>
        </form>
      )}
      {result && (
        <RunResult
          result={result}
          onDone={(r) => {
            setResult(r);
            setBusy(false);
          }}
        />
      )}
    </>
  );
}
