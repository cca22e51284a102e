// Hand-drawn SVG charts (no chart library): horizontal bars for counts, columns per minute for
// the throughput, a polyline for the failure rate. Each chart is an image with a text
// alternative that says what it shows; colours come from CSS classes (themes).

export interface Bar {
  label: string;
  value: number;
  cls?: string;
}

export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 26;
  const h = bars.length * row + 4;
  const summary = bars.map((b) => `${b.label} ${b.value}`).join(", ");
  return (
    <svg class="chart bars" viewBox={`0 0 400 ${h}`} role="img" aria-label={`${title}: ${summary}`}>
      {bars.map((b, i) => {
        const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * 250);
        const y = i * row + 2;
        return (
          <g key={b.label}>
            <text x="0" y={y + 17} class="chart-label">
              {b.label}
            </text>
            <rect x="100" y={y + 3} width={w} height={row - 8} rx="3" class={`bar ${b.cls || ""}`} />
            <text x={106 + w} y={y + 17} class="chart-value">
              {b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Bucket {
  time: string;
  completed: number;
  failed: number;
}

function axisTimes(buckets: Bucket[]): { x: number; label: string }[] {
  const out: { x: number; label: string }[] = [];
  const n = buckets.length;
  const step = Math.max(1, Math.ceil(n / 4));
  for (let i = 0; i < n; i += step) {
    const d = new Date(buckets[i].time);
    out.push({ x: i, label: d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) });
  }
  return out;
}

const W = 600;
const H = 160;
const PAD_L = 36;
const PAD_B = 20;

/** Executions finished per minute: completed and failed stacked. */
export function ThroughputChart({ buckets }: { buckets: Bucket[] }) {
  const n = Math.max(1, buckets.length);
  const max = Math.max(1, ...buckets.map((b) => b.completed + b.failed));
  const bw = (W - PAD_L) / n;
  const y = (v: number) => ((H - PAD_B) * v) / max;
  const total = buckets.reduce((a, b) => a + b.completed + b.failed, 0);
  const failed = buckets.reduce((a, b) => a + b.failed, 0);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Throughput over the last ${buckets.length} minutes: ${total} executions finished, ${failed} failed; at most ${max} in one minute`}
    >
      <line x1={PAD_L} y1={H - PAD_B} x2={W} y2={H - PAD_B} class="axis" />
      <text x={PAD_L - 4} y="12" class="chart-value" text-anchor="end">
        {max}
      </text>
      <text x={PAD_L - 4} y={H - PAD_B} class="chart-value" text-anchor="end">
        0
      </text>
      {buckets.map((b, i) => {
        const hc = y(b.completed);
        const hf = y(b.failed);
        const x = PAD_L + i * bw + 0.5;
        return (
          <g key={b.time}>
            <rect x={x} y={H - PAD_B - hc} width={Math.max(1, bw - 1)} height={hc} class="bar ok" />
            <rect x={x} y={H - PAD_B - hc - hf} width={Math.max(1, bw - 1)} height={hf} class="bar bad" />
          </g>
        );
      })}
      {axisTimes(buckets).map((t) => (
        <text key={t.x} x={PAD_L + t.x * bw} y={H - 4} class="chart-label">
          {t.label}
        </text>
      ))}
    </svg>
  );
}

/** Failure rate per minute (failed / finished), as a line; minutes with nothing are gaps. */
export function FailureRateChart({ buckets }: { buckets: Bucket[] }) {
  const n = Math.max(1, buckets.length);
  const bw = (W - PAD_L) / n;
  const segs: string[] = [];
  let cur: string[] = [];
  buckets.forEach((b, i) => {
    const t = b.completed + b.failed;
    if (t === 0) {
      if (cur.length) segs.push(cur.join(" "));
      cur = [];
      return;
    }
    const x = PAD_L + i * bw + bw / 2;
    const y = (H - PAD_B) * (1 - b.failed / t);
    cur.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (cur.length) segs.push(cur.join(" "));
  const total = buckets.reduce((a, b) => a + b.completed + b.failed, 0);
  const failed = buckets.reduce((a, b) => a + b.failed, 0);
  const rate = total ? Math.round((100 * failed) / total) : 0;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Failure rate over the last ${buckets.length} minutes: ${rate}% overall`}
    >
      <line x1={PAD_L} y1={H - PAD_B} x2={W} y2={H - PAD_B} class="axis" />
      <line x1={PAD_L} y1="1" x2={W} y2="1" class="gridline" />
      <text x={PAD_L - 4} y="12" class="chart-value" text-anchor="end">
        100%
      </text>
      <text x={PAD_L - 4} y={H - PAD_B} class="chart-value" text-anchor="end">
        0%
      </text>
      {segs.map((pts) =>
        pts.includes(" ") ? (
          <polyline key={pts} points={pts} class="rate-line" />
        ) : (
          <circle key={pts} cx={pts.split(",")[0]} cy={pts.split(",")[1]} r="3" class="rate-dot" />
        ),
      )}
      {axisTimes(buckets).map((t) => (
        <text key={t.x} x={PAD_L + t.x * bw} y={H - 4} class="chart-label">
          {t.label}
        </text>
      ))}
    </svg>
  );
}
