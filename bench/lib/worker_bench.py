#!/usr/bin/env python3
"""The measuring half of `bench/worker` (Python 3 stdlib only). `bench/worker` builds, starts
PostgreSQL, Redis and nginx, creates the tenants/destinations/sources with leadctl and then runs
this file, which reads its context from the BENCH_* variables it exports, runs the phases, prints
the table and writes bench/results/worker-<stamp>.json.

Phases (BENCH_PHASES; each starts from empty leads/deliveries/delivery_attempts tables, a
VACUUM ANALYZE and a CHECKPOINT, and an empty Redis stream):
  drain  BENCH_DELIVERIES leads + `queued` deliveries inserted with SQL, one XADD per delivery
         (done before the clock starts, so the sweeper's 5,000-per-10-s pace is not measured),
         then ONE Worker process is started; timed from its spawn until the stream is empty
         (entries are acknowledged after their result is committed) and every delivery is
         `succeeded` with exactly one attempt row.
  rq     BENCH_RQ_JOBS deliveries of the same kind done by one Python RQ worker
         (worker_rq_baseline.py): pop a job, POST the same JSON to the same nginx with requests,
         INSERT the attempt row + UPDATE the delivery with psycopg2, COMMIT, per job.
  e2e    IngestAPI + one Worker + worker_crm.py (the "CRM"); single leads POSTed to /api/leads at
         BENCH_E2E_RATE/s for BENCH_E2E_SECONDS; latency = CRM arrival - the client's 202.
  rss    BENCH_LONG_DELIVERIES drained by one Worker; VmRSS sampled every second.
"""
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import http.client
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGETS = {"deliveries_per_s": 5000, "rq_ratio": 20, "e2e_p50_ms": 10, "e2e_p99_ms": 50, "rss_change_pct": 10}


env = harness.env_reader("worker_bench", "bench/worker")
say, step = harness.say, harness.step


class PhaseError(Exception):
    pass


WORK = env("BENCH_WORK")
BIN = env("BENCH_BIN")
PIDS_FILE = env("BENCH_PIDS_FILE")
PG_PORT = env("BENCH_PG_PORT")
DB = env("BENCH_DB")
REDIS_PORT = int(env("BENCH_REDIS_PORT"))
PREFIX = env("REDIS_KEY_PREFIX")
STREAM = PREFIX + ":deliveries"


# ---------------------------------------------------------------------------------------------
# PostgreSQL, Redis and child processes (bench/lib/harness.py)

_pg = harness.Psql(PG_PORT, DB, PhaseError)
psql, psql_row = _pg.run, _pg.row
RedisError = harness.RedisError


class Redis(harness.Redis):
    def __init__(self, port=REDIS_PORT):
        super().__init__(port)


_procs = harness.Procs(WORK, PIDS_FILE, PhaseError)
register_pid, unregister_pid, spawn, stop = _procs.register, _procs.unregister, _procs.spawn, _procs.stop
log_tail, wait_http = _procs.log_tail, _procs.wait_http
proc_stat, children, rss_kb, percentile = harness.proc_stat, harness.children, harness.rss_kb, harness.percentile


class WorkerProcess:
    """One Worker process; with `profile`, started under `perf record` (attaching perf to a running
    process records nothing on some virtual machines). `pid` is always the Worker's own."""

    def __init__(self, name, profile=False):
        argv = [os.path.join(BIN, "Worker")]
        self.name = name
        self.perf_data = None
        if profile:
            self.perf_data = os.path.join(env("BENCH_RESULTS"), "worker-%s-perf.data" % env("BENCH_STAMP"))
            graph = ["-g"] if env("BENCH_PROFILE_GRAPH", "0") == "1" else []
            argv = ["perf", "record", "-F", "999"] + graph + ["-o", self.perf_data, "--quiet", "--"] + argv
        self.proc = spawn(name, argv, {"METRICS_PORT": "0"})
        self.pid = self.proc.pid
        if profile:
            deadline = time.time() + 10
            while not children(self.proc.pid):
                if time.time() > deadline or self.proc.poll() is not None:
                    raise PhaseError("perf did not start the Worker:\n%s" % log_tail(name))
                time.sleep(0.01)
            self.pid = children(self.proc.pid)[0]
            register_pid(self.pid)

    def poll(self):
        return self.proc.poll()

    def stop(self):
        if self.perf_data is None:
            return stop(self.proc)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait()
        unregister_pid(self.pid)
        unregister_pid(self.proc.pid)
        return self.proc.returncode


def start_worker(name, profile=False):
    return WorkerProcess(name, profile)


# ---------------------------------------------------------------------------------------------
# CPU and counters


def tree_cpu(pid):
    """CPU seconds used by a process, its live children and its reaped children."""
    st = proc_stat(pid)
    if st is None:
        return 0.0
    ticks = st[1] + st[2]
    for child in children(pid):
        cst = proc_stat(child)
        if cst:
            ticks += cst[1] + cst[2]
    return ticks / CLK_TCK


def machine_busy():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CPUMeter:
    """CPU seconds per component between start() and stop(), plus how busy the machine was."""

    def __init__(self, components):
        self.components = components  # name -> pid (the tree under it is counted)

    def start(self):
        self.t0 = time.time()
        self.base = {name: tree_cpu(pid) for name, pid in self.components.items()}
        self.busy0 = machine_busy()

    def stop(self):
        wall = time.time() - self.t0
        used = {name: round(tree_cpu(pid) - self.base[name], 2) for name, pid in self.components.items()}
        busy1 = machine_busy()
        total = busy1[1] - self.busy0[1]
        busy = (busy1[0] - self.busy0[0]) / total if total else 0.0
        return {"wall_s": round(wall, 3), "cpu_s": used,
                "machine_busy_pct": round(100 * busy, 1), "cores": os.cpu_count()}


# Linux keeps 15 characters of a thread's name.
THREAD_NAMES = {
    "oot.default-qos": "Swift concurrency pool", "-qos.overcommit": "Swift concurrency (overcommit)",
    "NIO-SGLTN-#-##": "NIO event loops (PostgreSQL, HTTP)", "NIO-SGLTN-#-#": "NIO event loops (PostgreSQL, HTTP)",
    "TP-##": "NIOThreadPool (hiredis)", "TP-#": "NIOThreadPool (hiredis)", "Worker": "main thread",
}


