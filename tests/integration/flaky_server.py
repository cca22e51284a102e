# tests/integration/flaky_server.py - a local HTTP server for the circuit breaker and trace
# tests: `python3 flaky_server.py PORTFILE LOGFILE FAILS` answers the first FAILS requests
# with 503 and the rest with 200 {"n": N}; every request is appended to LOGFILE as one JSON
# line {n, method, path, headers (lower-cased names)}. The port (ephemeral, loopback) is
# written to PORTFILE once it listens.
import http.server
import json
import loopback
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    lock = threading.Lock()
    count = 0

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with Handler.lock:
            Handler.count += 1
            n = Handler.count
            with open(sys.argv[2], "a") as log:
                log.write(json.dumps({"n": n, "method": self.command, "path": self.path,
                                      "headers": {k.lower(): v for k, v in self.headers.items()}})
                          + "\n")
        failing = n <= int(sys.argv[3])
        body = json.dumps({"n": n}).encode()
        self.send_response(503 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


loopback.serve(Handler, sys.argv[1])
