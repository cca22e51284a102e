// The REST client: every call carries the signed-in key as a header (never in a URL); a 401
// from any call signs the user out (the sign-in form comes back); errors keep the server's
// envelope ({error: {code, message, status, details}}) so forms can show each detail at its
// field.

const KEY_STORAGE = "ratchet.apiKey";

export interface ErrorDetail {
  pointer?: string;
  message?: string;
  keyword?: string;
  [k: string]: unknown;
}

export class ApiError extends Error {
  status: number;
  code: string;
  details: ErrorDetail[];
  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasNext: boolean;
  hasPrevious: boolean;
  offset: number;
}

export interface Page<T> {
  data: T[];
  meta: { pagination: Pagination; timestamp?: string };
}

type UnauthorizedHandler = (message: string) => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Called by the auth layer: what to do when the server answers 401. */
export function setUnauthorizedHandler(fn: UnauthorizedHandler): void {
  onUnauthorized = fn;
}

/** Reports a 401 met outside api() (the event streams). */
export function notifyUnauthorized(message: string): void {
  onUnauthorized(message);
}

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* private mode: the key lives only in memory for this page */
  }
}

/** The request headers every call sends. */
export function authHeaders(key: string | null = storedKey()): Record<string, string> {
  const h: Record<string, string> = { Accept: "application/json" };
  if (key) h["Authorization"] = `Bearer ${key}`;
  return h;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: ErrorDetail[] = [];
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
      if (Array.isArray(body.error.details)) details = body.error.details;
    }
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, code, message, details);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  key?: string | null;
  signal?: AbortSignal;
  /** Do not sign out on 401 (the sign-in form's own check). */
  quiet401?: boolean;
}

/** fetch() a JSON route; resolves to the parsed body, rejects with an ApiError. */
export async function api<T = any>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = authHeaders(opts.key === undefined ? storedKey() : opts.key);
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method || "GET", headers, body, signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK_ERROR", `cannot reach the server: ${(e as Error).message}`);
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && !opts.quiet401) onUnauthorized(err.message);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Query string from a map, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const enc = encodeURIComponent;