def thread_cpu(pid):
    """The Worker's CPU seconds by thread name (digits stripped), cumulative since it started."""
    groups = {}
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return {}
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        key = re.sub(r"[0-9]+", "#", name)
        key = THREAD_NAMES.get(key, key)
        groups[key] = groups.get(key, 0) + (int(fields[11]) + int(fields[12])) / CLK_TCK
    return {k: round(v, 2) for k, v in sorted(groups.items(), key=lambda kv: -kv[1]) if v >= 0.01}


def pg_counters():
    row = psql_row("""
        SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),
               wal_records, wal_bytes, wal_write, wal_sync, wal_sync_time
        FROM pg_stat_wal""")
    return {"xact_commit": int(row[0]), "wal_records": int(row[1]), "wal_bytes": int(float(row[2])),
            "wal_write": int(row[3]), "wal_sync": int(row[4]), "wal_sync_time_ms": float(row[5])}


STATEMENTS = env("BENCH_PG_STATEMENTS", "1") == "1"


def pg_statements_reset():
    if STATEMENTS:
        psql("SELECT pg_stat_statements_reset()")


def pg_statements(limit=10):
    if not STATEMENTS:
        return []
    out = psql("""
        SELECT json_agg(t) FROM (
            SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, rows,
                   round(total_plan_time::numeric, 1) AS plan_ms,
                   left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC LIMIT %d) t""" % limit)
    return json.loads(out) if out else []


def redis_commandstats(redis):
    stats = {}
    for key, value in redis.info("commandstats").items():
        if key.startswith("cmdstat_"):
            fields = dict(part.split("=") for part in value.split(","))
            stats[key[len("cmdstat_"):]] = {"calls": int(fields["calls"]), "usec": int(fields["usec"])}
    return stats


class Counters:
    """PostgreSQL commits/WAL and Redis command counts between start() and stop()."""

    def __init__(self, redis):
        self.redis = redis

    def start(self):
        pg_statements_reset()
        self.redis.cmd("CONFIG", "RESETSTAT")
        self.pg0 = pg_counters()

    def stop(self, items):
        pg1 = pg_counters()
        delta = {k: round(pg1[k] - self.pg0[k], 1) for k in pg1}
        redis = redis_commandstats(self.redis)
        per = {
            "pg_commits_per_item": round(delta["xact_commit"] / items, 4) if items else None,
            "wal_syncs_per_item": round(delta["wal_sync"] / items, 4) if items else None,
            "wal_bytes_per_item": round(delta["wal_bytes"] / items) if items else None,
            "redis_calls_per_item": round(sum(v["calls"] for v in redis.values()) / items, 3) if items else None,
        }
        return {"postgres": delta, "per_item": per, "redis_commands": redis, "pg_statements": pg_statements()}


# ---------------------------------------------------------------------------------------------
# Data


def reset(redis):
    # CASCADE: the tables that reference leads (messages, stage changes) in newer schemas.
    psql("TRUNCATE leads, deliveries, delivery_attempts RESTART IDENTITY CASCADE")
    redis.cmd("DEL", STREAM, PREFIX + ":scheduled")
    # The sweeper re-enqueues every `queued` row when this marker is missing (Redis lost its
    # data); set it so that the queue we build is the only one.
    redis.cmd("SET", PREFIX + ":epoch", "bench")


def load(n, tenant, source, destination, tag):
    """n leads with their deliveries (status queued); ids are 1..n."""
    chunk = 200_000
    done = 0
    while done < n:
        upto = min(n, done + chunk)
        psql("""
            INSERT INTO leads (tenant_id, source_id, channel, first_name, last_name, email, phone, phone_raw,
                               postal_code, dedup_hash)
            SELECT '%(tenant)s', '%(source)s', 'api', 'Bench', 'Lead ' || g, 'lead' || g || '@bench.example',
                   '+1201555' || lpad((g %% 10000)::text, 4, '0'), '(201) 555-' || lpad((g %% 10000)::text, 4, '0'),
                   '07030', sha256(('%(tag)s:' || g)::bytea)
            FROM generate_series(%(a)d, %(b)d) g;
            INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
            SELECT tenant_id, id, '%(destination)s', 'queued' FROM leads WHERE id BETWEEN %(a)d AND %(b)d ORDER BY id;
            """ % {"tenant": tenant, "source": source, "destination": destination, "tag": tag, "a": done + 1, "b": upto})
        done = upto
        if n > chunk:
            step("  inserted %d / %d leads + deliveries" % (done, n))
    psql("VACUUM (ANALYZE) leads;\nVACUUM (ANALYZE) deliveries;\nVACUUM (ANALYZE) delivery_attempts;\nCHECKPOINT;")
    lo, hi, count = (int(v) for v in psql_row("SELECT min(id), max(id), count(*) FROM deliveries"))
    if (lo, hi, count) != (1, n, n):
        raise PhaseError("expected deliveries 1..%d, found min %d max %d count %d" % (n, lo, hi, count))


def enqueue(redis, n):
    """One stream entry per delivery (field d = id), pipelined, like DeliveryQueue.enqueue."""
    chunk = 20_000
    for start in range(1, n + 1, chunk):
        redis.pipeline([("XADD", STREAM, "*", "d", i) for i in range(start, min(n, start + chunk - 1) + 1)])
    length = redis.cmd("XLEN", STREAM)
    if length != n:
        raise PhaseError("stream has %d entries, expected %d" % (length, n))


def verify_delivered(n, label):
    row = psql_row("""
        SELECT (SELECT count(*) FROM deliveries WHERE status = 'succeeded'),
               (SELECT count(*) FROM deliveries),
               (SELECT count(*) FROM delivery_attempts),
               (SELECT count(DISTINCT delivery_id) FROM delivery_attempts),
               (SELECT count(*) FROM delivery_attempts WHERE outcome = 'succeeded' AND http_status = 200)""")
    succeeded, total, attempts, distinct, ok = (int(v) for v in row)
    checks = {"deliveries": total, "succeeded": succeeded, "attempt_rows": attempts,
              "deliveries_with_attempt": distinct, "attempts_succeeded_200": ok}
    bad = [k for k, v in checks.items() if v != n]
    if bad:
        raise PhaseError("%s: expected %d everywhere, got %s" % (label, n, checks))
    return checks


