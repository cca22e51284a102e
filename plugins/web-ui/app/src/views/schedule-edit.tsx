// Create or edit a schedule. The cron field shows the next five fire times in the chosen zone
// as you type, computed by the server (GET /schedules/preview) exactly as the scheduler will.
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, ApiError, enc, query, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, Loading, useAsync, useTitle } from "../components/common";
import { describedBy, FormField } from "../components/form-field";
import { errorsByField, initialValue, SchemaForm, type Errors, type Schema } from "../components/schema-form";
import { href, navigate } from "../router";
import type { Schedule } from "./schedules";
import type { Task } from "./tasks";

interface Preview {
  times: { local: string; utc: string }[];
  warning: string | null;
}

function usePreview(cron: string, timezone: string) {
  const [state, setState] = useState<{ preview?: Preview; error?: ApiError }>({});
  useEffect(() => {
    if (!cron.trim()) {
      setState({});
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<{ data: Preview }>(`/api/v1/schedules/preview${query({ cron, timezone: timezone || "UTC", count: 5 })}`, {
        signal: ctl.signal,
      }).then(
        (r) => setState({ preview: r.data }),
        (e) => e.name !== "AbortError" && setState({ error: e }),
      );
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [cron, timezone]);
  return state;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "2026-12-07T09:00:00+09:00" as "Mon 2026-12-07 09:00:00 +09:00": the zone's own wall clock. */
function fireTime(local: string): string {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T([\d:.]+)(.*)$/);
  if (!m) return local;
  const day = DAYS[new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay()];
  return `${day} ${m[1]}-${m[2]}-${m[3]} ${m[4]} ${m[5] === "Z" ? "UTC" : m[5]}`;
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? ["UTC", ...intl.supportedValuesOf("timeZone")] : ["UTC"];
}

function errorFor(errors: Errors, ptr: string): string | undefined {
  return errors.get(ptr)?.join("; ");
}

/** The next five fire times of the cron being typed, or the server's message about it. */
function CronPreview({ preview, timezone, error }: { preview: Preview | undefined; timezone: string; error: string | undefined }) {
  return (
    <div id="s-cron-preview" aria-live="polite" data-testid="cron-preview">
      {error && (
        <p class="field-error" data-testid="cron-error">
          {error}
        </p>
      )}
      {!error && preview && (
        <>
          <p class="help">Next five fire times ({timezone || "UTC"}):</p>
          <ol class="fire-times">
            {preview.times.map((t) => (
              <li key={t.utc}>
                <time dateTime={t.utc}>{fireTime(t.local)}</time> <span class="muted">({t.utc.slice(11, 16)} UTC)</span>
              </li>
            ))}
          </ol>
          {preview.warning && <p class="notice">{preview.warning}</p>}
        </>
      )}
    </div>
  );
}

interface Form {
  name: string;
  taskName: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  input: unknown;
}

const EMPTY: Form = { name: "", taskName: "", cron: "0 * * * *", timezone: "UTC", enabled: true, input: {} };

/** The input's errors, relative to the input (the server reports them under /input). */
function inputErrorsOf(errors: Errors): Errors {
  const m: Errors = new Map();
  for (const [k, v] of errors) if (k === "/input" || k.startsWith("/input/")) m.set(k.slice(6), v);
  return m;
}

async function save(id: string, f: Form): Promise<void> {
  const common = { cron: f.cron, timezone: f.timezone, input: f.input ?? {}, enabled: f.enabled };
  if (id === "new") await api("/api/v1/schedules", { method: "POST", body: { name: f.name, taskName: f.taskName, ...common } });
  else await api(`/api/v1/schedules/${enc(id)}`, { method: "PATCH", body: common });
}

/** The schedule's fields; the cron's next fire times and the server's errors at their fields. */
function ScheduleFields({
  form,
  set,
  isNew,
  tasks,
  errors,
}: {
  form: Form;
  set: (p: Partial<Form>) => void;
  isNew: boolean;
  tasks: Task[];
  errors: Errors;
}) {
  const zoneList = useMemo(zones, []);
  const schemaOf = (name: string) => (tasks.find((t) => t.name === name)?.inputSchema || { type: "object" }) as Schema;
  const preview = usePreview(form.cron, form.timezone);
  const previewErrors = preview.error
    ? errorsByField(preview.error.details.length ? preview.error.details : [{ pointer: "/cron", message: preview.error.message }])
    : new Map();
  const err = (...ptrs: string[]) => ptrs.map((p) => errorFor(errors, p) || errorFor(previewErrors, p)).find(Boolean);
  const cronError = err("/cron", "/cronExpression");
  const zoneError = err("/timezone");
  const inputErrors = useMemo(() => inputErrorsOf(errors), [errors]);

  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <>
      <FormField id="s-name" label="Name" required error={err("/name")}>
        <input
          id="s-name"
          value={form.name}
          disabled={!isNew}
          onInput={(e) => set({ name: value(e) })}
          aria-required="true"
          aria-describedby={describedBy("s-name", false, err("/name"))}
        />
      </FormField>
      <FormField id="s-task" label="Task" required error={err("/taskName", "/taskId")}>
        <select
          id="s-task"
          value={form.taskName}
          disabled={!isNew}
          aria-required="true"
          aria-describedby={describedBy("s-task", false, err("/taskName", "/taskId"))}
          onChange={(e) => set({ taskName: value(e), input: initialValue(schemaOf(value(e))) ?? {} })}
        >
          <option value="">— choose a task —</option>
          {tasks.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </FormField>
      <FormField
        id="s-cron"
        label="Cron expression"
        required
        help={
          <>
            Five fields (minute hour day month weekday), six with seconds first, or <code>@hourly</code>, <code>@daily</code>…
          </>
        }
      >
        <input
          id="s-cron"
          class="mono"
          value={form.cron}
          onInput={(e) => set({ cron: value(e) })}
          aria-required="true"
          aria-invalid={cronError ? true : undefined}
          aria-describedby="s-cron-help s-cron-preview"
        />
      </FormField>
      <CronPreview preview={preview.preview} timezone={form.timezone} error={cronError} />
      <FormField id="s-zone" label="Time zone" error={zoneError}>
        <input
          id="s-zone"
          list="s-zones"
          value={form.timezone}
          onInput={(e) => set({ timezone: value(e) })}
          aria-invalid={zoneError ? true : undefined}
          aria-describedby={describedBy("s-zone", false, zoneError)}
        />
        <datalist id="s-zones">
          {zoneList.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </FormField>
      <div class="field check">
        <input
          id="s-enabled"
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })}
        />
        <label for="s-enabled">Enabled</label>
      </div>
      {form.taskName && (
        <fieldset class="sub">
          <legend>Input for {form.taskName}</legend>
          <SchemaForm
            schema={schemaOf(form.taskName)}
            value={form.input}
            onChange={(input) => set({ input })}
            errors={inputErrors}
            idPrefix="s-in"
          />
        </fieldset>
      )}
    </>
  );
}

