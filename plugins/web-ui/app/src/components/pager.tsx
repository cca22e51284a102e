// Server pagination: first / previous / page N of M / next / last. Only one page of rows is
// ever fetched, so 100,000 jobs page as fast as 100.
import type { Pagination } from "../api";

export function Pager({ p, onPage, label }: { p: Pagination | undefined; onPage: (page: number) => void; label: string }) {
  if (!p) return null;
  const last = Math.max(1, p.totalPages);
  const from = p.total === 0 ? 0 : p.offset + 1;
  const to = Math.min(p.total, p.offset + p.limit);
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={() => onPage(1)} disabled={!p.hasPrevious} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => onPage(p.page - 1)} disabled={!p.hasPrevious} aria-label="Previous page">
        ‹ Previous
      </button>
      <span class="pager-info" aria-live="polite" data-testid="pager-info">
        {from}–{to} of {p.total} · page {p.page} of {last}
      </span>
      <button type="button" onClick={() => onPage(p.page + 1)} disabled={!p.hasNext} aria-label="Next page">
        Next ›
      </button>
      <button type="button" onClick={() => onPage(last)} disabled={!p.hasNext} aria-label="Last page">
        »
      </button>
    </nav>
  );
}