# ---------------------------------------------------------------------------------------------
# Phases


def components(extra=None):
    comps = {"postgres": int(env("BENCH_POSTMASTER_PID")), "redis": int(env("BENCH_REDIS_PID")),
             "nginx": int(env("BENCH_NGINX_PID"))}
    comps.update(extra or {})
    return comps


PROFILE = env("BENCH_PROFILE", "0") == "1"


def profile_report(data):
    """The hottest symbols (demangled) of a perf recording, also written to bench/results/worker-<stamp>-perf.txt."""
    report = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none", "--sort", "dso,symbol",
                             "--percent-limit", "0.5"], capture_output=True, text=True).stdout
    demangled = subprocess.run(["swift", "demangle", "--simplified"], input=report, capture_output=True, text=True).stdout or report
    by_dso = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none", "--sort", "dso"],
                            capture_output=True, text=True).stdout
    own = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none", "--dsos", "Worker",
                          "--sort", "symbol", "--percent-limit", "0.05"], capture_output=True, text=True).stdout
    if env("BENCH_PROFILE_GRAPH", "0") == "1":
        # Inclusive time per function (callees included): where malloc/retain/release come from.
        own += "\n\n# inclusive (children included)\n" + subprocess.run(
            ["perf", "report", "-i", data, "--stdio", "--children", "-g", "none", "--sort", "symbol", "--percent-limit", "1"],
            capture_output=True, text=True).stdout
    own = subprocess.run(["swift", "demangle", "--simplified"], input=own, capture_output=True, text=True).stdout or own
    path = os.path.join(env("BENCH_RESULTS"), "worker-%s-perf.txt" % env("BENCH_STAMP"))
    with open(path, "w") as f:
        f.write(by_dso + "\n" + demangled + "\n\n# Worker binary only\n" + own)
    top = [line.strip() for line in demangled.splitlines() if line.strip() and not line.startswith("#")][:25]
    dsos = [line.strip() for line in by_dso.splitlines() if line.strip() and not line.startswith("#")][:8]
    return {"file": os.path.relpath(path, env("BENCH_ROOT")), "by_dso": dsos, "top_symbols": top}


