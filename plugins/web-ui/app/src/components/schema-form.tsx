// A form generated from a JSON Schema: strings, numbers, integers, booleans, enums (selects),
// nested objects (fieldsets) and arrays (add/remove items), required marks, defaults and
// descriptions as help. The browser does not validate (noValidate): the server's validator
// does, and its errors come back as JSON pointers that are shown at their fields.
import type { ComponentChildren } from "preact";
import { RequiredMark } from "./form-field";

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  [k: string]: unknown;
};

export type Errors = Map<string, string[]>;

/** The value a schema starts with: its default, or objects filled with their members' defaults. */
export function initialValue(schema: Schema | undefined): unknown {
  if (!schema || typeof schema !== "object") return undefined;
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (typeOf(schema) === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.properties || {})) {
      const v = initialValue(s);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return undefined;
}

export function typeOf(schema: Schema): string {
  if (Array.isArray(schema.enum)) return "enum";
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  if (t) return t;
  if (schema.properties) return "object";
  if (schema.items) return "array";
  return "json";
}

/** Maps the server's errors to fields: pointers relative to the input; a missing required
 * property is shown at the property itself. */
export function errorsByField(details: { pointer?: string; path?: string; message?: string }[], prefix = ""): Errors {
  const m: Errors = new Map();
  for (const d of details) {
    let p = d.pointer ?? d.path ?? "";
    if (prefix && (p === prefix || p.startsWith(prefix + "/"))) p = p.slice(prefix.length);
    const msg = d.message || "invalid";
    const missing = msg.match(/required property ["'](.+?)["']/);
    if (missing) p = `${p}/${missing[1].replace(/~/g, "~0").replace(/\//g, "~1")}`;
    m.set(p, [...(m.get(p) || []), msg]);
  }
  return m;
}

interface FieldProps {
  schema: Schema;
  pointer: string;
  name: string;
  value: unknown;
  required: boolean;
  errors: Errors;
  onChange: (v: unknown) => void;
  idPrefix: string;
}

function fieldId(prefix: string, pointer: string): string {
  return `${prefix}${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => (c === "/" ? "." : `_${c.charCodeAt(0)}`))}`;
}

function Help({ id, schema, errs }: { id: string; schema: Schema; errs: string[] | undefined }) {
  return (
    <>
      {schema.description && (
        <p class="help" id={`${id}-help`}>
          {schema.description}
        </p>
      )}
      {errs && (
        <p class="field-error" id={`${id}-err`} data-testid="field-error">
          {errs.join("; ")}
        </p>
      )}
    </>
  );
}

function describedBy(id: string, schema: Schema, errs: string[] | undefined): string | undefined {
  const ids = [schema.description ? `${id}-help` : "", errs ? `${id}-err` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function LabelText({ name, schema, required }: { name: string; schema: Schema; required: boolean }) {
  return (
    <>
      {schema.title || name}
      {required && <RequiredMark />}
    </>
  );
}

function ObjectField(p: FieldProps & { legend: boolean }) {
  const obj = (p.value && typeof p.value === "object" && !Array.isArray(p.value) ? p.value : {}) as Record<string, unknown>;
  const req = new Set(p.schema.required || []);
  const id = fieldId(p.idPrefix, p.pointer);
  const errs = p.errors.get(p.pointer);
  const body = Object.entries(p.schema.properties || {}).map(([k, s]) => (
    <Field
      key={k}
      schema={s}
      name={k}
      pointer={`${p.pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`}
      value={obj[k]}
      required={req.has(k)}
      errors={p.errors}
      idPrefix={p.idPrefix}
      onChange={(v) => {
        const next = { ...obj };
        if (v === undefined) delete next[k];
        else next[k] = v;
        p.onChange(next);
      }}
    />
  ));
  if (!p.legend) {
    return (
      <>
        {errs && <Help id={id} schema={{}} errs={errs} />}
        {body}
      </>
    );
  }
  return <Group p={p}>{body}</Group>;
}

/** A fieldset for an object or an array: its name as legend, its help and errors. */
function Group({ p, children }: { p: FieldProps; children: ComponentChildren }) {
  const id = fieldId(p.idPrefix, p.pointer);
  const errs = p.errors.get(p.pointer);
  return (
    <fieldset class="sub" aria-describedby={describedBy(id, p.schema, errs)}>
      <legend>
        <LabelText name={p.name} schema={p.schema} required={p.required} />
      </legend>
      <Help id={id} schema={p.schema} errs={errs} />
      {children}
    </fieldset>
  );
}

function ArrayField(p: FieldProps) {
  const arr = Array.isArray(p.value) ? p.value : [];
  const item = p.schema.items || {};
  const set = (i: number, v: unknown) => p.onChange(arr.map((x, j) => (j === i ? v : x)));
  return (
    <Group p={p}>
      <ol class="array-items">
        {arr.map((v, i) => (
          <li key={i}>
            <Field
              schema={item}
              name={`${p.schema.title || p.name} item ${i + 1}`}
              pointer={`${p.pointer}/${i}`}
              value={v}
              required={false}
              errors={p.errors}
              idPrefix={p.idPrefix}
              onChange={(nv) => set(i, nv)}
            />
            <button type="button" class="small" onClick={() => p.onChange(arr.filter((_, j) => j !== i))}>
              Remove item {i + 1} of {p.name}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" class="small" onClick={() => p.onChange([...arr, initialValue(item)])}>
        Add to {p.name}
      </button>
    </Group>
  );
}

function Labelled({ id, p, errs, children }: { id: string; p: FieldProps; errs: string[] | undefined; children: ComponentChildren }) {
  return (
    <div class={`field${errs ? " has-error" : ""}`}>
      <label for={id}>
        <LabelText name={p.name} schema={p.schema} required={p.required} />
      </label>
      {children}
      <Help id={id} schema={p.schema} errs={errs} />
    </div>
  );
}

function JsonField({ p, id, errs }: { p: FieldProps; id: string; errs: string[] | undefined }) {
  const text = p.value === undefined ? "" : JSON.stringify(p.value, null, 2);
  return (
    <Labelled id={id} p={p} errs={errs}>
      <textarea
        id={id}
        rows={4}
        class="mono"
        defaultValue={text}
        aria-invalid={errs ? true : undefined}
        aria-describedby={describedBy(id, p.schema, errs)}
        onChange={(e) => {
          const t = (e.target as HTMLTextAreaElement).value.trim();
          if (t === "") return p.onChange(undefined);
          try {
            p.onChange(JSON.parse(t));
          } catch {
            p.onChange(t); // the server says why it is wrong
          }
        }}
      />
    </Labelled>
  );
}

function numberFrom(text: string): unknown {
  if (text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function Field(p: FieldProps) {
  const t = typeOf(p.schema);
  const id = fieldId(p.idPrefix, p.pointer);
  const errs = p.errors.get(p.pointer);
  const common = {
    id,
    name: p.pointer,
    "aria-invalid": errs ? true : undefined,
    "aria-required": p.required ? true : undefined,
    "aria-describedby": describedBy(id, p.schema, errs),
  };
  switch (t) {
    case "object":
      return <ObjectField {...p} legend={true} />;
    case "array":
      return <ArrayField {...p} />;
    case "boolean":
      return (
        <div class={`field check${errs ? " has-error" : ""}`}>
          <input
            type="checkbox"
            {...common}
            checked={p.value === true}
            onChange={(e) => p.onChange((e.target as HTMLInputElement).checked)}
          />
          <label for={id}>
            <LabelText name={p.name} schema={p.schema} required={p.required} />
          </label>
          <Help id={id} schema={p.schema} errs={errs} />
        </div>
      );
    case "enum": {
      const opts = p.schema.enum || [];
      const idx = opts.findIndex((o) => JSON.stringify(o) === JSON.stringify(p.value));
      return (
        <Labelled id={id} p={p} errs={errs}>
          <select
            {...common}
            value={idx < 0 ? "" : String(idx)}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              p.onChange(v === "" ? undefined : opts[Number(v)]);
            }}
          >
            <option value="">— choose —</option>
            {opts.map((o, i) => (
              <option key={i} value={String(i)}>
                {typeof o === "string" ? o : JSON.stringify(o)}
              </option>
            ))}
          </select>
        </Labelled>
      );
    }
    case "number":
    case "integer":
      return (
        <Labelled id={id} p={p} errs={errs}>
          <input
            type="number"
            inputMode={t === "integer" ? "numeric" : "decimal"}
            step={t === "integer" ? 1 : "any"}
            {...common}
            value={p.value === undefined ? "" : String(p.value)}
            onInput={(e) => p.onChange(numberFrom((e.target as HTMLInputElement).value))}
          />
        </Labelled>
      );
    case "string":
      return (
        <Labelled id={id} p={p} errs={errs}>
          <input
            type="text"
            {...common}
            placeholder={p.schema.format === "date-time" ? "2026-01-31T12:00:00Z" : undefined}
            value={typeof p.value === "string" ? p.value : p.value === undefined ? "" : String(p.value)}
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              p.onChange(v === "" ? undefined : v);
            }}
          />
        </Labelled>
      );
    default:
      return <JsonField p={p} id={id} errs={errs} />;
  }
}

/** The whole input: the root object's members as fields (no legend around them). */
export function SchemaForm({
  schema,
  value,
  onChange,
  errors,
  idPrefix = "in",
}: {
  schema: Schema;
  value: unknown;
  onChange: (v: unknown) => void;
  errors: Errors;
  idPrefix?: string;
}) {
  if (typeOf(schema) === "object") {
    return (
      <ObjectField
        schema={schema}
        pointer=""
        name="input"
        value={value}
        required={true}
        errors={errors}
        onChange={onChange}
        idPrefix={idPrefix}
        legend={false}
      />
    );
  }
  return (
    <Field schema={schema} pointer="" name="input" value={value} required={true} errors={errors} onChange={onChange} idPrefix={idPrefix} />
  );
}
