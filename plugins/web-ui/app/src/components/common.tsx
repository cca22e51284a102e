// Small shared pieces: loading/error states, status badges, JSON blocks, time formatting and
// the data-loading hook every view uses.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";

export interface Async<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs fn when deps change (and on reload()); an older answer never overwrites a newer one. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    fn(ctl.signal).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error) => {
        if (mine === seq.current && error.name !== "AbortError") setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function ErrorBox({ error }: { error: Error | string | undefined }) {
  if (!error) return null;
  const msg = typeof error === "string" ? error : error.message;
  const code = error instanceof ApiError ? `${error.code}: ` : "";
  return (
    <p class="error-box" role="alert">
      {code}
      {msg}
    </p>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Status({ status }: { status: string | undefined | null }) {
  const s = status || "unknown";
  return <span class={`badge status-${s}`}>{s}</span>;
}

export function Json({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? "—" : JSON.stringify(value, null, 2);
  return (
    <pre class="json" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <div class="card-head">
        <h2>{title}</h2>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function fmtTime(t: string | null | undefined): string {
  if (!t) return "—";
  const d = new Date(t);
  if (isNaN(d.getTime())) return t;
  return d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function fmtBytesKb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined) return "—";
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MiB` : `${kb} KiB`;
}

/** Page title for each view (screen readers announce it; tabs show it). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Ratchet`;
  }, [title]);
}

/** A short status line (announced politely). */
export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

/** A table that scrolls sideways in its own box on narrow screens; `cols` are the headers
 * (false or null leaves a column out, e.g. `canWrite && "Actions"`). */
export function Table({
  caption,
  cols,
  children,
  testid,
  busy,
}: {
  caption: string;
  cols: ComponentChildren[];
  children: ComponentChildren;
  testid?: string;
  busy?: boolean;
}) {
  return (
    <div class="table-wrap">
      <table data-testid={testid} aria-busy={busy}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {cols
              .filter((c) => c !== false && c !== null)
              .map((c, i) => (
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A list view's title with its Refresh button. */
export function ListHead({ title, onRefresh }: { title: string; onRefresh: () => void }) {
  return (
    <div class="page-head">
      <h1>{title}</h1>
      <button type="button" onClick={onRefresh}>
        Refresh
      </button>
    </div>
  );
}