def drain(redis, n, name, sample_rss=False):
    """Drains n pre-enqueued deliveries with one fresh Worker; returns the measurements."""
    tenant, source, destination = env("BENCH_TENANT_ID"), env("BENCH_SOURCE_ID"), env("BENCH_DEST_ID")
    step("%s: inserting %d leads + queued deliveries" % (name, n))
    reset(redis)
    t = time.time()
    load(n, tenant, source, destination, name)
    step("%s: enqueueing %d stream entries (%.1f s for the SQL)" % (name, n, time.time() - t))
    enqueue(redis, n)
    counters = Counters(redis)
    counters.start()
    meter = CPUMeter(components())
    meter.start()
    step("%s: starting one Worker (WORKER_COUNT=%s) and timing the drain" % (name, env("WORKER_COUNT")))
    t_spawn = time.time()
    worker = start_worker(name + "-worker", profile=PROFILE and name == "drain")
    meter.components["worker"] = worker.pid
    meter.base["worker"] = 0.0
    samples = []
    next_sample = t_spawn + 1.0
    next_report = t_spawn + 10.0
    last_progress, last_change = None, t_spawn

    def attempts_done():
        # Attempt ids are an identity written by one batch writer: max(id) = attempts committed
        # (an index lookup; stream length is no measure, the sweeper may add duplicate entries).
        return int(psql("SELECT coalesce(max(id), 0) FROM delivery_attempts") or 0)

    try:
        while True:
            now = time.time()
            if worker.poll() is not None:
                raise PhaseError("Worker exited (status %s) during the drain:\n%s" % (worker.poll(), log_tail(name + "-worker")))
            length = redis.cmd("XLEN", STREAM)
            if length == 0 and psql("SELECT count(*) FROM deliveries WHERE status IN ('pending', 'queued', 'processing', 'retrying')") == "0":
                break
            if (sample_rss and now >= next_sample) or now >= next_report:
                done = attempts_done()
                if (done, length) != last_progress:
                    last_progress, last_change = (done, length), now
                elif now - last_change > 60:
                    raise PhaseError("no progress for 60 s (%d attempts, %d stream entries):\n%s" % (done, length, log_tail(name + "-worker")))
                if sample_rss and now >= next_sample:
                    samples.append({"t": round(now - t_spawn, 2), "done": done, "rss_kb": rss_kb(worker.pid), "stream": length})
                    next_sample += 1.0
                if now >= next_report:
                    step("  %s: %d / %d done (%.0f/s so far), %d stream entries" % (name, done, n, done / (now - t_spawn), length))
                    next_report += 10.0 if n < 2_000_000 else 30.0
            time.sleep(0.02 if length else 0.2)
        t_done = time.time()
        if sample_rss:
            samples.append({"t": round(t_done - t_spawn, 2), "done": n, "rss_kb": rss_kb(worker.pid), "stream": 0})
        # Entries are acknowledged only after their result is committed, so an empty stream means
        # every result is in PostgreSQL; check it.
        checks = verify_delivered(n, name)
        threads = thread_cpu(worker.pid)
        hwm = None
        with open("/proc/%d/status" % worker.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
        cpu = meter.stop()
        stats = counters.stop(n)
    finally:
        status = worker.stop()
    profile = profile_report(worker.perf_data) if worker.perf_data else None
    if status != 0 and not worker.perf_data:
        raise PhaseError("Worker exited with status %s after SIGTERM:\n%s" % (status, log_tail(name + "-worker")))
    first_start, last_start, last_finish = (float(v) for v in psql_row("""
        SELECT extract(epoch FROM min(a.started_at)), extract(epoch FROM max(a.started_at)),
               (SELECT extract(epoch FROM max(finished_at)) FROM deliveries) FROM delivery_attempts a"""))
    durations = [int(v) for v in psql("SELECT duration_ms FROM delivery_attempts ORDER BY duration_ms").split()]
    wall = t_done - t_spawn
    steady = last_finish - first_start
    result = {
        "deliveries": n, "worker_count": int(env("WORKER_COUNT")),
        "seconds_from_spawn": round(wall, 3), "deliveries_per_s": round(n / wall),
        "seconds_first_attempt_to_last_commit": round(steady, 3),
        "deliveries_per_s_steady": round(n / steady) if steady > 0 else None,
        "startup_s": round(first_start - t_spawn, 3),
        "http_attempt_ms": {"p50": round(percentile(durations, 50), 1), "p99": round(percentile(durations, 99), 1),
                            "max": durations[-1]},
        "checks": checks, "cpu": cpu, "worker_threads_cpu_s": threads, "worker_vmhwm_kb": hwm, "counters": stats,
        "worker_exit_status": status,
        # Entries the Worker itself added (sweeper re-enqueues of `queued` rows older than its grace,
        # hand-backs, promoted retries): each is a duplicate the drain had to read and discard.
        "stream_entries_added_by_worker": stats["redis_commands"].get("xadd", {}).get("calls", 0),
        "sweeper_log": [line.strip() for line in log_tail(name + "-worker", 100000).splitlines() if "sweeper repaired" in line][:20],
    }
    if profile:
        result["profile"] = profile
    result["cpu_ms_per_delivery"] = {k: round(1000 * v / n, 3) for k, v in cpu["cpu_s"].items()}
    per = sum(cpu["cpu_s"].values()) / n
    # What the measured CPU cost per delivery allows when the stack has every core to itself
    # (fsync waits overlap across WORKER_COUNT deliveries): an estimate, for loaded machines.
    result["cpu_bound_ceiling_per_s"] = round(cpu["cores"] / per) if per > 0 else None
    if sample_rss:
        result["rss_samples"] = samples
    return result


def rq_phase(redis, m):
    tenant, source, destination = env("BENCH_TENANT_ID"), env("BENCH_SOURCE_ID"), env("BENCH_DEST_ID")
    python = env("BENCH_RQ_PYTHON")
    step("rq: inserting %d leads + queued deliveries" % m)
    reset(redis)
    load(m, tenant, source, destination, "rq")
    jobs_file = os.path.join(WORK, "rq-jobs.jsonl")
    # The lead as the job's argument, the way an RQ app enqueues it (the job does not re-read it).
    out = psql("""
        SELECT json_build_object('delivery_id', d.id, 'lead', json_build_object(
                   'id', l.id, 'first_name', l.first_name, 'last_name', l.last_name, 'email', l.email, 'phone', l.phone,
                   'postal_code', l.postal_code, 'source', s.name,
                   'received_at', to_char(l.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
        FROM deliveries d JOIN leads l ON l.id = d.lead_id JOIN sources s ON s.id = l.source_id ORDER BY d.id""")
    with open(jobs_file, "w") as f:
        f.write(out + "\n")
    common = [python, os.path.join(HERE, "worker_rq_baseline.py"), "--redis-port", str(REDIS_PORT),
              "--queue", PREFIX + "-rq", "--mode", env("BENCH_RQ_WORKER")]
    step("rq: enqueueing %d jobs" % m)
    proc = subprocess.run(common + ["enqueue", "--jobs", jobs_file], capture_output=True, text=True)
    if proc.returncode != 0:
        raise PhaseError("RQ enqueue failed:\n%s" % proc.stderr[-2000:])
    enqueue_info = json.loads(proc.stdout)
    psql("CHECKPOINT")
    counters = Counters(redis)
    counters.start()
    meter = CPUMeter(components())
    meter.start()
    result_file = os.path.join(WORK, "rq-result.json")
    step("rq: one %s worker draining %d jobs (timed)" % (enqueue_info["implementation"], m))
    t_spawn = time.time()
    worker = spawn("rq-worker", common + ["work", "--dsn", "host=127.0.0.1 port=%s user=leadrelay dbname=%s" % (PG_PORT, DB),
                                          "--url", env("BENCH_NGINX_URL"), "--expect", str(m), "--out", result_file])
    meter.components["rq_worker"] = worker.pid
    meter.base["rq_worker"] = 0.0
    last_report = time.time()
    while worker.poll() is None:
        time.sleep(0.05)
        if time.time() - last_report >= 10:
            last_report = time.time()
            done = int(psql("SELECT count(*) FROM delivery_attempts"))
            step("  rq: %d / %d done (%.0f/s so far)" % (done, m, done / (time.time() - t_spawn)))
    t_exit = time.time()
    unregister_pid(worker.pid)
    if worker.returncode != 0:
        raise PhaseError("RQ worker failed (status %d):\n%s" % (worker.returncode, log_tail("rq-worker")))
    cpu = meter.stop()
    stats = counters.stop(m)
    with open(result_file) as f:
        inner = json.load(f)
    cpu["cpu_s"]["rq_worker"] = round(inner["cpu_s"], 2)
    checks = verify_delivered(m, "rq")
    per_total = sum(cpu["cpu_s"].values()) / m
    per_rq = cpu["cpu_s"]["rq_worker"] / m
    # One single-threaded worker: at most one core for itself, and no overlap of its waits
    # (ignored here, so this ceiling flatters RQ).
    ceiling = min(1 / per_rq, cpu["cores"] / per_total) if per_rq > 0 else None
    return {
        "cpu_ms_per_job": {k: round(1000 * v / m, 3) for k, v in cpu["cpu_s"].items()},
        "cpu_bound_ceiling_per_s": round(ceiling, 1) if ceiling else None,
        "jobs": m, "implementation": inner["implementation"], "versions": inner.get("versions", {}),
        "seconds_work_loop": round(inner["seconds"], 3), "jobs_per_s": round(m / inner["seconds"], 1),
        "seconds_from_spawn": round(t_exit - t_spawn, 3), "jobs_per_s_from_spawn": round(m / (t_exit - t_spawn), 1),
        "failed_jobs": inner.get("failed", 0), "checks": checks, "cpu": cpu, "counters": stats,
        "enqueue": enqueue_info,
    }


def e2e_phase(redis, seconds, rate, clients):
    crm_port = int(env("BENCH_CRM_PORT"))
    api_port = None
    reset(redis)
    psql("CHECKPOINT")
    step("e2e: starting the CRM stand-in, IngestAPI and one Worker")
    crm = spawn("crm", [sys.executable, os.path.join(HERE, "worker_crm.py"), "--port", str(crm_port)])
    api_port = harness.free_port()
    api = spawn("ingestapi", [os.path.join(BIN, "IngestAPI"), "serve"], {"PORT": str(api_port)})
    worker = start_worker("e2e-worker")
    procs = [crm, api, worker]
    try:
        wait_http("http://127.0.0.1:%d/dump" % crm_port, crm)
        wait_http("http://127.0.0.1:%d/health/ready" % api_port, api)
        key = env("BENCH_API_KEY")
        run_tag = str(int(time.time()))

        def body(label, i):
            return json.dumps({"first_name": "Ada", "last_name": "Lovelace %d" % i, "email": "%s-%s-%d@bench.example" % (label, run_tag, i),
                               "phone": "+12015550%03d" % (i % 1000), "postal_code": "07030"}).encode()

        def post(conn, payload):
            conn.request("POST", "/api/leads", body=payload,
                         headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            return response.status

        def arrivals():
            with urllib.request.urlopen("http://127.0.0.1:%d/dump" % crm_port, timeout=10) as r:
                return json.load(r)

        # Warm-up (untimed): connections from the worker to the CRM, caches, JIT-free but cold paths.
        conn = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)
        warm = 50
        for i in range(warm):
            status = post(conn, body("warm", i))
            if status != 202:
                raise PhaseError("warm-up lead answered %d" % status)
            time.sleep(0.01)
        conn.close()
        deadline = time.time() + 30
        while sum(1 for e in arrivals()["arrivals"] if e.startswith("warm-")) < warm:
            if time.time() > deadline:
                raise PhaseError("warm-up leads did not reach the CRM within 30 s:\n%s" % log_tail("e2e-worker"))
            time.sleep(0.1)

        # What the processes burn while idle (2 s, no requests): the floor under the per-lead CPU.
        idle_meter = CPUMeter(components({"ingestapi": api.pid, "worker": worker.pid, "crm": crm.pid}))
        idle_meter.start()
        time.sleep(2)
        idle = idle_meter.stop()
        total = int(seconds * rate)
        step("e2e: %d leads at %d/s over %d keep-alive clients" % (total, rate, clients))
        sent = [None] * total
        errors = []
        lock = threading.Lock()
        counter = [0]
        counters = Counters(redis)
        counters.start()
        meter = CPUMeter(components({"ingestapi": api.pid, "worker": worker.pid, "crm": crm.pid}))
        meter.start()
        t0 = time.time() + 0.2

        def client():
            c = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)
            while True:
                with lock:
                    i = counter[0]
                    counter[0] += 1
                if i >= total:
                    break
                due = t0 + i / rate
                delay = due - time.time()
                if delay > 0:
                    time.sleep(delay)
                payload = body("e2e", i)
                t_send = time.time()
                try:
                    status = post(c, payload)
                except (OSError, http.client.HTTPException) as error:
                    errors.append("%d: %s" % (i, error))
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", api_port, timeout=10)
                    continue
                t_answer = time.time()
                if status != 202:
                    errors.append("%d: HTTP %d" % (i, status))
                    continue
                sent[i] = (due, t_send, t_answer)
            c.close()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t_sent = time.time()
        expected = sum(1 for s in sent if s)
        deadline = time.time() + 30
        while True:
            got = arrivals()
            received = {e: t for e, t in got["arrivals"].items() if e.startswith("e2e-")}
            if len(received) >= expected or time.time() > deadline:
                break
            time.sleep(0.1)
        cpu = meter.stop()
        stats = counters.stop(expected)
        if errors:
            raise PhaseError("%d requests failed, e.g. %s" % (len(errors), errors[:3]))
        latencies, api_ms, late_sends = [], [], 0
        missing = 0
        for i, s in enumerate(sent):
            if not s:
                continue
            due, t_send, t_answer = s
            arrival = received.get("e2e-%s-%d@bench.example" % (run_tag, i))
            if arrival is None:
                missing += 1
                continue
            latencies.append((arrival - t_answer) * 1000)
            api_ms.append((t_answer - t_send) * 1000)
            if t_send - due > 0.005:
                late_sends += 1
        if missing:
            raise PhaseError("%d of %d leads never reached the CRM within 30 s" % (missing, expected))
        # Where the time goes, per lead: the Worker's attempt start (after XREADGROUP + claim) and
        # the lead's insert transaction start, from PostgreSQL, against the client's 202 and the CRM.
        stamps = {}
        for line in psql("""
                SELECT l.email, extract(epoch FROM l.received_at), extract(epoch FROM a.started_at)
                FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN leads l ON l.id = d.lead_id
                WHERE l.email LIKE 'e2e-%%'""").splitlines():
            email, received_at, started_at = line.split("|")
            stamps[email] = (float(received_at), float(started_at))
        to_attempt, to_crm, insert_to_202 = [], [], []
        for i, s in enumerate(sent):
            email = "e2e-%s-%d@bench.example" % (run_tag, i)
            if s and email in stamps and email in received:
                received_at, started_at = stamps[email]
                to_attempt.append((started_at - s[2]) * 1000)
                to_crm.append((received[email] - started_at) * 1000)
                insert_to_202.append((s[2] - received_at) * 1000)
        breakdown = {}
        for label, values in (("202_to_attempt_start_ms", to_attempt), ("attempt_start_to_crm_ms", to_crm),
                              ("insert_start_to_202_ms", insert_to_202)):
            values.sort()
            if values:
                breakdown[label] = {"p50": round(percentile(values, 50), 2), "p99": round(percentile(values, 99), 2)}
        latencies.sort()
        api_ms.sort()
        duplicates = got.get("duplicates", 0)
        return {
            "leads": expected, "rate_per_s": rate, "seconds": seconds, "clients": clients,
            "achieved_rate_per_s": round(expected / (t_sent - t0), 1),
            "sends_late_over_5ms": late_sends,
            "latency_ms": {"p50": round(percentile(latencies, 50), 2), "p95": round(percentile(latencies, 95), 2),
                           "p99": round(percentile(latencies, 99), 2), "max": round(latencies[-1], 2),
                           "min": round(latencies[0], 2), "mean": round(statistics.mean(latencies), 2)},
            "api_answer_ms": {"p50": round(percentile(api_ms, 50), 2), "p99": round(percentile(api_ms, 99), 2)},
            "breakdown": breakdown,
            "crm_duplicates": duplicates, "sample_body": got.get("sample"), "cpu": cpu, "idle_cpu_2s": idle, "counters": stats,
            "note": "IngestAPI, Worker, the Python CRM, the Python client, PostgreSQL and Redis share the same %d cores" % os.cpu_count(),
        }
    finally:
        for p in procs:
            p.stop() if isinstance(p, WorkerProcess) else stop(p)


