#!/usr/bin/env python3
"""The baseline of `bench/worker`: "the stack LeadRelay replaces" — one Python RQ worker doing the
same job per lead as the LeadRelay Worker: take a job, POST the lead as JSON to the destination
with `requests` (one keep-alive Session, trust_env off), then write the attempt row and the delivery's new state
to PostgreSQL with `psycopg2` (one connection: INSERT delivery_attempts + UPDATE deliveries +
COMMIT, per job).

  worker_rq_baseline.py --redis-port P --queue Q --mode simple|spawn enqueue --jobs JOBS.jsonl
  worker_rq_baseline.py --redis-port P --queue Q --mode simple|spawn work --dsn DSN --url URL --expect N --out OUT.json

`enqueue` puts one job per line of JOBS.jsonl ({"delivery_id", "lead"}: the lead travels in the
job, as RQ apps usually pass it; the job does not read it back from PostgreSQL) — untimed.
`work` runs the worker in burst mode (it exits when the queue is empty) and writes the time spent
in the work loop (interpreter start-up and imports excluded) to OUT.json.

--mode simple (default) uses rq.SimpleWorker: jobs run in the worker process, so the Session and
the PostgreSQL connection are reused by every job — the most favourable set-up for RQ. --mode
spawn uses rq.Worker, RQ's default, which starts a fresh work horse per job (and so a new
connection per job).

Fallback: when rq / requests / psycopg2 cannot be imported (pip could not reach a package
index), the same loop is run with the standard library only — jobs are JSON strings in a Redis
list popped with LPOP over a minimal RESP client (what RQ does underneath: one LPOP per job, plus
its own bookkeeping, which the fallback does not have, so it flatters the baseline), HTTP with a
keep-alive http.client connection, and PostgreSQL through ONE long-running `psql` process fed
the same INSERT + UPDATE + COMMIT per job. The output names which implementation ran.
"""
import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import time

try:
    import psycopg2
    import requests
    import rq
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker
    HAVE_RQ = True
except ImportError:
    HAVE_RQ = False

ATTEMPT_SQL = """INSERT INTO delivery_attempts (delivery_id, attempt, worker_id, started_at, duration_ms, outcome,
                                               http_status, error_message, response_excerpt)
                 VALUES (%s, 1, %s, %s, %s, %s, %s, %s, %s)"""
DELIVERY_SQL = """UPDATE deliveries SET status = %s, attempts = attempts + 1, external_id = %s, last_http_status = %s,
                      last_error = %s, claimed_by = NULL, claimed_at = NULL, updated_at = now(),
                      finished_at = CASE WHEN %s = 'succeeded' THEN now() END
                  WHERE id = %s"""


