// One execution: input, output, typed error with stack, and the console lines and fetch calls
// as a timeline; while it runs, status and lines arrive live over the event stream.
import { useEffect, useRef } from "preact/hooks";
import { api, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtDuration, fmtTime, Json, Loading, Section, Status, useAsync, useTitle } from "../components/common";
import { ErrorView } from "../components/outcome";
import { Timeline, useLive, type LogEntry } from "../components/timeline";
import { href } from "../router";

export interface Execution {
  id: number;
  jobId: number | null;
  taskName: string | null;
  taskVersion: string | null;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  attempt?: number;
  http?: { method?: string; url?: string; status?: number; duration_ms?: number }[];
}

/** The stored fetch entries (logs route) may lack their durations; the execution's own record
 * of its fetch calls (`http`, in call order) has them. */
function withDurations(entries: LogEntry[], http: Execution["http"]): LogEntry[] {
  let n = 0;
  return entries.map((en) => {
    if (en.kind !== "fetch") return en;
    const call = http?.[n++];
    return en.durationMs == null && call?.duration_ms != null ? { ...en, durationMs: call.duration_ms } : en;
  });
}

function ExecutionFacts({ e, status, live }: { e: Execution; status: string | undefined; live: boolean }) {
  return (
    <Section title="Summary">
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="execution-status">
          <Status status={status} /> {live && <span class="live-dot">live</span>}
        </dd>
        <dt>Task</dt>
        <dd>
          {e.taskName ? <a href={href("tasks", e.taskName)}>{e.taskName}</a> : "—"} {e.taskVersion}
        </dd>
        <dt>Job</dt>
        <dd>{e.jobId ? <a href={href("jobs", e.jobId)}>{e.jobId}</a> : "—"}</dd>
        <dt>Attempt</dt>
        <dd>{e.attempt ?? "—"}</dd>
        <dt>Started</dt>
        <dd>{fmtTime(e.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>{fmtDuration(e.durationMs)}</dd>
      </dl>
    </Section>
  );
}

export function ExecutionPage({ id }: { id: string }) {
  useTitle(`Execution ${id}`);
  const { canWrite } = useAuth();
  const ex = useAsync((signal) => api<{ data: Execution }>(`/api/v1/executions/${id}`, { signal }), [id]);
  const running = ex.data?.data.status === "running";
  const logs = useAsync(
    (signal) =>
      ex.data && !running ? api<Page<LogEntry>>(`/api/v1/executions/${id}/logs?limit=100`, { signal }) : Promise.resolve(undefined),
    [id, ex.data?.data.status],
  );
  const live = useLive(`/api/v1/executions/${id}/events`, running);
  const reloaded = useRef(false);
  useEffect(() => {
    // The stream ended: read the stored record (output, error, every line) once.
    if (running && live.final && !reloaded.current) {
      reloaded.current = true;
      ex.reload();
    }
  }, [live.final, running]);

  const e = ex.data?.data;
  const status = running ? live.status || e?.status : e?.status;
  // After the stream ends the stored lines replace the live ones once they are read.
  const entries = running ? live.entries : logs.data ? withDurations(logs.data.data, e?.http) : live.entries;
  const more = logs.data && logs.data.meta.pagination.total > entries.length;

  async function cancel() {
    await api(`/api/v1/executions/${id}/cancel`, { method: "POST" }).catch(() => undefined);
  }

  return (
    <>
      <p class="crumbs">
        <a href={href("executions")}>Executions</a> /
      </p>
      <div class="page-head">
        <h1>Execution {id}</h1>
        {canWrite && status === "running" && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorBox error={ex.error} />
      {!e && !ex.error && <Loading />}
      {e && (
        <>
          <ExecutionFacts e={e} status={status} live={running && !live.final} />
          <div class="cols">
            <Section title="Input">
              <Json value={e.input} label="Input" />
            </Section>
            <Section title={e.error ? "Error" : "Output"}>
              {e.error ? <ErrorView error={e.error} /> : <Json value={e.output} label="Output" />}
            </Section>
          </div>
          <Section title="Console and fetch calls">
            <ErrorBox error={live.error || logs.error} />
            <Timeline entries={entries} start={e.startedAt} live={running && !live.final} />
            {more && (
              <p class="muted">
                Showing the first {entries.length} of {logs.data!.meta.pagination.total}.
              </p>
            )}
          </Section>
        </>
      )}
    </>
  );
}
