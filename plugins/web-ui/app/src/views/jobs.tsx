// Jobs: filter by status, task and priority, sort, pages fetched from the server (one page of
// rows at a time: fast over 100,000 jobs), cancel and retry one job or a selection.
import { useState } from "preact/hooks";
import { api, query, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtTime, Loading, Status, useAsync, useTitle, Table, Notice, ListHead } from "../components/common";
import { Pager } from "../components/pager";
import { href, navigate, withParams } from "../router";

export interface Job {
  id: number;
  taskName: string | null;
  taskVersion: string | null;
  status: string;
  priority: string;
  input: unknown;
  output: unknown;
  error: unknown;
  attempts?: number;
  retryCount: number;
  maxRetries: number;
  executionId?: number | null;
  scheduleId?: number | null;
  queuedAt?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
}

const STATUSES = ["queued", "processing", "running", "retrying", "completed", "failed", "cancelled"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const SORTS: [string, string][] = [
  ["id", "Id"],
  ["queuedAt", "Queued at"],
  ["priority", "Priority"],
  ["status", "Status"],
  ["taskName", "Task"],
];
const ACTIVE = new Set(["queued", "processing", "running", "retrying"]);
const ENDED = new Set(["failed", "cancelled", "completed"]);

export function canCancel(j: Job): boolean {
  return ACTIVE.has(j.status);
}
export function canRetry(j: Job): boolean {
  return ENDED.has(j.status) && j.status !== "completed";
}

function Filters({ params }: { params: URLSearchParams }) {
  const [task, setTask] = useState(params.get("task") || "");
  const set = (k: string, v: string) => {
    const next = Object.fromEntries(params);
    next[k] = v;
    delete next.page;
    navigate(withParams("#/jobs", next));
  };
  const select = (id: string, label: string, key: string, values: [string, string][]) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={params.get(key) || values[0][0]} onChange={(e) => set(key, (e.target as HTMLSelectElement).value)}>
        {values.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      class="toolbar"
      aria-label="Filter jobs"
      onSubmit={(e) => {
        e.preventDefault();
        set("task", task.trim());
      }}
    >
      {select("f-status", "Status", "status", [["", "any"], ...STATUSES.map((s) => [s, s] as [string, string])])}
      {select("f-priority", "Priority", "priority", [["", "any"], ...PRIORITIES.map((s) => [s, s] as [string, string])])}
      <div class="field">
        <label for="f-task">Task</label>
        <input id="f-task" type="search" value={task} onInput={(e) => setTask((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit">Filter</button>
      {select("f-sort", "Sort by", "sort", SORTS)}
      {select("f-order", "Order", "order", [
        ["desc", "descending"],
        ["asc", "ascending"],
      ])}
    </form>
  );
}

type Act = (action: "cancel" | "retry", ids: number[]) => void;

/** The list request for the view's URL parameters: one page of 25, sorted on the server. */
function listQuery(params: URLSearchParams, page: number): string {
  return query({
    page,
    limit: 25,
    status: params.get("status"),
    priority: params.get("priority"),
    task_name: params.get("task"),
    _sort: params.get("sort") || "id",
    _order: params.get("order") || "desc",
  });
}

function BulkActions({ sel, act }: { sel: Job[]; act: Act }) {
  return (
    <div class="toolbar" role="group" aria-label="Actions on the selected jobs">
      <span>{sel.length} selected</span>
      <button
        type="button"
        disabled={!sel.some(canCancel)}
        onClick={() =>
          act(
            "cancel",
            sel.filter(canCancel).map((j) => j.id),
          )
        }
      >
        Cancel selected
      </button>
      <button
        type="button"
        disabled={!sel.some(canRetry)}
        onClick={() =>
          act(
            "retry",
            sel.filter(canRetry).map((j) => j.id),
          )
        }
      >
        Retry selected
      </button>
    </div>
  );
}

function JobRow({
  j,
  canWrite,
  selected,
  onToggle,
  act,
}: {
  j: Job;
  canWrite: boolean;
  selected: boolean;
  onToggle: () => void;
  act: Act;
}) {
  return (
    <tr data-job={j.id}>
      {canWrite && (
        <td>
          <input type="checkbox" aria-label={`Select job ${j.id}`} checked={selected} onChange={onToggle} />
        </td>
      )}
      <td>
        <a href={href("jobs", j.id)}>{j.id}</a>
      </td>
      <td>{j.taskName}</td>
      <td>
        <Status status={j.status} />
      </td>
      <td>{j.priority}</td>
      <td>{j.attempts ?? j.retryCount}</td>
      <td>{fmtTime(j.queuedAt)}</td>
      {canWrite && (
        <td class="row-actions">
          {canCancel(j) && (
            <button type="button" class="small" onClick={() => act("cancel", [j.id])} aria-label={`Cancel job ${j.id}`}>
              Cancel
            </button>
          )}
          {canRetry(j) && (
            <button type="button" class="small" onClick={() => act("retry", [j.id])} aria-label={`Retry job ${j.id}`}>
              Retry
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

export function Jobs({ params }: { params: URLSearchParams }) {
  useTitle("Jobs");
  const { canWrite } = useAuth();
  const page = Number(params.get("page") || 1);
  const key = params.toString();
  const list = useAsync((signal) => api<Page<Job>>(`/api/v1/jobs${listQuery(params, page)}`, { signal }), [key]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [note, setNote] = useState<string | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  const rows = list.data?.data || [];

  async function act(action: "cancel" | "retry", ids: number[]) {
    setActionError(undefined);
    const results = await Promise.allSettled(ids.map((id) => api(`/api/v1/jobs/${id}/${action}`, { method: "POST" })));
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    setNote(`${action === "cancel" ? "Cancelled" : "Retried"} ${ids.length - failed.length} of ${ids.length} job(s).`);
    if (failed.length) setActionError(failed[0].reason as Error);
    setSelected(new Set());
    list.reload();
  }

  const toggle = (id: number) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setSelected(s);
  };
  const sel = rows.filter((j) => selected.has(j.id));
  const allOnPage = rows.length > 0 && sel.length === rows.length;

  return (
    <>
      <ListHead title="Jobs" onRefresh={list.reload} />
      <Filters params={params} />
      {canWrite && <BulkActions sel={sel} act={act} />}
      <Notice text={note} />
      <ErrorBox error={actionError || list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <>
          <Table
            caption={`Jobs, page ${page}`}
            testid="jobs-table"
            busy={list.loading}
            cols={[
              canWrite && (
                <input
                  type="checkbox"
                  aria-label="Select every job on this page"
                  checked={allOnPage}
                  onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((j) => j.id)))}
                />
              ),
              "Job",
              "Task",
              "Status",
              "Priority",
              "Attempts",
              "Queued",
              canWrite && "Actions",
            ]}
          >
            {rows.map((j) => (
              <JobRow key={j.id} j={j} canWrite={canWrite} selected={selected.has(j.id)} onToggle={() => toggle(j.id)} act={act} />
            ))}
          </Table>
          {rows.length === 0 && <p class="muted">No job matches.</p>}
          <Pager
            p={list.data.meta.pagination}
            label="Jobs"
            onPage={(n) => navigate(withParams("#/jobs", { ...Object.fromEntries(params), page: n }))}
          />
        </>
      )}
    </>
  );
}