def request_body(lead):
    """The JSON the LeadRelay `http` destination sends for the same lead (its default field map)."""
    body = {}
    for field in ("email", "first_name", "last_name", "phone", "postal_code", "source", "received_at"):
        if lead.get(field):
            body[field] = lead[field]
    names = " ".join(x for x in (lead.get("first_name"), lead.get("last_name")) if x)
    if names:
        body["full_name"] = names
    body["lead_id"] = lead["id"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def classify(status):
    if 200 <= status < 300:
        return "succeeded", "succeeded"
    if status >= 500 or status in (401, 403, 408, 429):
        return "retryable", "retrying"
    return "permanent", "dead"


# --- the RQ job -----------------------------------------------------------------------------------

_session = None
_connection = None


def deliver(delivery_id, lead):
    """The RQ job: POST the lead, record the attempt and the outcome, commit."""
    global _session, _connection
    if _session is None:
        _session = requests.Session()
        # Generous to the baseline: no proxy / .netrc lookup in the environment on every request
        # (requests scans all of os.environ per call otherwise; ~10% of the job's time here).
        _session.trust_env = False
    if _connection is None:
        _connection = psycopg2.connect(os.environ["BENCH_RQ_DSN"])
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    status, excerpt, external_id, error = None, None, None, None
    try:
        response = _session.post(os.environ["BENCH_RQ_URL"], data=request_body(lead),
                                 headers={"Content-Type": "application/json", "Accept": "application/json"}, timeout=10)
        status = response.status_code
        excerpt = response.text[:1024]
        outcome, state = classify(status)
        if outcome == "succeeded":
            try:
                external_id = str(response.json().get("id"))
            except ValueError:
                pass
        else:
            error = "HTTP %d" % status
    except requests.RequestException as exc:
        outcome, state, error = "retryable", "retrying", str(exc)[:1000]
    duration = int((time.perf_counter() - clock) * 1000)
    with _connection.cursor() as cursor:
        cursor.execute(ATTEMPT_SQL, (delivery_id, "rq-%d" % os.getpid(), started, duration, outcome, status, error, excerpt))
        cursor.execute(DELIVERY_SQL, (state, external_id, status, error, state, delivery_id))
    _connection.commit()
    if outcome != "succeeded":
        raise RuntimeError("delivery %d: %s" % (delivery_id, error))


# --- stdlib fallback ------------------------------------------------------------------------------


class RESP:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb")

    def send(self, *commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))
        return [self.read() for _ in commands]

    def read(self):
        line = self.reader.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.reader.read(n + 2)[:-2]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        return rest


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