def whatsapp_phase(redis, seconds):
    """One Worker sending WhatsApp templates to nginx (standing in for Graph, each arrival in its
    access log) through a destination limited to BENCH_WHATSAPP_RATE messages per second (80/s is
    a phone number's default): what it sends per second over `seconds`, and the most it sent in
    any one-second window."""
    limit = int(env("BENCH_WHATSAPP_RATE"))
    arrivals_log = env("BENCH_GRAPH_LOG")
    n = limit * (seconds + 15)
    reset(redis)
    step("whatsapp: inserting %d leads (distinct phones) + queued deliveries to the WhatsApp destination" % n)
    load(n, env("BENCH_WA_TENANT_ID"), env("BENCH_WA_SOURCE_ID"), env("BENCH_WA_DEST_ID"), "whatsapp")
    enqueue(redis, n)
    open(arrivals_log, "a").close()
    skip = len(open(arrivals_log).read().split())

    def arrivals():
        return [float(v) for v in open(arrivals_log).read().split()[skip:]]

    step("whatsapp: one Worker against the Graph stand-in, limit %d/s, measured over %d s" % (limit, seconds))
    worker = start_worker("whatsapp-worker")
    try:
        deadline = time.time() + seconds + 60
        while True:
            if worker.poll() is not None:
                raise PhaseError("Worker exited during the whatsapp phase:\n%s" % log_tail("whatsapp-worker"))
            seen = arrivals()
            if seen and time.time() >= min(seen) + seconds + 2:
                break
            if time.time() > deadline:
                raise PhaseError("%d messages reached the stand-in:\n%s" % (len(seen), log_tail("whatsapp-worker")))
            time.sleep(1)
    finally:
        worker.stop()
    seen = sorted(arrivals())
    first = seen[0]
    times = [t for t in seen if t < first + seconds]
    busiest, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 1.0:
            j += 1
        busiest = max(busiest, i - j + 1)
    per_second = [0] * seconds
    for t in times:
        per_second[min(seconds - 1, int(t - first))] += 1
    rate = len(times) / seconds
    return {"limit_per_s": limit, "seconds": seconds, "messages": len(times), "messages_per_s": round(rate, 2),
            "ratio_to_limit": round(rate / limit, 3), "busiest_1s_window": busiest, "holds_limit": busiest <= limit,
            "slowest_second": min(per_second), "fastest_second": max(per_second), "per_second": per_second}


