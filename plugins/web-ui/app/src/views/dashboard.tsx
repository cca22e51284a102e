// The dashboard: jobs by status, throughput and failure rate over the last hour, the workers.
import { api } from "../api";
import { BarChart, FailureRateChart, ThroughputChart, type Bucket } from "../components/charts";
import { ErrorBox, Loading, Section, useAsync, useTitle } from "../components/common";
import { href } from "../router";
import { useEffect } from "preact/hooks";
import type { Worker } from "./workers";

interface JobStats {
  totalJobs: number;
  queuedJobs: number;
  processingJobs: number;
  completedJobs: number;
  failedJobs: number;
  cancelledJobs: number;
  retryingJobs: number;
}

interface Timeline {
  buckets: Bucket[];
}

function JobsByStatus() {
  const stats = useAsync((signal) => api<{ stats: JobStats }>("/api/v1/jobs/stats", { signal }), []);
  useRefresh(stats.reload);
  const s = stats.data?.stats;
  useEffect(() => {
    // The first paint with data: the browser tests read this mark (Performance API).
    if (s && performance.getEntriesByName("ratchet:dashboard-ready").length === 0) performance.mark("ratchet:dashboard-ready");
  }, [s]);
  return (
    <Section title="Jobs by status" actions={<a href={href("jobs")}>All jobs</a>}>
      <ErrorBox error={stats.error} />
      {!s && !stats.error && <Loading />}
      {s && (
        <>
          <p class="big-number">
            <span data-testid="total-jobs">{s.totalJobs}</span> <span class="muted">jobs</span>
          </p>
          <BarChart
            title="Jobs by status"
            bars={[
              { label: "queued", value: s.queuedJobs, cls: "queued" },
              { label: "running", value: s.processingJobs, cls: "running" },
              { label: "retrying", value: s.retryingJobs, cls: "retrying" },
              { label: "completed", value: s.completedJobs, cls: "ok" },
              { label: "failed", value: s.failedJobs, cls: "bad" },
              { label: "cancelled", value: s.cancelledJobs, cls: "cancelled" },
            ]}
          />
        </>
      )}
    </Section>
  );
}

function LastHour() {
  const tl = useAsync((signal) => api<{ data: Timeline }>("/api/v1/stats/timeline?minutes=60", { signal }), []);
  useRefresh(tl.reload);
  const buckets = tl.data?.data.buckets;
  return (
    <>
      <Section title="Throughput, last hour">
        <ErrorBox error={tl.error} />
        {!buckets && !tl.error && <Loading />}
        {buckets && <ThroughputChart buckets={buckets} />}
        <p class="legend">
          <span class="swatch ok" /> completed <span class="swatch bad" /> failed, per minute
        </p>
      </Section>
      <Section title="Failure rate, last hour">{buckets && <FailureRateChart buckets={buckets} />}</Section>
    </>
  );
}

function WorkersGlance() {
  const ws = useAsync((signal) => api<{ data: Worker[] }>("/api/v1/workers", { signal }), []);
  useRefresh(ws.reload);
  return (
    <Section title="Workers" actions={<a href={href("workers")}>Details</a>}>
      <ErrorBox error={ws.error} />
      {!ws.data && !ws.error && <Loading />}
      {ws.data && (
        <p class="big-number">
          {ws.data.data.filter((w) => w.state === "busy").length}
          <span class="muted"> busy of {ws.data.data.length}</span>
        </p>
      )}
      {ws.data && (
        <p class="muted">
          {ws.data.data.reduce((n, w) => n + w.jobsRun, 0)} jobs run, {ws.data.data.reduce((n, w) => n + w.restarts, 0)} restarts
        </p>
      )}
      {ws.data && (
        <ul class="worker-dots" aria-label="Workers by state">
          {ws.data.data.map((w) => (
            <li key={w.id} class={`worker-dot state-${w.state}`}>
              worker {w.id}: {w.state}
              {w.currentJobId ? (
                <>
                  {" "}
                  · <a href={href("jobs", w.currentJobId)}>job {w.currentJobId}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Reload every 5 s while the page is visible. */
function useRefresh(reload: () => void) {
  useEffect(() => {
    const t = setInterval(() => document.visibilityState === "visible" && reload(), 5000);
    return () => clearInterval(t);
  }, [reload]);
}

export function Dashboard() {
  useTitle("Dashboard");
  useEffect(() => {
    // Rendered, signed in, every control live (its data follows): the browser tests read it.
    if (performance.getEntriesByName("ratchet:dashboard-interactive").length === 0) performance.mark("ratchet:dashboard-interactive");
  }, []);
  return (
    <>
      <h1>Dashboard</h1>
      <div class="grid" data-testid="dashboard">
        <JobsByStatus />
        <WorkersGlance />
        <LastHour />
      </div>
    </>
  );
}
