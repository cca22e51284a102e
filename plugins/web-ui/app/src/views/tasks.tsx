// Tasks: the list with a search on the name (the server filters with name_like) and pages.
import { useState } from "preact/hooks";
import { api, query, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, Loading, useAsync, useTitle } from "../components/common";
import { Pager } from "../components/pager";
import { href, navigate, withParams } from "../router";

export interface Task {
  id: number;
  name: string;
  description: string | null;
  version: string;
  enabled: boolean;
  tags: string[] | null;
  availableVersions: string[];
  inputSchema: unknown;
  outputSchema: unknown;
  createdAt: string | null;
  updatedAt: string | null;
}

export function TaskList({ params }: { params: URLSearchParams }) {
  useTitle("Tasks");
  const { canWrite } = useAuth();
  const q = params.get("q") || "";
  const page = Number(params.get("page") || 1);
  const [search, setSearch] = useState(q);
  const list = useAsync(
    (signal) => api<Page<Task>>(`/api/v1/tasks${query({ name_like: q, page, limit: 25, _sort: "name", _order: "asc" })}`, { signal }),
    [q, page],
  );
  const go = (nq: string, np: number) => navigate(withParams("#/tasks", { q: nq, page: np > 1 ? np : undefined }));
  return (
    <>
      <h1>Tasks</h1>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(search.trim(), 1);
        }}
      >
        <label for="task-search">Search tasks by name</label>
        <input id="task-search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <>
          {list.data.data.length === 0 && <p class="muted">No task matches.</p>}
          <ul class="task-list">
            {list.data.data.map((t) => (
              <li key={t.id} class="card">
                <h2>
                  <a href={href("tasks", t.name)}>{t.name}</a> <span class="muted">v{t.version}</span>
                  {!t.enabled && <span class="badge status-cancelled">disabled</span>}
                </h2>
                <p>{t.description || <span class="muted">No description.</span>}</p>
                {canWrite && (
                  <p class="actions">
                    <a class="button" href={href("tasks", t.name, "run")}>
                      Run {t.name}
                    </a>
                  </p>
                )}
              </li>
            ))}
          </ul>
          <Pager p={list.data.meta.pagination} onPage={(n) => go(q, n)} label="Tasks" />
        </>
      )}
    </>
  );
}