def rss_phase(redis, n):
    result = drain(redis, n, "rss", sample_rss=True)
    samples = [s for s in result["rss_samples"] if s["rss_kb"]]
    warm = next((s for s in samples if s["done"] >= 0.10 * n), samples[0])
    end = samples[-1]
    after = [s["rss_kb"] for s in samples if s["t"] >= warm["t"]]
    result["rss"] = {
        "warm_kb": warm["rss_kb"], "warm_at_done": warm["done"], "warm_at_s": warm["t"],
        "end_kb": end["rss_kb"], "max_after_warm_kb": max(after), "min_after_warm_kb": min(after),
        "max_kb": max(s["rss_kb"] for s in samples),
        "change_pct": round(100.0 * (end["rss_kb"] - warm["rss_kb"]) / warm["rss_kb"], 1),
        "max_excursion_pct": round(100.0 * max(abs(v - warm["rss_kb"]) for v in after) / warm["rss_kb"], 1),
    }
    return result


# ---------------------------------------------------------------------------------------------
# Machine facts and report


command_output = harness.command_output


def machine_facts():
    cpu_model = harness.cpu_model()
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    git = command_output(["git", "-C", env("BENCH_ROOT"), "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", env("BENCH_ROOT"), "status", "--porcelain", "--", "Sources", "Package.swift", "migrations"], default="")
    return {
        "nproc": os.cpu_count(), "cpu": cpu_model, "memory_gib": round(mem_kb / 1048576, 1),
        "kernel": platform.release(), "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
        "postgresql": command_output([os.path.join(env("BENCH_PG_BINDIR"), "postgres"), "--version"]),
        "redis": command_output(["redis-server", "--version"]),
        "nginx": command_output(["nginx", "-v"]),
        "swift": command_output(["swift", "--version"]),
        "python": platform.python_version(),
        "git": git + (" (Sources modified)" if dirty and dirty != "unknown" else ""),
        "build": env("BENCH_BUILD_DESC"),
        "pg_mode": env("BENCH_PG_MODE"),
    }


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float):
        v = round(v, 1)
    if isinstance(v, int) or (isinstance(v, float) and v == int(v) and abs(v) >= 100):
        return "{:,}".format(int(v)) + unit
    return "%s%s" % (v, unit)


