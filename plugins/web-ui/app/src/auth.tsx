// Who is signed in. The key is kept in sessionStorage (gone with the tab), sent as a header,
// never put in a URL. On start the app asks the server who it is (a listener with `auth: none`
// answers without a key); any 401 afterwards brings the sign-in form back.
import { createContext } from "preact";
import { useContext, useState } from "preact/hooks";
import { api, ApiError, storeKey } from "./api";

export type Scope = "read" | "write" | "admin";

export interface Who {
  name: string | null;
  id: number | null;
  scope: Scope;
  authRequired: boolean;
}

export interface AuthState {
  who: Who;
  canWrite: boolean;
  isAdmin: boolean;
  signOut: (reason?: string) => void;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside the signed-in app");
  return a;
}

export async function whoami(key: string | null): Promise<Who> {
  const res = await api<{ data: Who }>("/api/v1/auth/whoami", { key, quiet401: true });
  return res.data;
}

export function authState(who: Who, signOut: (reason?: string) => void): AuthState {
  const rank = { read: 0, write: 1, admin: 2 }[who.scope] ?? 0;
  return { who, canWrite: rank >= 1, isAdmin: rank >= 2, signOut };
}

/** The sign-in form: checks the key with whoami before keeping it. */
export function SignIn({ reason, onSignedIn }: { reason?: string; onSignedIn: (who: Who) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const k = key.trim();
    if (!k) {
      setError("Enter an API key (create one with `ratchet keys create`).");
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const who = await whoami(k);
      storeKey(k);
      onSignedIn(who);
    } catch (err) {
      const e2 = err as ApiError;
      setError(e2.status === 401 ? "This key was refused: unknown or revoked." : e2.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to Ratchet</h1>
        {reason && (
          <p class="notice" role="status">
            {reason}
          </p>
        )}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-describedby="api-key-help"
          aria-invalid={error ? true : undefined}
          required
        />
        <p id="api-key-help" class="help">
          A key from <code>ratchet keys create --name NAME --scope read|write|admin</code>. It stays in this tab only (sessionStorage) and
          is sent as a header.
        </p>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
