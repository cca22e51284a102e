#!/usr/bin/env python3
"""A static file server for the registry tests, on loopback.

Serves the files of --root with an ETag (the sha256 of the content) and answers 304 to a
matching If-None-Match. It counts its answers per path, readable as JSON at /__stats:
{"/index.json": {"200": 2, "304": 1, "started": 3, "bytes": 1234}, ...}. Faults are switched
per path with /__fault?path=/x.zip&mode=MODE (path=* for every path, mode=none to clear):
  down      answer 503
  drop      close the connection without an answer
  hang      wait 60 s before answering (a transfer that never ends)
  stream    send 64 MiB without a Content-Length ("bytes" says how much went out before the
            client hung up)
With --token T, requests for index.json need "Authorization: Bearer T" (else 401).
The chosen port is written to --port-file once the server listens.
"""
import argparse
import hashlib
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATS = {}
FAULTS = {}
LOCK = threading.Lock()


def count(path, key, n=1):
    with LOCK:
        STATS.setdefault(path, {}).setdefault(key, 0)
        STATS[path][key] += n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def control(self, url):
        q = urllib.parse.parse_qs(url.query)
        if url.path == "/__stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            self.answer(200, body, {"Content-Type": "application/json"})
            return True
        if url.path == "/__fault":
            path, mode = q.get("path", ["*"])[0], q.get("mode", ["none"])[0]
            with LOCK:
                if mode == "none":
                    FAULTS.pop(path, None)
                else:
                    FAULTS[path] = mode
            self.answer(200, b"ok\n")
            return True
        return False

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if self.control(url):
            return
        path = url.path
        count(path, "started")
        with LOCK:
            fault = FAULTS.get(path) or FAULTS.get("*")
        if fault == "down":
            count(path, "503")
            return self.answer(503, b"down for the test\n")
        if fault == "drop":
            count(path, "dropped")
            self.close_connection = True
            return
        if fault == "hang":
            time.sleep(60)
            return self.answer(503)
        if fault == "stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.end_headers()
            chunk = b"\0" * 65536
            try:
                for _ in range(1024):
                    self.wfile.write(chunk)
                    count(path, "bytes", len(chunk))
            except (BrokenPipeError, ConnectionResetError):
                pass
            count(path, "200")
            return
        if ARGS.token and path.endswith("index.json"):
            if self.headers.get("Authorization") != "Bearer " + ARGS.token:
                count(path, "401")
                return self.answer(401, b"token needed\n")
        file = os.path.join(ARGS.root, urllib.parse.unquote(path).lstrip("/"))
        if not os.path.realpath(file).startswith(os.path.realpath(ARGS.root)) or \
                not os.path.isfile(file):
            count(path, "404")
            return self.answer(404, b"not found\n")
        with open(file, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        if self.headers.get("If-None-Match") == etag:
            count(path, "304")
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        count(path, "200")
        count(path, "bytes", len(body))
        self.answer(200, body, {"ETag": etag, "Content-Type": "application/octet-stream"})


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--token")
    ARGS = p.parse_args()
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
