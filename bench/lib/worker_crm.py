#!/usr/bin/env python3
"""The "CRM" of `bench/worker`'s end-to-end phase (Python 3 stdlib only).

  worker_crm.py --port P

POST (any path): notes the wall-clock arrival time (time.time(), taken as soon as the request
line and headers are parsed, before the body is read) under the lead's email from the JSON body,
answers 200 {"id": "crm-<n>"} (HTTP/1.1 keep-alive, like a real CRM).
GET /dump: {"arrivals": {email: arrival}, "duplicates": n, "sample": <first body received>}.
"""
import argparse
import os
import sys
import threading
import time
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import KeepAliveHandler  # noqa: E402

arrivals = {}
state = {"duplicates": 0, "sample": None, "count": 0}
lock = threading.Lock()


class Handler(KeepAliveHandler):
    def do_POST(self):
        arrived = time.time()
        body, doc = self.read_json()
        email = (doc.get("email") or "") if isinstance(doc, dict) else ""
        with lock:
            state["count"] += 1
            n = state["count"]
            if email in arrivals:
                state["duplicates"] += 1
            else:
                arrivals[email] = arrived
            if state["sample"] is None:
                state["sample"] = {"path": self.path, "headers": {k: v for k, v in self.headers.items() if k.lower() != "authorization"},
                                   "body": body.decode("utf-8", "replace")}
        self.answer_json(200, {"id": "crm-%d" % n})

    def do_GET(self):
        if self.path != "/dump":
            self.answer_json(404, {"error": "not found"})
            return
        with lock:
            payload = {"arrivals": dict(arrivals), "duplicates": state["duplicates"], "sample": state["sample"]}
        self.answer_json(200, payload)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