def main():
    phases = [p.strip() for p in env("BENCH_PHASES").split(",") if p.strip()]
    n = int(env("BENCH_DELIVERIES"))
    m = int(env("BENCH_RQ_JOBS"))
    long_n = int(env("BENCH_LONG_DELIVERIES"))
    e2e_seconds = int(env("BENCH_E2E_SECONDS"))
    facts = machine_facts()
    say()
    say("machine:     %d cores (%s), %s GiB RAM, Linux %s, load average %s at start"
        % (facts["nproc"], facts["cpu"], facts["memory_gib"], facts["kernel"], " ".join(facts["loadavg_at_start"])))
    say("software:    %s; %s; %s" % (facts["postgresql"], facts["redis"].split(" sha=")[0], facts["nginx"]))
    say("             %s; Python %s" % (facts["swift"], facts["python"]))
    say("build:       %s, git %s" % (facts["build"], facts["git"]))
    say("services:    PostgreSQL %s (fsync %s), Redis %s, nginx worker_processes %s, keep-alive; Worker WORKER_COUNT=%s, DATABASE_MAX_CONNECTIONS=%s, LOG_LEVEL=%s"
        % (facts["pg_mode"], "on, synchronous_commit on" if facts["pg_mode"] == "durable" else "off",
           "AOF everysec" if facts["pg_mode"] == "durable" else "no persistence",
           env("BENCH_NGINX_WORKERS"), env("WORKER_COUNT"), os.environ.get("DATABASE_MAX_CONNECTIONS", "20"), env("LOG_LEVEL")))
    say("command:     %s" % env("BENCH_COMMAND"))
    load1 = float(facts["loadavg_at_start"][0])
    if load1 > 0.5 * facts["nproc"]:
        say("WARNING:     load average %.1f on %d cores at start: something else is running; figures will be low" % (load1, facts["nproc"]))
    say()

    results = {"stamp": env("BENCH_STAMP"), "command": env("BENCH_COMMAND"), "machine": facts, "targets": TARGETS,
               "config": {"deliveries": n, "rq_jobs": m, "long_deliveries": long_n, "e2e_seconds": e2e_seconds,
                          "e2e_rate": int(env("BENCH_E2E_RATE")), "worker_count": int(env("WORKER_COUNT")),
                          "phases": phases, "rq_worker": env("BENCH_RQ_WORKER"), "pg_statements": STATEMENTS},
               "phases": {}}
    redis = Redis()
    failures = []
    for phase in phases:
        loadavg = open("/proc/loadavg").read().split()[:3]
        step("%s: load average %s before the phase" % (phase, " ".join(loadavg)))
        try:
            if phase == "drain" and n > 0:
                results["phases"]["drain"] = drain(redis, n, "drain")
            elif phase == "rq" and m > 0:
                if os.environ.get("BENCH_RQ_PIP_ERROR"):
                    results["rq_pip_error"] = os.environ["BENCH_RQ_PIP_ERROR"]
                results["phases"]["rq"] = rq_phase(redis, m)
            elif phase == "e2e" and e2e_seconds > 0:
                results["phases"]["e2e"] = e2e_phase(redis, e2e_seconds, int(env("BENCH_E2E_RATE")), int(env("BENCH_E2E_CLIENTS")))
            elif phase == "rss" and long_n > 0:
                results["phases"]["rss"] = rss_phase(redis, long_n)
            elif phase == "whatsapp":
                results["phases"]["whatsapp"] = whatsapp_phase(redis, int(env("BENCH_WHATSAPP_SECONDS")))
            elif phase == "sequences":
                import worker_sequences
                results["phases"]["sequences"] = worker_sequences.run(redis, sys.modules[__name__])
            elif phase == "sheet":
                import worker_sheet
                results["phases"]["sheet"] = worker_sheet.run(redis, sys.modules[__name__])
            elif phase not in ("drain", "rq", "e2e", "rss", "whatsapp", "sequences", "sheet"):
                raise PhaseError("unknown phase %r" % phase)
        except PhaseError as error:
            failures.append("%s: %s" % (phase, error))
            say("FAILED %s: %s" % (phase, error))
            results["phases"][phase] = {"error": str(error)}
        if phase in results["phases"]:
            results["phases"][phase]["loadavg_before"] = loadavg
    redis.close()
    report(results)
    path = os.path.join(env("BENCH_RESULTS"), "worker-%s.json" % env("BENCH_STAMP"))
    with open(path, "w") as f:
        json.dump(results, f, indent=2)
    say("results: bench/results/%s" % os.path.basename(path))
    if failures:
        sys.exit(1)
    if env("BENCH_STRICT", "0") == "1" and results.get("missed"):
        sys.exit(2)


