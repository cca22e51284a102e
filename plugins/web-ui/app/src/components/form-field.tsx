// One labelled control with its required mark, help and error, wired for screen readers
// (aria-describedby, aria-invalid are the caller's, with the ids this gives).
import type { ComponentChildren } from "preact";

export function RequiredMark() {
  return (
    <span class="req" title="required">
      {" "}
      *<span class="sr-only"> (required)</span>
    </span>
  );
}

export function FormField(props: {
  id: string;
  label: string;
  required?: boolean;
  help?: ComponentChildren;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? " has-error" : ""}`}>
      <label for={props.id}>
        {props.label}
        {props.required && <RequiredMark />}
      </label>
      {props.children}
      {props.help && (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The aria-describedby value for a FormField's control. */
export function describedBy(id: string, help: boolean, error: string | undefined): string | undefined {
  const ids = [help ? `${id}-help` : "", error ? `${id}-err` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}
