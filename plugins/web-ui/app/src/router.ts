// Hash routing (#/jobs/42?page=3): the server serves one index.html at /ui/ and never needs
// to know the app's paths; Back and Forward work, and every view has a link of its own.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  path: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, "");
  const q = h.indexOf("?");
  const pathPart = q < 0 ? h : h.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  const path = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { path, params };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

/** A link target: href("jobs", 42) is "#/jobs/42"; params are added as a query. */
export function href(...parts: (string | number)[]): string {
  return "#/" + parts.map((p) => encodeURIComponent(String(p))).join("/");
}

export function withParams(base: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}
