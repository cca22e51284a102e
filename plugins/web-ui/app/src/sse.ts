// Server-Sent Events over fetch(): EventSource cannot send an Authorization header and the key
// must never go into a URL, so the stream is read from a ReadableStream and parsed here
// (the text/event-stream format: "field: value" lines, a blank line ends an event).

import { authHeaders, ApiError, notifyUnauthorized } from "./api";

export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Incremental parser: feed() text chunks, get complete events back. */
export class SseParser {
  private buf = "";
  private id = "";
  private event = "";
  private data: string[] = [];

  feed(chunk: string): SseEvent[] {
    this.buf += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.buf.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.buf.slice(0, nl);
      const skip = this.buf.startsWith("\r\n", nl) ? 2 : 1;
      this.buf = this.buf.slice(nl + skip);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const ev = { id: this.id, event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return ev;
    }
    if (line.startsWith(":")) return null; // keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
    return null;
  }
}

export interface StreamHandle {
  close(): void;
  done: Promise<void>;
}

/**
 * Opens an event stream and calls onEvent for each event until the server ends it or close()
 * is called. onError gets the failure (an ApiError for an HTTP error status).
 */
export function openStream(path: string, onEvent: (ev: SseEvent) => void, onError: (e: Error) => void = () => {}): StreamHandle {
  const ctl = new AbortController();
  const done = (async () => {
    try {
      const headers = authHeaders();
      headers["Accept"] = "text/event-stream";
      const res = await fetch(path, { headers, signal: ctl.signal });
      if (res.status === 401) notifyUnauthorized("the server refused the key");
      if (!res.ok || !res.body) {
        throw new ApiError(res.status, `HTTP_${res.status}`, `event stream refused: HTTP ${res.status}`);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        for (const ev of parser.feed(value)) onEvent(ev);
      }
    } catch (e) {
      if ((e as Error).name !== "AbortError") onError(e as Error);
    }
  })();
  return { close: () => ctl.abort(), done };
}
