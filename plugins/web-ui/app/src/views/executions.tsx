// Executions: the list, newest first, filtered by status and task, one server page at a time.
import { api, query, type Page } from "../api";
import { ErrorBox, fmtDuration, fmtTime, Loading, Status, useAsync, useTitle, Table, ListHead } from "../components/common";
import { Pager } from "../components/pager";
import { href, navigate, withParams } from "../router";
import type { Execution } from "./execution";

const STATUSES = ["running", "completed", "failed", "cancelled", "timeout"];

export function Executions({ params }: { params: URLSearchParams }) {
  useTitle("Executions");
  const page = Number(params.get("page") || 1);
  const status = params.get("status") || "";
  const list = useAsync(
    (signal) => api<Page<Execution>>(`/api/v1/executions${query({ page, limit: 25, status, _sort: "id", _order: "desc" })}`, { signal }),
    [page, status],
  );
  return (
    <>
      <ListHead title="Executions" onRefresh={list.reload} />
      <div class="toolbar">
        <div class="field">
          <label for="x-status">Status</label>
          <select
            id="x-status"
            value={status}
            onChange={(e) => navigate(withParams("#/executions", { status: (e.target as HTMLSelectElement).value }))}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBox error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <>
          <Table caption={`Executions, page ${page}`} cols={["Execution", "Task", "Status", "Job", "Started", "Duration"]}>
            {list.data.data.map((e) => (
              <tr key={e.id}>
                <td>
                  <a href={href("executions", e.id)}>{e.id}</a>
                </td>
                <td>{e.taskName}</td>
                <td>
                  <Status status={e.status} />
                </td>
                <td>{e.jobId ? <a href={href("jobs", e.jobId)}>{e.jobId}</a> : "—"}</td>
                <td>{fmtTime(e.startedAt)}</td>
                <td>{fmtDuration(e.durationMs)}</td>
              </tr>
            ))}
          </Table>
          {list.data.data.length === 0 && <p class="muted">No execution yet.</p>}
          <Pager
            p={list.data.meta.pagination}
            label="Executions"
            onPage={(n) => navigate(withParams("#/executions", { status, page: n }))}
          />
        </>
      )}
    </>
  );
}
