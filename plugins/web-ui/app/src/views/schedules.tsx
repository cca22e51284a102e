// Schedules: the list with enable, disable, trigger now and delete; create and edit are in
// schedule-edit.tsx.
import { useState } from "preact/hooks";
import { api, enc, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtTime, Loading, useAsync, useTitle, Table, Notice } from "../components/common";
import { href } from "../router";

export interface Schedule {
  id: number;
  name: string;
  taskName: string | null;
  taskVersion: string | null;
  cron: string;
  timezone: string | null;
  input: unknown;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  runCount?: number;
  cronWarning?: string;
}

export function Schedules() {
  useTitle("Schedules");
  const { canWrite } = useAuth();
  const list = useAsync((signal) => api<Page<Schedule>>("/api/v1/schedules?limit=100&_sort=name&_order=asc", { signal }), []);
  const [note, setNote] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();

  async function act(s: Schedule, action: "enable" | "disable" | "trigger" | "delete") {
    setError(undefined);
    try {
      const path = `/api/v1/schedules/${enc(String(s.id))}`;
      if (action === "delete") {
        if (!confirm(`Delete the schedule ${s.name}?`)) return;
        await api(path, { method: "DELETE" });
        setNote(`Deleted ${s.name}.`);
      } else {
        const res = await api<{ data: { job?: { id: number } } }>(`${path}/${action}`, { method: "POST" });
        setNote(action === "trigger" ? `Triggered ${s.name}: job ${res.data?.job?.id ?? "?"} queued.` : `${s.name} ${action}d.`);
      }
    } catch (e) {
      setError(e as Error);
    }
    list.reload();
  }

  return (
    <>
      <div class="page-head">
        <h1>Schedules</h1>
        {canWrite && (
          <a class="button primary" href={href("schedules", "new")}>
            New schedule
          </a>
        )}
      </div>
      <Notice text={note} />
      <ErrorBox error={error || list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.data.length === 0 && <p class="muted">No schedules yet.</p>}
      {list.data && list.data.data.length > 0 && (
        <Table caption="Schedules" cols={["Name", "Task", "Cron", "Zone", "State", "Next run", "Last run", canWrite && "Actions"]}>
          {list.data.data.map((s) => (
            <tr key={s.id} data-schedule={s.name}>
              <td>
                <a href={href("schedules", s.id)}>{s.name}</a>
              </td>
              <td>{s.taskName}</td>
              <td>
                <code>{s.cron}</code>
              </td>
              <td>{s.timezone || "UTC"}</td>
              <td>
                <span class={`badge ${s.enabled ? "status-completed" : "status-cancelled"}`}>{s.enabled ? "enabled" : "disabled"}</span>
              </td>
              <td>{fmtTime(s.nextRunAt)}</td>
              <td>{fmtTime(s.lastRunAt)}</td>
              {canWrite && (
                <td class="row-actions">
                  <button
                    type="button"
                    class="small"
                    onClick={() => act(s, s.enabled ? "disable" : "enable")}
                    aria-label={`${s.enabled ? "Disable" : "Enable"} ${s.name}`}
                  >
                    {s.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" class="small" onClick={() => act(s, "trigger")} aria-label={`Trigger now ${s.name}`}>
                    Trigger now
                  </button>
                  <button type="button" class="small danger" onClick={() => act(s, "delete")} aria-label={`Delete ${s.name}`}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
