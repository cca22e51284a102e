// How a run ended: the output, or the typed error (name, message, stack) when it failed.
import { Json } from "./common";

export interface TypedError {
  name?: string;
  type?: string;
  kind?: string;
  code?: string;
  message?: string;
  stack?: string;
  [k: string]: unknown;
}

export function ErrorView({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") {
    return (
      <div class="typed-error" data-testid="run-error">
        <pre class="error-text">{error}</pre>
      </div>
    );
  }
  const e = error as TypedError;
  const kind = e.name || e.type || e.kind || e.code || "Error";
  const { stack, message, ...rest } = e;
  return (
    <div class="typed-error" data-testid="run-error">
      <p>
        <strong class="error-kind">{kind}</strong>
        {message ? `: ${message}` : ""}
      </p>
      {stack && (
        <>
          <h3>Stack</h3>
          <pre class="error-text" tabIndex={0} aria-label="Stack trace">
            {stack}
          </pre>
        </>
      )}
      <details>
        <summary>The whole error</summary>
        <Json value={{ message, ...rest }} label="Error as JSON" />
      </details>
    </div>
  );
}

export function Outcome({ output, error }: { output: unknown; error: unknown }) {
  if (error !== null && error !== undefined) return <ErrorView error={error} />;
  return (
    <div data-testid="run-output">
      <Json value={output} label="Output" />
    </div>
  );
}
