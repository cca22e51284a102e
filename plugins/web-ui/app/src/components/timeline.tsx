// An execution's console lines and fetch calls in order, each at its offset from the start,
// fetch calls with a bar as long as their duration; and the hook that follows a job's or an
// execution's event stream while it runs.
import { useEffect, useState } from "preact/hooks";
import { openStream } from "../sse";
import { fmtDuration } from "./common";

export interface LogEntry {
  seq?: number;
  time?: string | null;
  kind: "log" | "fetch" | string;
  level?: string | null;
  message?: string | null;
  method?: string | null;
  url?: string | null;
  status?: number | null;
  durationMs?: number | null;
}

export function Timeline({ entries, start, live }: { entries: LogEntry[]; start?: string | null; live: boolean }) {
  const t0 = start ? Date.parse(start) : entries[0]?.time ? Date.parse(entries[0].time) : NaN;
  const longest = Math.max(1, ...entries.map((e) => (e.kind === "fetch" ? e.durationMs || 0 : 0)));
  return (
    <div>
      {entries.length === 0 && <p class="muted">{live ? "Waiting for console lines…" : "No console lines or fetch calls."}</p>}
      <ol class="timeline" aria-live={live ? "polite" : undefined} data-testid="timeline">
        {entries.map((e, i) => {
          const at = e.time && !isNaN(t0) ? Date.parse(e.time) - t0 : NaN;
          return (
            <li key={e.seq ?? i} class={`tl-${e.kind} level-${e.level || "info"}`}>
              <span class="tl-at">{isNaN(at) ? "" : `+${fmtDuration(Math.max(0, at))}`}</span>
              {e.kind === "fetch" ? (
                <span class="tl-body">
                  <span class="tl-kind">fetch</span> <strong>{e.method || "GET"}</strong> <span class="mono">{e.url}</span> →{" "}
                  <span class={e.status && e.status < 400 ? "ok-text" : "bad-text"}>{e.status ?? "no answer"}</span>{" "}
                  <span class="muted">{fmtDuration(e.durationMs)}</span>
                  <meter
                    class="tl-bar"
                    min={0}
                    max={longest}
                    value={e.durationMs || 0}
                    aria-label={`duration ${fmtDuration(e.durationMs)}`}
                  />
                </span>
              ) : (
                <span class="tl-body">
                  <span class="tl-kind">{e.level || "log"}</span> <span class="mono console-line">{e.message}</span>
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export interface Live {
  status: string | undefined;
  entries: LogEntry[];
  final: boolean;
  executionId: number | undefined;
  error: Error | undefined;
}

/** Follows an event stream (when enabled) until its final status event or its end. */
export function useLive(path: string, enabled: boolean): Live {
  const [live, setLive] = useState<Live>({ status: undefined, entries: [], final: false, executionId: undefined, error: undefined });
  useEffect(() => {
    if (!enabled) return;
    setLive({ status: undefined, entries: [], final: false, executionId: undefined, error: undefined });
    const h = openStream(
      path,
      (ev) => {
        let d: Record<string, any>;
        try {
          d = JSON.parse(ev.data);
        } catch {
          return;
        }
        setLive((l) => {
          const executionId = d.executionId ?? l.executionId;
          if (ev.event === "status") return { ...l, status: d.status, final: l.final || d.final === true, executionId };
          if (ev.event === "log" || ev.event === "fetch") {
            const entry: LogEntry = { ...d, kind: ev.event, seq: Number(ev.id) || undefined } as LogEntry;
            return { ...l, entries: [...l.entries, entry], executionId };
          }
          return l;
        });
      },
      (error) => setLive((l) => ({ ...l, error })),
    );
    h.done.then(() => setLive((l) => ({ ...l, final: true })));
    return () => h.close();
  }, [path, enabled]);
  return live;
}