def report(results):
    ph = results["phases"]
    rows = []
    missed = []

    def row(what, value, target, ok):
        rows.append((what, value, target, "" if ok is None else ("yes" if ok else "NO")))
        if ok is False:
            missed.append(what)

    d = ph.get("drain")
    if d and "error" not in d:
        row("drain: %s deliveries, 1 Worker (from spawn)" % fmt(d["deliveries"]), fmt(d["deliveries_per_s"], " /s"),
            ">= %s /s" % fmt(TARGETS["deliveries_per_s"]), d["deliveries_per_s"] >= TARGETS["deliveries_per_s"])
        row("drain: first attempt -> last commit", fmt(d["deliveries_per_s_steady"], " /s"), "", None)
        row("drain: CPU per delivery (Worker + PostgreSQL + Redis + nginx)",
            "%.0f µs (Worker %.0f, PostgreSQL %.0f)" % (1000 * sum(d["cpu_ms_per_delivery"].values()),
                                                        1000 * d["cpu_ms_per_delivery"].get("worker", 0),
                                                        1000 * d["cpu_ms_per_delivery"].get("postgres", 0)), "", None)
    r = ph.get("rq")
    if r and "error" not in r:
        row("RQ baseline: %s jobs, 1 worker (%s)" % (fmt(r["jobs"]), r["implementation"]), fmt(r["jobs_per_s"], " /s"), "", None)
        row("RQ: CPU per job (RQ worker + PostgreSQL + Redis + nginx)",
            "%.0f µs (RQ worker %.0f)" % (1000 * sum(r["cpu_ms_per_job"].values()), 1000 * r["cpu_ms_per_job"].get("rq_worker", 0)), "", None)
        if d and "error" not in d:
            ratio = d["deliveries_per_s"] / r["jobs_per_s"]
            results["ratio_leadrelay_over_rq"] = round(ratio, 1)
            row("LeadRelay / RQ", "%.1fx" % ratio, ">= %dx" % TARGETS["rq_ratio"], ratio >= TARGETS["rq_ratio"])
            if d.get("cpu_bound_ceiling_per_s") and r.get("cpu_bound_ceiling_per_s"):
                cr = d["cpu_bound_ceiling_per_s"] / r["cpu_bound_ceiling_per_s"]
                results["cpu_ceiling_ratio"] = round(cr, 1)
                row("CPU-bound ceilings (all %d cores to itself): LeadRelay / RQ" % d["cpu"]["cores"],
                    "%s / %s /s = %.1fx" % (fmt(d["cpu_bound_ceiling_per_s"]), fmt(r["cpu_bound_ceiling_per_s"]), cr), "", None)
    e = ph.get("e2e")
    if e and "error" not in e:
        lat = e["latency_ms"]
        row("e2e 202 -> CRM, %d leads at %d/s: p50" % (e["leads"], e["rate_per_s"]), "%.1f ms" % lat["p50"],
            "<= %d ms" % TARGETS["e2e_p50_ms"], lat["p50"] <= TARGETS["e2e_p50_ms"])
        row("e2e p95", "%.1f ms" % lat["p95"], "", None)
        row("e2e p99", "%.1f ms" % lat["p99"], "<= %d ms" % TARGETS["e2e_p99_ms"], lat["p99"] <= TARGETS["e2e_p99_ms"])
    s = ph.get("rss")
    if s and "error" not in s:
        rss = s["rss"]
        row("long drain: %s deliveries" % fmt(s["deliveries"]), fmt(s["deliveries_per_s"], " /s"), "", None)
        row("Worker RSS at %d%% / end / max" % round(100 * rss["warm_at_done"] / s["deliveries"]),
            "%.1f / %.1f / %.1f MiB" % (rss["warm_kb"] / 1024, rss["end_kb"] / 1024, rss["max_kb"] / 1024), "", None)
        row("Worker RSS change (end vs warm; max excursion)", "%+.1f%%; %.1f%%" % (rss["change_pct"], rss["max_excursion_pct"]),
            "within ±%d%%" % TARGETS["rss_change_pct"], rss["max_excursion_pct"] <= TARGETS["rss_change_pct"])
    w = ph.get("whatsapp")
    if w and "error" not in w:
        row("whatsapp: 1 Worker, limit %d/s, over %d s" % (w["limit_per_s"], w["seconds"]),
            "%.1f /s (%.2fx the limit)" % (w["messages_per_s"], w["ratio_to_limit"]), "", None)
        row("whatsapp: most messages in any 1 s window", "%d" % w["busiest_1s_window"], "<= %d" % w["limit_per_s"], w["holds_limit"])
        row("whatsapp: slowest / fastest whole second", "%d / %d" % (w["slowest_second"], w["fastest_second"]), "", None)
    q = ph.get("sequences")
    if q and "error" not in q:
        import worker_sequences
        worker_sequences.report_rows(q, row)
    sh = ph.get("sheet")
    if sh and "error" not in sh:
        import worker_sheet
        worker_sheet.report_rows(sh, row)
    results["missed"] = missed

    say()
    widths = [max(len(x[i]) for x in rows + [("measure", "result", "target", "met")]) for i in range(4)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(("measure", "result", "target", "met"), widths)) + " |"
    say(line)
    say("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for x in rows:
        say("| " + " | ".join(v.ljust(w) for v, w in zip(x, widths)) + " |")
    say()
    for name, p in ph.items():
        if "error" in p:
            continue
        say("%s details:" % name)
        if "cpu" in p:
            c = p["cpu"]
            say("  CPU seconds over %.1f s wall (machine %.0f%% busy of %d cores): %s" % (
                c["wall_s"], c["machine_busy_pct"], c["cores"], ", ".join("%s %.1f" % kv for kv in sorted(c["cpu_s"].items(), key=lambda kv: -kv[1]))))
        if p.get("worker_threads_cpu_s"):
            say("  Worker CPU by thread: %s" % ", ".join("%s %.1f" % kv for kv in list(p["worker_threads_cpu_s"].items())[:6]))
        if p.get("stream_entries_added_by_worker"):
            say("  the Worker added %s stream entries during the drain (sweeper re-enqueues of long-queued rows; see sweeper_log in the JSON)"
                % fmt(p["stream_entries_added_by_worker"]))
        if "http_attempt_ms" in p:
            h = p["http_attempt_ms"]
            say("  attempt duration_ms (HTTP call) p50 %s p99 %s max %s; start-up %.2f s" % (h["p50"], h["p99"], h["max"], p["startup_s"]))
        if p.get("profile"):
            say("  perf (Worker, by library): %s" % "; ".join(" ".join(x.split()) for x in p["profile"]["by_dso"][:5]))
            for x in p["profile"]["top_symbols"][:12]:
                say("    %s" % x[:150])
            say("  full profile: %s" % p["profile"]["file"])
        if "counters" in p:
            per = p["counters"]["per_item"]
            say("  per delivery: %.3f PostgreSQL commits, %.3f WAL syncs, %s WAL bytes, %.2f Redis commands"
                % (per["pg_commits_per_item"], per["wal_syncs_per_item"], per["wal_bytes_per_item"], per["redis_calls_per_item"]))
            for st in p["counters"]["pg_statements"][:4]:
                say("    pg: %7d calls %9.1f ms exec (%7.3f ms mean) + %7.1f ms planning  %s" % (
                    st["calls"], st["total_ms"], st["mean_ms"], st.get("plan_ms") or 0, st["query"][:70]))
        if "api_answer_ms" in p:
            say("  achieved %.1f leads/s (%d sends > 5 ms behind schedule); API answer (send -> 202) p50 %.1f ms p99 %.1f ms;"
                " e2e min %.1f mean %.1f max %.1f ms" % (p["achieved_rate_per_s"], p["sends_late_over_5ms"], p["api_answer_ms"]["p50"],
                                                      p["api_answer_ms"]["p99"], p["latency_ms"]["min"], p["latency_ms"]["mean"], p["latency_ms"]["max"]))
            b = p.get("breakdown", {})
            if b:
                say("  split (p50 / p99 ms): 202 -> Worker starts the HTTP call (XREADGROUP, claim, build) %s / %s;"
                    " HTTP call start -> CRM %s / %s; lead insert start -> 202 %s / %s" % (
                        b["202_to_attempt_start_ms"]["p50"], b["202_to_attempt_start_ms"]["p99"], b["attempt_start_to_crm_ms"]["p50"],
                        b["attempt_start_to_crm_ms"]["p99"], b["insert_start_to_202_ms"]["p50"], b["insert_start_to_202_ms"]["p99"]))
            say("  idle for 2 s before the run: %s CPU s; machine %.0f%% busy" % (
                ", ".join("%s %.2f" % kv for kv in sorted(p["idle_cpu_2s"]["cpu_s"].items(), key=lambda kv: -kv[1])), p["idle_cpu_2s"]["machine_busy_pct"]))
            say("  %s" % p["note"])
    if missed:
        say()
        say("targets missed: %s" % "; ".join(missed))


if __name__ == "__main__":
    try:
        main()
    except PhaseError as error:
        say("FAILED: %s" % error)
        sys.exit(1)
