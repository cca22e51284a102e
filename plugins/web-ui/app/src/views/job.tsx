// One job: its fields, cancel/retry, its executions, and while it is active its status and
// console lines live from the job's event stream.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtDuration, fmtTime, Json, Loading, Section, Status, useAsync, useTitle } from "../components/common";
import { Outcome } from "../components/outcome";
import { Timeline, useLive } from "../components/timeline";
import { href } from "../router";
import type { Execution } from "./execution";
import { canCancel, canRetry, type Job } from "./jobs";

const ACTIVE = new Set(["queued", "processing", "running", "retrying"]);

function JobFacts({ j, status, live }: { j: Job; status: string | undefined; live: boolean }) {
  return (
    <Section title="Summary">
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="job-status">
          <Status status={status} /> {live && <span class="live-dot">live</span>}
        </dd>
        <dt>Task</dt>
        <dd>
          {j.taskName ? <a href={href("tasks", j.taskName)}>{j.taskName}</a> : "—"} {j.taskVersion}
        </dd>
        <dt>Priority</dt>
        <dd>{j.priority}</dd>
        <dt>Attempts</dt>
        <dd>
          {j.attempts ?? j.retryCount} (up to {j.maxRetries} retries)
        </dd>
        <dt>Queued</dt>
        <dd>{fmtTime(j.queuedAt)}</dd>
        <dt>Finished</dt>
        <dd>{fmtTime(j.completedAt)}</dd>
      </dl>
    </Section>
  );
}

export function JobPage({ id }: { id: string }) {
  useTitle(`Job ${id}`);
  const { canWrite } = useAuth();
  const job = useAsync((signal) => api<{ data: Job }>(`/api/v1/jobs/${id}`, { signal }), [id]);
  const j = job.data?.data;
  const active = !!j && ACTIVE.has(j.status);
  const live = useLive(`/api/v1/jobs/${id}/events`, active);
  const execs = useAsync(
    (signal) => api<Page<Execution>>(`/api/v1/executions?job_id=${id}&_sort=id&_order=asc&limit=100`, { signal }),
    [id, j?.status],
  );
  const [actionError, setActionError] = useState<Error | undefined>();
  const reloaded = useRef(false);
  useEffect(() => {
    if (active && live.final && !reloaded.current) {
      reloaded.current = true;
      job.reload();
    }
  }, [live.final, active]);
  useEffect(() => {
    reloaded.current = false;
  }, [j?.status]);

  async function act(action: "cancel" | "retry") {
    setActionError(undefined);
    try {
      await api(`/api/v1/jobs/${id}/${action}`, { method: "POST" });
    } catch (e) {
      setActionError(e as Error);
    }
    job.reload();
  }

  const status = active ? live.status || j?.status : j?.status;
  return (
    <>
      <p class="crumbs">
        <a href={href("jobs")}>Jobs</a> /
      </p>
      <div class="page-head">
        <h1>Job {id}</h1>
        {canWrite && j && (
          <div class="actions">
            {canCancel(j) && (
              <button type="button" onClick={() => act("cancel")}>
                Cancel job
              </button>
            )}
            {canRetry(j) && (
              <button type="button" onClick={() => act("retry")}>
                Retry job
              </button>
            )}
          </div>
        )}
      </div>
      <ErrorBox error={actionError || job.error} />
      {!j && !job.error && <Loading />}
      {j && (
        <>
          <JobFacts j={j} status={status} live={active && !live.final} />
          <div class="cols">
            <Section title="Input">
              <Json value={j.input} label="Input" />
            </Section>
            <Section title="Result">
              {active ? <p class="muted">Not finished yet.</p> : <Outcome output={j.output} error={j.error} />}
            </Section>
          </div>
          {active && (
            <Section title="Live console">
              <ErrorBox error={live.error} />
              <Timeline entries={live.entries} live={!live.final} />
            </Section>
          )}
          <Section title="Executions">
            <ErrorBox error={execs.error} />
            {execs.data && execs.data.data.length === 0 && <p class="muted">None yet.</p>}
            <ul class="plain">
              {execs.data?.data.map((e) => (
                <li key={e.id}>
                  <a href={href("executions", e.id)}>execution {e.id}</a> <Status status={e.status} /> attempt {e.attempt ?? "—"} ·{" "}
                  {fmtTime(e.startedAt)} · {fmtDuration(e.durationMs)}
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
    </>
  );
}