export function ScheduleEdit({ id }: { id: string }) {
  const isNew = id === "new";
  useTitle(isNew ? "New schedule" : `Schedule ${id}`);
  const { canWrite } = useAuth();
  const existing = useAsync(
    (signal) => (isNew ? Promise.resolve(undefined) : api<{ data: Schedule }>(`/api/v1/schedules/${enc(id)}`, { signal })),
    [id],
  );
  const tasks = useAsync((signal) => api<Page<Task>>("/api/v1/tasks?limit=100&_sort=name&_order=asc", { signal }), []);
  const [form, setForm] = useState<Form>(EMPTY);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const [errors, setErrors] = useState<Errors>(new Map());
  const [formError, setFormError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const s = existing.data?.data;
    if (s)
      set({
        name: s.name,
        taskName: s.taskName || "",
        cron: s.cron,
        timezone: s.timezone || "UTC",
        enabled: s.enabled,
        input: s.input ?? {},
      });
  }, [existing.data]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors(new Map());
    setFormError(undefined);
    try {
      await save(id, form);
      navigate(href("schedules"));
    } catch (e2) {
      const ae = e2 as ApiError;
      setFormError(ae);
      if (ae.details?.length) setErrors(errorsByField(ae.details));
    } finally {
      setBusy(false);
    }
  }

  if (!canWrite) return <p class="notice">Your key is read-only: it cannot change schedules.</p>;
  return (
    <>
      <p class="crumbs">
        <a href={href("schedules")}>Schedules</a> /
      </p>
      <h1>{isNew ? "New schedule" : `Edit ${form.name || id}`}</h1>
      <ErrorBox error={existing.error || tasks.error} />
      {(!tasks.data || (!isNew && !existing.data)) && !existing.error && <Loading />}
      <form class="card" onSubmit={submit} noValidate aria-label="Schedule">
        <ErrorBox error={formError} />
        <ScheduleFields form={form} set={set} isNew={isNew} tasks={tasks.data?.data || []} errors={errors} />
        <button type="submit" class="primary" disabled={busy}>
          {isNew ? "Create schedule" : "Save schedule"}
        </button>
      </form>
    </>
  );
}
