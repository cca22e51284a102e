// Workers: pid, state, memory, jobs run, current job.
import { api } from "../api";
import { ErrorBox, fmtBytesKb, fmtTime, Loading, useAsync, useTitle, Table, ListHead } from "../components/common";
import { href } from "../router";

export interface Worker {
  id: number;
  pid: number | null;
  state: string;
  jobsRun: number;
  memoryKb: number | null;
  currentJobId: number | null;
  currentExecutionId: number | null;
  startedAt: string | null;
  restarts: number;
  lastSeenAt: string | null;
}

export function Workers() {
  useTitle("Workers");
  const ws = useAsync((signal) => api<{ data: Worker[] }>("/api/v1/workers", { signal }), []);
  return (
    <>
      <ListHead title="Workers" onRefresh={ws.reload} />
      <ErrorBox error={ws.error} />
      {!ws.data && !ws.error && <Loading />}
      {ws.data && (
        <Table caption="Worker processes" cols={["Worker", "PID", "State", "Memory", "Jobs run", "Current job", "Restarts", "Started"]}>
          {ws.data.data.map((w) => (
            <tr key={w.id}>
              <td>{w.id}</td>
              <td>{w.pid ?? "—"}</td>
              <td>
                <span class={`badge state-${w.state}`}>{w.state}</span>
              </td>
              <td>{fmtBytesKb(w.memoryKb)}</td>
              <td>{w.jobsRun}</td>
              <td>{w.currentJobId ? <a href={href("jobs", w.currentJobId)}>job {w.currentJobId}</a> : "—"}</td>
              <td>{w.restarts}</td>
              <td>{fmtTime(w.startedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
