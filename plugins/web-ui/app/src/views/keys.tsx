// API keys (admin scope): create (the secret is shown once), list, revoke. Revoking the key
// you are signed in with signs you out: the next request is refused with 401.
import { useState } from "preact/hooks";
import { api, ApiError, enc, type Page } from "../api";
import { useAuth } from "../auth";
import { ErrorBox, fmtTime, Loading, Section, useAsync, useTitle, Table, Notice } from "../components/common";

interface Key {
  id: number;
  name: string;
  scope: string;
  prefix?: string;
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState("read");
  const [error, setError] = useState<ApiError | undefined>();
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>();
  async function submit(e: Event) {
    e.preventDefault();
    setError(undefined);
    setSecret(undefined);
    try {
      const res = await api<{ data: { name: string; secret: string } }>("/api/v1/keys", {
        method: "POST",
        body: { name: name.trim(), scope },
      });
      setSecret(res.data);
      setName("");
      onCreated();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <Section title="Create a key">
      <form class="toolbar" onSubmit={submit} noValidate aria-label="Create a key">
        <div class="field">
          <label for="k-name">Name</label>
          <input
            id="k-name"
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "k-error" : undefined}
          />
        </div>
        <div class="field">
          <label for="k-scope">Scope</label>
          <select id="k-scope" value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
            <option value="read">read</option>
            <option value="write">write</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" class="primary">
          Create key
        </button>
      </form>
      {error && (
        <p class="field-error" id="k-error" role="alert">
          {error.message}
        </p>
      )}
      {secret && (
        <div class="secret" role="status">
          <p>
            The secret of <strong>{secret.name}</strong>. It is shown this once: copy it now.
          </p>
          <input
            class="mono"
            readOnly
            value={secret.secret}
            aria-label={`Secret of ${secret.name}`}
            data-testid="new-secret"
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
          <button type="button" onClick={() => navigator.clipboard?.writeText(secret.secret)}>
            Copy
          </button>
        </div>
      )}
    </Section>
  );
}

export function Keys() {
  useTitle("API keys");
  const { isAdmin, who } = useAuth();
  const list = useAsync((signal) => api<Page<Key>>("/api/v1/keys", { signal }), []);
  const [error, setError] = useState<Error | undefined>();
  const [note, setNote] = useState<string | undefined>();

  async function revoke(k: Key) {
    const own = who.id === k.id;
    if (!confirm(own ? `Revoke ${k.name}? It is the key you are signed in with: you will be signed out.` : `Revoke ${k.name}?`)) return;
    setError(undefined);
    try {
      const res = await api<{ message: string }>(`/api/v1/keys/${enc(String(k.id))}`, { method: "DELETE" });
      setNote(res.message);
    } catch (e) {
      setError(e as Error);
    }
    list.reload();
  }

  if (!isAdmin) return <p class="notice">API keys need the admin scope.</p>;
  return (
    <>
      <h1>API keys</h1>
      <CreateKey onCreated={list.reload} />
      <Notice text={note} />
      <ErrorBox error={error || list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <Table caption="API keys" cols={["Name", "Scope", "Prefix", "Created", "Last used", "State", "Actions"]}>
          {list.data.data.map((k) => (
            <tr key={k.id} data-key={k.name}>
              <td>
                {k.name}
                {who.id === k.id && <span class="muted"> (you)</span>}
              </td>
              <td>{k.scope}</td>
              <td>
                <code>{k.prefix || "—"}</code>
              </td>
              <td>{fmtTime(k.createdAt)}</td>
              <td>{fmtTime(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? <span class="badge status-cancelled">revoked</span> : <span class="badge status-completed">live</span>}
              </td>
              <td>
                {!k.revokedAt && (
                  <button type="button" class="small danger" onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
