"""Open-loop latency at a fixed request rate: N keep-alive threads send on a fixed schedule and
latency is measured from each request's scheduled time (so a server falling behind shows up as
latency, not as a lower rate: no coordinated omission).

N is BENCH_HOOK_CONNECTIONS (default 64). Each thread has one request in flight, so N caps the
rate at N / latency: with 8 threads a server answering in 8 ms could never be offered more
than 1,000/s, and the generator's lag was reported as the server's latency.

    webhook_load.py URL RATE SECONDS [--body-template FILE] [--content-type T]
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def run(url, rate, seconds, body_for=None, content_type="application/json", threads=None):
    threads = threads or int(os.environ.get("BENCH_HOOK_CONNECTIONS", "64"))
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + ("?" + parsed.query if parsed.query else "")
    total = int(rate * seconds)
    latencies, statuses, errors = [], {}, []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def worker(index):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine, seen = [], {}
        for n in range(index, total, threads):
            scheduled = start + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                if body_for is None:
                    connection.request("GET", path)
                else:
                    connection.request("POST", path, body=body_for(n), headers={"Content-Type": content_type})
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - scheduled)
                seen[response.status] = seen.get(response.status, 0) + 1
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                with lock:
                    errors.append(str(error))
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100.0 * len(latencies)))] * 1000 if latencies else float("nan")

    return {"requests": total, "completed": len(latencies), "errors": len(errors), "statuses": statuses,
            "rate_target": rate, "rate_achieved": len(latencies) / elapsed if elapsed > 0 else 0,
            "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": latencies[-1] * 1000 if latencies else float("nan")}


def zapier_body(n):
    return json.dumps({"full_name": "Hook Lead %d" % n, "email": "hook%d@example.com" % n,
                       "phone_number": "+1201555%04d" % (n % 10000), "ad_name": "Spring Promo", "zip_code": "55344"}).encode()


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    print(json.dumps(run(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), zapier_body), indent=2))
