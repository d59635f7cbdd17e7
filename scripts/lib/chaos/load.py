"""A steady load on `POST /api/leads/bulk` that keeps every answer (Python 3 stdlib only).

bench/lib/bulk_load.py sends a fixed data set as fast as it can and stops at the first non-202;
the fault scenarios need the opposite: a paced, open-ended stream of small batches that goes on
through outages, with each answer's status, `Retry-After`, and the lead ids of every item the API
said it took. Connections and answer checks are bulk_load's (Client, check_answer).
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
import bulk_load  # noqa: E402


def lead(tag, i):
    """A distinct lead (its own email, so its own dedup key)."""
    return {"first_name": "Chaos", "last_name": "Lead %d" % i, "email": "%s-%d@chaos.example" % (tag, i),
            "phone": "+1201555%04d" % (i % 10000), "postal_code": "07030"}


class SteadyLoader:
    """`clients` threads, each sending `batch`-lead requests on its own schedule so that together
    they offer `rate` leads/s (a request that takes longer delays only its own client). Every
    request is kept in `self.requests`: {t, status, ms, retry_after, error, emails, accepted, key}."""

    def __init__(self, url, key, tag, rate, batch=50, clients=4, timeout=30.0, limit=None):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.key = parsed.hostname, parsed.port, key
        self.tag, self.rate, self.batch, self.clients, self.timeout = tag, float(rate), batch, clients, timeout
        self.limit = limit  # stop after this many leads
        self.requests = []
        self.lock = threading.Lock()
        self.next_lead = 0
        self.stop_event = threading.Event()
        self.threads = []

    def start(self):
        interval = self.batch * self.clients / self.rate
        t0 = time.time()
        for c in range(self.clients):
            thread = threading.Thread(target=self.run, args=(t0 + c * interval / self.clients, interval), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def stop(self, timeout=120):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout)
        return self

    def done(self):
        return all(not t.is_alive() for t in self.threads)

    def take(self):
        with self.lock:
            if self.limit is not None and self.next_lead >= self.limit:
                return None
            first = self.next_lead
            count = self.batch if self.limit is None else min(self.batch, self.limit - first)
            self.next_lead += count
        return [lead(self.tag, i) for i in range(first, first + count)]

    def client(self):
        return bulk_load.Client(self.host, self.port, self.key, self.timeout)

    def run(self, due, interval):
        client = self.client()
        while not self.stop_event.is_set():
            delay = due - time.time()
            if delay > 0 and self.stop_event.wait(delay):
                break
            due += interval
            leads = self.take()
            if leads is None:
                break
            record = self.send(client, leads, str(uuid.uuid4()))
            if record["error"]:
                client.close()
                client = self.client()
            with self.lock:
                self.requests.append(record)
        client.close()

    def send(self, client, leads, key):
        """One request; the record of what happened."""
        body = json.dumps({"leads": leads}, separators=(",", ":")).encode()
        record = {"t": time.time(), "status": None, "ms": None, "retry_after": None, "error": None, "key": key,
                  "emails": [x["email"] for x in leads], "accepted": [], "body": body}
        client.headers["Idempotency-Key"] = key
        began = time.perf_counter()
        try:
            status, headers, data = client.post("/api/leads/bulk", body)
        except (OSError, http.client.HTTPException) as error:
            record["error"] = "%s: %s" % (type(error).__name__, error)
            return record
        record["ms"] = round(1000 * (time.perf_counter() - began), 1)
        record["status"] = status
        record["retry_after"] = dict((k.lower(), v) for k, v in headers).get("retry-after")
        if status == 202:
            try:
                bulk_load.check_answer(status, headers, data, len(leads), "bulk request")
                results = json.loads(data)["results"]
                record["accepted"] = [(leads[r["index"]]["email"], r.get("lead_id"), r["status"]) for r in results
                                      if r.get("status") in ("accepted", "duplicate")]
            except (bulk_load.LoadError, ValueError, KeyError, TypeError) as error:
                record["error"] = "bad 202 answer: %s" % error
        return record

    def resend_failed(self, attempts=3, pause=2.0):
        """Sends the requests that got no 202 again, with the same body and Idempotency-Key, the way a
        client honouring 503 + Retry-After would; returns their new records."""
        again = []
        pending = [r for r in self.requests if r["status"] != 202]
        client = self.client()
        for _ in range(attempts):
            still = []
            for old in pending:
                leads = json.loads(old["body"])["leads"]
                record = self.send(client, leads, old["key"])
                again.append(record)
                if record["error"]:
                    client.close()
                    client = self.client()
                if record["status"] != 202:
                    still.append(old)
            pending = still
            if not pending:
                break
            time.sleep(pause)
        client.close()
        return again

    def summary(self, records=None):
        records = self.requests if records is None else records
        statuses = {}
        for r in records:
            label = str(r["status"]) if r["status"] is not None else "no answer (%s)" % (r["error"] or "").split(":")[0]
            statuses[label] = statuses.get(label, 0) + 1
        ms = sorted(r["ms"] for r in records if r["ms"] is not None)
        return {"requests": len(records), "leads": sum(len(r["emails"]) for r in records), "statuses": statuses,
                "answer_ms_p50": ms[len(ms) // 2] if ms else None, "answer_ms_max": ms[-1] if ms else None}
