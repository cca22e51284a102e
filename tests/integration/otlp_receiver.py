# tests/integration/otlp_receiver.py - a small OTLP/HTTP receiver for the tracing test:
# `python3 otlp_receiver.py PORTFILE OUTFILE` accepts POST /v1/traces with Content-Type
# application/json, checks that the body is an OTLP/JSON ExportTraceServiceRequest
# (resourceSpans[].scopeSpans[].spans[] with hex ids, decimal-string times, a kind and a
# status), appends each span to OUTFILE as one JSON line (with the resource's service.name)
# and answers 200 {}; anything else gets 400 with the reason, also logged to OUTFILE.err.
# `... PORTFILE OUTFILE FAILS [STATUS]`: the first FAILS requests are answered with STATUS
# (default 503) without being looked at. Each request's answer is appended to
# OUTFILE.requests, one status a line.
import http.server
import json
import loopback
import re
import sys
import threading

HEX32 = re.compile(r"^[0-9a-f]{32}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
lock = threading.Lock()
FAILS = int(sys.argv[3]) if len(sys.argv) > 3 else 0
FAIL_STATUS = int(sys.argv[4]) if len(sys.argv) > 4 else 503
requests = 0


def check_span(s):
    if not HEX32.match(s.get("traceId", "")):
        return "traceId is not 32 lowercase hex digits"
    if not HEX16.match(s.get("spanId", "")):
        return "spanId is not 16 lowercase hex digits"
    if "parentSpanId" in s and not HEX16.match(s["parentSpanId"]):
        return "parentSpanId is not 16 lowercase hex digits"
    for k in ("startTimeUnixNano", "endTimeUnixNano"):
        if not isinstance(s.get(k), str) or not s[k].isdigit():
            return k + " is not a decimal string"
    if int(s["endTimeUnixNano"]) < int(s["startTimeUnixNano"]):
        return "the span ends before it starts"
    if s.get("kind") not in (1, 2, 3, 4, 5):
        return "kind is not 1..5"
    if not isinstance(s.get("name"), str) or not s["name"]:
        return "no name"
    if s.get("status", {}).get("code") not in (0, 1, 2):
        return "status.code is not 0..2"
    for a in s.get("attributes", []):
        v = a.get("value", {})
        if not isinstance(a.get("key"), str) or len(v) != 1 or not (
                isinstance(v.get("stringValue"), str) or isinstance(v.get("intValue"), str)):
            return "a malformed attribute: " + json.dumps(a)
    return None


def spans_of(body):
    out = []
    for rs in body["resourceSpans"]:
        service = [a["value"]["stringValue"] for a in rs["resource"]["attributes"]
                   if a["key"] == "service.name"]
        for ss in rs["scopeSpans"]:
            for s in ss["spans"]:
                why = check_span(s)
                if why:
                    raise ValueError(why)
                s["service"] = service[0] if service else None
                out.append(s)
    return out


def answered(status):
    with open(sys.argv[2] + ".requests", "a") as f:
        f.write("%d\n" % status)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global requests
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            requests += 1
            failing = requests <= FAILS
            if failing:
                answered(FAIL_STATUS)
        if failing:
            self.send_response(FAIL_STATUS)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            if self.path != "/v1/traces":
                raise ValueError("path " + self.path)
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                raise ValueError("content type " + str(self.headers.get("Content-Type")))
            spans = spans_of(json.loads(body))
        except (ValueError, KeyError, TypeError) as e:
            with lock, open(sys.argv[2] + ".err", "a") as f:
                f.write(str(e) + "\n")
                answered(400)
            self.send_response(400)
            self.end_headers()
            return
        with lock, open(sys.argv[2], "a") as f:
            for s in spans:
                s["requestHeaders"] = {k.lower(): v for k, v in self.headers.items()}
                f.write(json.dumps(s) + "\n")
            answered(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


loopback.serve(Handler, sys.argv[1])
