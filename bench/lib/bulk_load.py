#!/usr/bin/env python3
"""Load generator for `POST /api/leads/bulk` (Python 3 stdlib only).

usage: bulk_load.py --url http://127.0.0.1:PORT --key KEY --leads-file leads.json
                    [--source NAME] [--batch 1000] [--clients 4]
                    [--warmup-source NAME] [--warmup-leads 10] [--out summary.json]

The leads file is gen_leads.py's JSON (`{"leads": [...]}`). Every request body is serialized
before the clock starts, so the client only writes prepared bytes and reads answers while it
is being timed. Each client thread holds one keep-alive `http.client` connection; requests are
handed out from a shared counter, so a slow request does not leave a client idle.

Warm-up (not timed): each connection first sends one small request to `--warmup-source` (a
different source, so its leads cannot make timed leads duplicates); then all clients start
together. The timed window ends when the last answer has been read.

Checks (any failure exits 1 with the reason): every answer is 202 with a JSON body whose
accepted + duplicates + rejected equals the batch size and has one result per item, and the
totals add up to the number of leads sent. The summary (JSON) goes to --out or stdout.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


class LoadError(Exception):
    pass


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


class Client:
    def __init__(self, host, port, key, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {
            "Authorization": "Bearer " + key,
            "Content-Type": "application/json",
            "Connection": "keep-alive",
        }
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.reconnects = 0

    def post(self, path, body):
        """One POST on the kept-alive connection; returns (status, headers, body bytes)."""
        self.conn.request("POST", path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.getheader("Connection", "").lower() == "close" or response.will_close:
            # The server chose to close; open a new connection for the next request (counted).
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.reconnects += 1
        return response.status, response.getheaders(), data

    def close(self):
        self.conn.close()


def check_answer(status, headers, data, expected_items, what):
    """Parses a bulk answer and checks it; returns (accepted, duplicates, rejected, rejected_examples)."""
    if status != 202:
        hint = ""
        if status == 429:
            hint = " (rate limited: create the benchmark key with a higher --requests-per-minute)"
        raise LoadError("%s: HTTP %d, expected 202%s; body: %s" % (what, status, hint, data[:500].decode("utf-8", "replace")))
    try:
        answer = json.loads(data)
    except ValueError as error:
        raise LoadError("%s: answer is not JSON (%s): %r" % (what, error, data[:200]))
    try:
        accepted, duplicates, rejected = int(answer["accepted"]), int(answer["duplicates"]), int(answer["rejected"])
        results = answer["results"]
    except (KeyError, TypeError, ValueError):
        raise LoadError("%s: answer lacks accepted/duplicates/rejected/results: %r" % (what, data[:300]))
    if accepted + duplicates + rejected != expected_items:
        raise LoadError("%s: accepted %d + duplicates %d + rejected %d != %d leads sent"
                        % (what, accepted, duplicates, rejected, expected_items))
    if len(results) != expected_items:
        raise LoadError("%s: %d results for %d leads sent" % (what, len(results), expected_items))
    examples = [r for r in results if r.get("status") == "rejected"][:3] if rejected else []
    return accepted, duplicates, rejected, examples


def run(url, key, leads, source, batch, clients, warmup_source, warmup_leads, timeout=300.0, log=sys.stderr):
    parsed = urllib.parse.urlsplit(url)
    host, port = parsed.hostname, parsed.port or 80
    path = "/api/leads/bulk"
    if source:
        path += "?source=" + urllib.parse.quote(source, safe="")

    # Serialize every body before timing.
    prepared = time.perf_counter()
    bodies = []
    for start in range(0, len(leads), batch):
        chunk = leads[start:start + batch]
        bodies.append((len(chunk), json.dumps({"leads": chunk}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")))
    body_bytes = sum(len(b) for _, b in bodies)
    print("bulk_load: %d leads in %d requests of <= %d (%.1f MB of JSON, serialized in %.1f s), %d clients"
          % (len(leads), len(bodies), batch, body_bytes / 1e6, time.perf_counter() - prepared, clients), file=log)

    connections = [Client(host, port, key, timeout) for _ in range(clients)]

    # Warm-up: one small request per connection (opens the keep-alive connections, warms the
    # server's caches and connection pool); not timed, different source.
    if warmup_leads > 0:
        warm_path = "/api/leads/bulk"
        if warmup_source:
            warm_path += "?source=" + urllib.parse.quote(warmup_source, safe="")
        for i, client in enumerate(connections):
            chunk = leads[i * warmup_leads:(i + 1) * warmup_leads] or leads[:warmup_leads]
            body = json.dumps({"leads": chunk}, ensure_ascii=False).encode("utf-8")
            status, headers, data = client.post(warm_path, body)
            check_answer(status, headers, data, len(chunk), "warm-up request %d" % (i + 1))
        print("bulk_load: warm-up done (%d x %d leads to source %r, not timed)"
              % (len(connections), warmup_leads, warmup_source), file=log)

    lock = threading.Lock()
    next_index = [0]
    stop = threading.Event()
    failures = []
    latencies = []
    totals = {"accepted": 0, "duplicates": 0, "rejected": 0, "requests": 0, "leads": 0}
    rejected_examples = []
    start_barrier = threading.Barrier(clients + 1)

    def worker(client):
        start_barrier.wait()
        while not stop.is_set():
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= len(bodies):
                return
            count, body = bodies[index]
            began = time.perf_counter()
            try:
                status, headers, data = client.post(path, body)
                accepted, duplicates, rejected, examples = check_answer(status, headers, data, count, "request %d" % (index + 1))
            except (LoadError, OSError, http.client.HTTPException) as error:
                with lock:
                    failures.append(str(error) if isinstance(error, LoadError) else "%s: %s" % (type(error).__name__, error))
                stop.set()
                return
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                totals["accepted"] += accepted
                totals["duplicates"] += duplicates
                totals["rejected"] += rejected
                totals["requests"] += 1
                totals["leads"] += count
                if examples and len(rejected_examples) < 5:
                    rejected_examples.extend(examples[: 5 - len(rejected_examples)])

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in connections]
    for t in threads:
        t.start()
    start_barrier.wait()
    start_epoch = time.time()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    end_epoch = time.time()
    reconnects = sum(c.reconnects for c in connections)
    for c in connections:
        c.close()

    if failures:
        raise LoadError("; ".join(failures[:3]))
    sent = len(leads)
    if totals["leads"] != sent or totals["requests"] != len(bodies):
        raise LoadError("only %d of %d leads (%d of %d requests) were answered"
                        % (totals["leads"], sent, totals["requests"], len(bodies)))
    if totals["accepted"] + totals["duplicates"] + totals["rejected"] != sent:
        raise LoadError("accepted %(accepted)d + duplicates %(duplicates)d + rejected %(rejected)d" % totals
                        + " != %d leads sent" % sent)
    latencies.sort()
    return {
        "leads": sent,
        "requests": len(bodies),
        "batch": batch,
        "clients": clients,
        "request_bytes": body_bytes,
        "accepted": totals["accepted"],
        "duplicates": totals["duplicates"],
        "rejected": totals["rejected"],
        "rejected_examples": rejected_examples,
        "elapsed_s": elapsed,
        "start_epoch": start_epoch,
        "end_epoch": end_epoch,
        "leads_per_s": sent / elapsed,
        "accepted_per_s": totals["accepted"] / elapsed,
        "reconnects": reconnects,
        "latency_ms": {
            "p50": percentile(latencies, 0.50) * 1000,
            "p95": percentile(latencies, 0.95) * 1000,
            "p99": percentile(latencies, 0.99) * 1000,
            "max": latencies[-1] * 1000,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--key", required=True, help="API key (Bearer)")
    ap.add_argument("--leads-file", required=True, help="gen_leads.py --format json output")
    ap.add_argument("--source", help="source name or id (default: the tenant's API source)")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--warmup-source", help="source for the untimed warm-up requests")
    ap.add_argument("--warmup-leads", type=int, default=10, help="leads per warm-up request (0: no warm-up)")
    ap.add_argument("--limit", type=int, help="send only the first N leads of the file")
    ap.add_argument("--out", help="write the JSON summary here (default: stdout)")
    a = ap.parse_args()
    if a.batch < 1 or a.clients < 1:
        ap.error("--batch and --clients must be positive")
    with open(a.leads_file, encoding="utf-8") as f:
        document = json.load(f)
    leads = document["leads"] if isinstance(document, dict) else document
    if a.limit is not None:
        leads = leads[: a.limit]
    if not leads:
        ap.error("no leads in %s" % a.leads_file)
    try:
        summary = run(a.url, a.key, leads, a.source, a.batch, a.clients, a.warmup_source, a.warmup_leads)
    except LoadError as error:
        print("bulk_load: FAILED: %s" % error, file=sys.stderr)
        sys.exit(1)
    text = json.dumps(summary, indent=2)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    print("bulk_load: %d leads in %.2f s = %.0f leads/s (accepted %d, duplicates %d, rejected %d; p50 %.0f ms, p95 %.0f ms)"
          % (summary["leads"], summary["elapsed_s"], summary["leads_per_s"], summary["accepted"], summary["duplicates"],
             summary["rejected"], summary["latency_ms"]["p50"], summary["latency_ms"]["p95"]), file=sys.stderr)


if __name__ == "__main__":
    main()
