#!/usr/bin/env python3
"""The CRM stand-in of scripts/chaos (Python 3 stdlib only): one loopback HTTP/1.1 keep-alive
server whose paths behave as the plan says, recording every request it receives.

  crm.py --port P --plan plan.json

plan.json: {"paths": {"/path": {"mode": MODE, ...}, ...}}; a path not in the plan answers 200.
Modes (a fault with `for_s` is on until `for_s` seconds after GET /arm — before that, always on —
or until the Unix time `until`; afterwards the path answers 200):
  ok                        200 {"id": "crm-<n>"}
  fail        for_s, status  `status` (default 500) with a JSON error
  hang        for_s, seconds never answers within `seconds` (then closes without an answer)
  r429        retry_after, first   the first `first` requests of each lead get 429: even lead ids
                            with `Retry-After: <retry_after>`, odd ones with GoHighLevel's headers
                            (`X-RateLimit-Remaining: 0`, `X-RateLimit-Interval-Milliseconds`)
  cloudflare  for_s         403 with `cf-mitigated: challenge`, `cf-ray`, `Server: cloudflare` and
                            the "Just a moment..." HTML page

GET /records: one line per request, `<arrival epoch> <path> <lead id or -> <status answered>`
(status 0: hung up without answering); the arrival is taken when the request head is parsed.
GET /arm: starts the `for_s` clocks now; answers {"armed": epoch}. GET /stats: {"requests": n}.
The lead id is the body's `lead_id` (LeadRelay's http preset sends it).
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
from harness import KeepAliveHandler  # noqa: E402

CHALLENGE = (b"<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body>"
             b"<div id=\"challenge-platform\">Checking your browser before accessing the site.</div>"
             b"<script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\"></script></body></html>")

plan = {}
armed = [None]
records = []
tries = {}
lock = threading.Lock()


def fault_end(rule):
    if "until" in rule:
        return rule["until"]
    return float("inf") if armed[0] is None else armed[0] + float(rule.get("for_s", 0))


class Handler(KeepAliveHandler):
    def do_POST(self):
        arrived = time.time()
        _, doc = self.read_json()
        try:
            lead = int(doc.get("lead_id"))
        except (ValueError, TypeError, AttributeError):
            lead = None
        path = self.path.split("?")[0]
        rule = plan.get(path, {"mode": "ok"})
        mode = rule.get("mode", "ok")
        if mode not in ("ok", "r429") and arrived >= fault_end(rule):
            mode = "ok"
        with lock:
            n = len(records) + 1
            seen = tries.get((path, lead), 0)
            tries[(path, lead)] = seen + 1
        status, headers, data = 200, {"Content-Type": "application/json"}, None
        if mode == "fail":
            status = int(rule.get("status", 500))
            data = json.dumps({"error": "simulated outage"}).encode()
        elif mode == "hang":
            self.note(arrived, path, lead, 0)
            time.sleep(float(rule.get("seconds", 30)))
            self.close_connection = True
            return
        elif mode == "r429" and seen < int(rule.get("first", 1)):
            status = 429
            data = json.dumps({"message": "Too many requests"}).encode()
            if lead is not None and lead % 2 == 1:
                headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Max": "100",
                                "X-RateLimit-Interval-Milliseconds": str(int(1000 * float(rule.get("retry_after", 20))))})
            else:
                headers["Retry-After"] = str(int(rule.get("retry_after", 20)))
        elif mode == "cloudflare":
            status, data = 403, CHALLENGE
            headers = {"Content-Type": "text/html; charset=UTF-8", "cf-mitigated": "challenge", "cf-ray": "8f00chaos-AMS",
                       "Server": "cloudflare"}
        if data is None:
            data = json.dumps({"id": "crm-%d" % n}).encode()
        self.note(arrived, path, lead, status)
        self.answer(status, headers, data)

    def note(self, arrived, path, lead, status):
        with lock:
            records.append((arrived, path, lead, status))

    def do_GET(self):
        if self.path == "/records":
            with lock:
                snapshot = list(records)
            text = "".join("%.6f %s %s %d\n" % (t, p, "-" if lead is None else lead, s) for t, p, lead, s in snapshot)
            self.answer(200, {"Content-Type": "text/plain"}, text.encode())
        elif self.path == "/arm":
            with lock:
                armed[0] = armed[0] or time.time()
            self.answer_json(200, {"armed": armed[0]})
        elif self.path == "/stats":
            with lock:
                n = len(records)
            self.answer_json(200, {"requests": n})
        else:
            self.answer_json(404, {"error": "not found"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--plan", required=True)
    args = parser.parse_args()
    with open(args.plan) as f:
        plan.update(json.load(f).get("paths", {}))
    server = Server(("127.0.0.1", args.port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