class PsqlSession:
    """One long-running psql; run() sends a script and waits for its marker line."""

    def __init__(self, dsn):
        self.proc = subprocess.Popen(["stdbuf", "-oL", "psql", dsn, "-qtAX", "-v", "ON_ERROR_STOP=1"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(self, script):
        self.proc.stdin.write(script + "\n\\echo __done__\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("psql exited")
            if line.strip() == "__done__":
                return


def fallback_work(args):
    import http.client
    import urllib.parse
    url = urllib.parse.urlsplit(args.url)
    redis = RESP(args.redis_port)
    db = PsqlSession(args.dsn)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    key = args.queue + ":fallback"
    worker_id = "fallback-%d" % os.getpid()
    done = failed = 0
    t0 = time.perf_counter()
    while True:
        (raw,) = redis.send(("LPOP", key))
        if raw is None:
            break
        job = json.loads(raw)
        started = datetime.datetime.now(datetime.timezone.utc).isoformat()
        clock = time.perf_counter()
        conn.request("POST", url.path or "/", body=request_body(job["lead"]).encode(),
                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        outcome, state = classify(response.status)
        external_id = json.loads(text).get("id") if outcome == "succeeded" else None
        duration = int((time.perf_counter() - clock) * 1000)
        error = None if outcome == "succeeded" else "HTTP %d" % response.status
        values = (job["delivery_id"], worker_id, started, duration, outcome, response.status, error, text[:1024])
        db.run("BEGIN;\n" + (ATTEMPT_SQL % tuple(sql_literal(v) for v in values)) + ";\n"
               + (DELIVERY_SQL % tuple(sql_literal(v) for v in (state, external_id, response.status, error, state, job["delivery_id"])))
               + ";\nCOMMIT;")
        done += 1
        failed += outcome != "succeeded"
    seconds = time.perf_counter() - t0
    return {"implementation": "stdlib fallback loop (LPOP + http.client + one psql process)", "seconds": seconds,
            "jobs": done, "failed": failed, "versions": {"python": sys.version.split()[0]}}


# --- commands -------------------------------------------------------------------------------------


def enqueue(args):
    with open(args.jobs) as f:
        jobs = [json.loads(line) for line in f if line.strip()]
    t0 = time.perf_counter()
    if HAVE_RQ:
        redis = Redis(port=args.redis_port)
        queue = Queue(args.queue, connection=redis)
        queue.empty()
        for start in range(0, len(jobs), 1000):
            with redis.pipeline() as pipe:
                queue.enqueue_many([Queue.prepare_data("worker_rq_baseline.deliver", args=(j["delivery_id"], j["lead"]))
                                    for j in jobs[start:start + 1000]], pipeline=pipe)
                pipe.execute()
        count = queue.count
        implementation = "rq.%s" % ("SimpleWorker" if args.mode == "simple" else "Worker")
    else:
        redis = RESP(args.redis_port)
        key = args.queue + ":fallback"
        redis.send(("DEL", key))
        for start in range(0, len(jobs), 1000):
            redis.send(*[("RPUSH", key, json.dumps(j)) for j in jobs[start:start + 1000]])
        count = int(redis.send(("LLEN", key))[0])
        implementation = "stdlib fallback loop"
    if count != len(jobs):
        raise SystemExit("enqueued %d jobs, queue holds %d" % (len(jobs), count))
    print(json.dumps({"jobs": count, "seconds": round(time.perf_counter() - t0, 3), "implementation": implementation}))


def work(args):
    os.environ["BENCH_RQ_DSN"] = args.dsn
    os.environ["BENCH_RQ_URL"] = args.url
    # rq's default Worker starts each work horse with `python -c …`: it must find this module.
    here = os.path.dirname(os.path.abspath(__file__))
    os.environ["PYTHONPATH"] = here + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    if here not in sys.path:
        sys.path.insert(0, here)
    if not HAVE_RQ:
        result = fallback_work(args)
    else:
        redis = Redis(port=args.redis_port)
        queue = Queue(args.queue, connection=redis)
        worker_class = SimpleWorker if args.mode == "simple" else Worker
        worker = worker_class([queue], connection=redis)
        t0 = time.perf_counter()
        # Per-job INFO lines go to the log in a real deployment; here they would only measure the terminal.
        if os.environ.get("BENCH_RQ_CPROFILE"):
            # Diagnostics: where the RQ worker's time goes (cumulative), written next to OUT.json.
            import cProfile
            import pstats
            profiler = cProfile.Profile()
            profiler.runcall(worker.work, burst=True, logging_level="WARNING")
            with open(os.environ["BENCH_RQ_CPROFILE"], "w") as f:
                pstats.Stats(profiler, stream=f).sort_stats("cumulative").print_stats(60)
        else:
            worker.work(burst=True, logging_level="WARNING")
        seconds = time.perf_counter() - t0
        result = {"implementation": "rq.%s (%s) + requests.Session + psycopg2, one commit per job" % (worker_class.__name__, args.mode),
                  "seconds": seconds, "failed": queue.failed_job_registry.count, "left": queue.count,
                  "versions": {"rq": rq.__version__ if hasattr(rq, "__version__") else rq.VERSION,
                               "requests": requests.__version__, "psycopg2": psycopg2.__version__.split()[0],
                               "python": sys.version.split()[0]}}
        if result["left"]:
            raise SystemExit("%d jobs left in the queue" % result["left"])
    times = os.times()
    # CPU of this process and its reaped work horses (spawn mode), start-up included.
    result["cpu_s"] = times.user + times.system + times.children_user + times.children_system
    if result.get("failed"):
        raise SystemExit("%d jobs failed" % result["failed"])
    with open(args.out, "w") as f:
        json.dump(result, f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--mode", choices=("simple", "spawn"), default="simple")
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("enqueue")
    e.add_argument("--jobs", required=True)
    w = sub.add_parser("work")
    w.add_argument("--dsn", required=True)
    w.add_argument("--url", required=True)
    w.add_argument("--expect", type=int, required=True)
    w.add_argument("--out", required=True)
    args = parser.parse_args()
    if os.environ.get("BENCH_RQ_FORCE_FALLBACK") == "1":
        global HAVE_RQ
        HAVE_RQ = False
    enqueue(args) if args.command == "enqueue" else work(args)


if __name__ == "__main__":
    main()
