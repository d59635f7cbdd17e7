"""The `sequences` phase of `bench/worker` (issue 19): follow-up sequences against nginx.

`worker_bench.py` calls `run(redis, bench)` with itself as `bench` (psql, Worker processes, CPU
meters). Everything goes to a tenant of its own with three `http` destinations (no rate limit: the
engine is measured, not a provider's limit) at nginx's `/seq/1`, `/seq/2`, `/seq/3`, whose access
log gives each arrival's time (ms), the step (path) and the lead (the Idempotency-Key header).

Runs, each from empty tables:
  burst    BENCH_SEQ_LEADS leads inserted with SQL (10,000 a statement; the `leads_enter_sequences`
           trigger enrolls them) while W idle Workers run; timed from the first INSERT until every
           enrollment has completed (3 steps sent). Step 1 has no delay, steps 2 and 3 wait
           BENCH_SEQ_DELAYS. Once per W in BENCH_SEQ_WORKERS.
  fan-out  the baseline: the same leads with three `queued` deliveries each (to the same three
           destinations) and their stream entries, drained by W fresh Workers; timed from the first
           attempt to the last commit.
  paced    leads enrolled at BENCH_SEQ_PACED_RATE a second for BENCH_SEQ_PACED_SECONDS (one
           transaction per 100 ms) by one Worker: the lateness below saturation.
  window   BENCH_SEQ_WINDOW_LEADS leads enrolled in a sequence whose window (UTC) opens at a minute
           boundary at least 30 s later and closes a minute after that; step 3 (after 90 s) falls
           past the close: nothing may arrive outside the window, step 3 waits for the next day.
  waiting  BENCH_SEQ_WAITING enrollments waiting a day for their step 2 (rows, `scheduled`
           deliveries and scheduled-set members written directly): a fresh Worker idles 25 s before
           and after; its RSS, its CPU, PostgreSQL's statement time and the plans of the scheduler's
           and the sweeper's queries.

Lateness of a step = its arrival at nginx - its due time. Due times are not stored (a delivery's
`next_attempt_at` is overwritten by a wait, `sequence_enrollments.last_step_at` by the next step), so
they are computed the way the scheduler computes them: step 1 at `enrolled_at`, step k at the end of
step k-1 (its attempt's `started_at` + `duration_ms`) + the delay, moved into the window. The engine
counts from the worker's clock after the attempt (`last_step_at`); for step 3, whose `last_step_at`
survives, the report gives the difference between the two (the approximation's error).
"""
import json
import os
import subprocess
import time

from harness import percentile

DELAY_UNITS = {"s": 1, "m": 60, "h": 3600}
# Progress: attempt rows committed (an index lookup). Counting succeeded deliveries every 250 ms
# took a third of PostgreSQL's time in the first 100,000-lead run (245 ms a call).
ATTEMPTS_SQL = "SELECT coalesce(max(id), 0) FROM delivery_attempts"


def parse_delay(text):
    return float(text[:-1]) * DELAY_UNITS[text[-1]]


class Sequences:
    def __init__(self, redis, bench):
        self.redis, self.b = redis, bench
        self.env = bench.env
        self.psql, self.psql_row = bench.psql, bench.psql_row
        self.log_path = self.env("BENCH_SEQ_LOG")
        self.delays = [d.strip() for d in self.env("BENCH_SEQ_DELAYS", "5s,10s").split(",")]
        if len(self.delays) != 2:
            raise bench.PhaseError("BENCH_SEQ_DELAYS takes two delays (steps 2 and 3), e.g. 5s,10s")
        self.serial = 0

    # -----------------------------------------------------------------------------------------
    # Set-up with leadctl

    def ctl(self, *args):
        out = subprocess.run([os.path.join(self.b.BIN, "leadctl")] + list(args) + ["--json"],
                                    capture_output=True, text=True)
        if out.returncode != 0:
            raise self.b.PhaseError("leadctl %s failed: %s" % (" ".join(args[:2]), out.stderr.strip()[-500:]))
        return json.loads(out.stdout)

    def setup(self):
        self.tenant = self.ctl("tenant", "create", "--name", "Worker benchmark sequences", "--slug", "wbench-seq")["id"]
        self.destinations = []
        for k in (1, 2, 3):
            url = "%s/seq/%d" % (self.env("BENCH_NGINX_BASE"), k)
            self.destinations.append(self.ctl("destination", "create", "--tenant", "wbench-seq", "--kind", "http",
                                              "--name", "seq step %d" % k, "--config", json.dumps({"url": url}))["id"])
        row = self.psql_row("SELECT count(*) FILTER (WHERE rate_limit_requests IS NULL), count(*) FILTER (WHERE NOT dry_run) "
                            "FROM destinations WHERE tenant_id = '%s'" % self.tenant)
        if row != ["3", "3"]:
            raise self.b.PhaseError("the step destinations must be live and unlimited, got %s" % row)
        self.fanout_source = self.ctl("source", "create", "--tenant", "wbench-seq", "--name", "seq-fanout", "--kind", "api")["id"]

    def sequence_source(self, label, definition):
        """A new sequence and a source whose new leads enter it; returns the source id."""
        self.serial += 1
        name = "bench %s %d" % (label, self.serial)
        self.ctl("sequence", "create", "--tenant", "wbench-seq", "--name", name, "--config", json.dumps(definition))
        source = self.ctl("source", "create", "--tenant", "wbench-seq", "--name", "src " + name, "--kind", "api")["id"]
        self.ctl("source", "update", source, "--tenant", "wbench-seq", "--sequence", name)
        return source

    def definition(self, window=None, delays=None):
        delays = delays or self.delays
        steps = [{"destination": "seq step 1"},
                 {"destination": "seq step 2", "after": delays[0]},
                 {"destination": "seq step 3", "after": delays[1]}]
        d = {"time_zone": "UTC", "steps": steps}
        if window:
            d["window"] = window
        return d

    # -----------------------------------------------------------------------------------------
    # Data

    def reset(self):
        self.loadavg = open("/proc/loadavg").read().split()[:3]
        self.b.reset(self.redis)  # leads CASCADE: enrollments and deliveries go too
        self.psql("VACUUM (ANALYZE) leads;\nVACUUM (ANALYZE) deliveries;\nVACUUM (ANALYZE) sequence_enrollments;\n"
                  "VACUUM (ANALYZE) delivery_attempts;\nCHECKPOINT;")
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0

    def leads_sql(self, source, first, last, tag):
        return """
            INSERT INTO leads (tenant_id, source_id, channel, first_name, last_name, email, phone, phone_raw, postal_code, dedup_hash)
            SELECT '%(tenant)s', '%(source)s', 'api', 'Bench', 'Lead ' || g, 'seq' || g || '@bench.example',
                   '+1201555' || lpad((g %% 10000)::text, 4, '0'), '(201) 555-' || lpad((g %% 10000)::text, 4, '0'),
                   '07030', sha256(('%(tag)s:' || g)::bytea)
            FROM generate_series(%(a)d, %(b)d) g;
            """ % {"tenant": self.tenant, "source": source, "tag": tag, "a": first, "b": last}

    def enroll(self, source, n, tag, chunk=10_000):
        """n leads in `chunk`-lead statements (each its own transaction, enrolled by the trigger)."""
        self.psql("".join(self.leads_sql(source, a, min(n, a + chunk - 1), tag) for a in range(1, n + 1, chunk)))

    def arrivals(self):
        """{(step, lead_id): [arrival times]} from nginx's log since the run's reset."""
        seen = {}
        with open(self.log_path) as f:
            f.seek(self.log_offset)
            for line in f:
                parts = line.split()
                if len(parts) != 3 or not parts[1].startswith("/seq/"):
                    continue
                step = int(parts[1].rsplit("/", 1)[1])
                lead = int(parts[2].split("-")[1])
                seen.setdefault((step, lead), []).append(float(parts[0]))
        return seen

    # -----------------------------------------------------------------------------------------
    # Workers

    def start_workers(self, count, name, profile=False):
        workers = []
        for i in range(count):
            workers.append(self.b.start_worker("%s-worker%d" % (name, i + 1), profile=profile and i == 0))
        deadline = time.time() + 60
        for w in workers:
            while "worker ready" not in self.b.log_tail(w.name, 400):
                if w.poll() is not None or time.time() > deadline:
                    raise self.b.PhaseError("%s did not start:\n%s" % (w.name, self.b.log_tail(w.name)))
                time.sleep(0.1)
        return workers

    def stop_workers(self, workers):
        for w in workers:
            status = w.stop()
            if status != 0:
                raise self.b.PhaseError("%s exited with %s after SIGTERM:\n%s" % (w.name, status, self.b.log_tail(w.name)))

    def wait_until(self, workers, done_sql, expected, label, timeout_quiet=60):
        """Polls `done_sql` (a count) until it reaches `expected`; fails when nothing moves for timeout_quiet s."""
        last, last_change, next_report = -1, time.time(), time.time() + 10
        t0 = time.time()
        while True:
            for w in workers:
                if w.poll() is not None:
                    raise self.b.PhaseError("%s exited during %s:\n%s" % (w.name, label, self.b.log_tail(w.name)))
            done = int(self.psql(done_sql))
            now = time.time()
            if done >= expected:
                return now
            if done != last:
                last, last_change = done, now
            elif now - last_change > timeout_quiet:
                raise self.b.PhaseError("%s: no progress for %d s at %d / %d:\n%s" % (
                    label, timeout_quiet, done, expected, self.b.log_tail(workers[0].name)))
            if now >= next_report:
                self.b.step("  %s: %d / %d (%.0f/s so far)" % (label, done, expected, done / (now - t0)))
                next_report += 10
            time.sleep(1)

    # -----------------------------------------------------------------------------------------
    # Measurements

    def step_rows(self):
        """Per step delivery: lead, step index, status, attempt rows, first attempt start, its
        duration, the enrollment's enrolled_at and last_step_at."""
        rows = self.b._pg.rows("""
            SELECT d.lead_id, d.step_index, d.status, count(a.id),
                   extract(epoch FROM min(a.started_at)), coalesce(min(a.duration_ms), 0),
                   extract(epoch FROM e.enrolled_at), coalesce(extract(epoch FROM e.last_step_at), 0),
                   coalesce(extract(epoch FROM d.next_attempt_at), 0)
            FROM deliveries d JOIN sequence_enrollments e ON e.id = d.enrollment_id
            LEFT JOIN delivery_attempts a ON a.delivery_id = d.id
            GROUP BY d.id, e.id""")
        steps = {}
        for lead, index, status, attempts, started, duration, enrolled, last_step, next_at in rows:
            steps[(int(index) + 1, int(lead))] = {
                "status": status, "attempts": int(attempts), "started": float(started) if started else None,
                "duration": int(duration) / 1000.0, "enrolled": float(enrolled), "last_step_at": float(last_step),
                "next_attempt_at": float(next_at)}
        return steps

    def lateness(self, delays, window=None):
        """Lateness per step (arrival - due) in ms, duplicates, sends outside the window."""
        steps, seen = self.step_rows(), self.arrivals()
        delay_s = [0.0] + [parse_delay(d) for d in delays]
        late = {1: [], 2: [], 3: []}
        attempt_late = {1: [], 2: [], 3: []}
        approx_error = []
        duplicates = sum(len(v) - 1 for v in seen.values() if len(v) > 1)
        outside = []
        for (k, lead), s in steps.items():
            if k == 1:
                due = s["enrolled"]
            else:
                prev = steps.get((k - 1, lead))
                if not prev or prev["started"] is None:
                    continue
                due = prev["started"] + prev["duration"] + delay_s[k - 1]
            if window:
                due = window.move_into(due)
            times = seen.get((k, lead))
            if times:
                late[k].append(1000 * (min(times) - due))
                for t in times:
                    if window and not window.contains(t):
                        outside.append((k, lead, t))
            if s["started"] is not None:
                attempt_late[k].append(1000 * (s["started"] - due))
            if k == 3 and s["started"] is not None and s["last_step_at"]:
                approx_error.append(1000 * (s["last_step_at"] - (s["started"] + s["duration"])))
        return {
            "lateness_ms": {"step %d" % k: summary(v) for k, v in late.items()},
            "attempt_start_lateness_ms": {"step %d" % k: summary(v) for k, v in attempt_late.items()},
            "all_steps_lateness_ms": summary(late[1] + late[2] + late[3]),
            "steps_2_3_lateness_ms": summary(late[2] + late[3]),
            "due_approximation_error_ms": summary(approx_error),
            "arrivals": sum(len(v) for v in seen.values()), "duplicates": duplicates,
            "outside_window": len(outside), "outside_examples": outside[:5],
            "attempts_over_one": sum(1 for s in steps.values() if s["attempts"] > 1),
        }, steps

    # -----------------------------------------------------------------------------------------
    # Runs

    def burst(self, n, workers_count):
        label = "burst-w%d" % workers_count
        self.b.step("sequences %s: %d leads enrolled at once, 3 steps (%s), %d Worker(s)" % (label, n, ",".join(self.delays), workers_count))
        self.reset()
        source = self.sequence_source(label, self.definition())
        profile = self.env("BENCH_SEQ_PROFILE", "0") == "1" and workers_count == 1
        workers = self.start_workers(workers_count, "seq-" + label, profile=profile)
        counters = self.b.Counters(self.redis)
        counters.start()
        meter = self.b.CPUMeter(self.b.components({w.name: w.pid for w in workers}))
        meter.start()
        try:
            t0 = time.time()
            self.enroll(source, n, label)
            t_enrolled = time.time()
            self.b.step("  %s: %d leads inserted and enrolled in %.1f s" % (label, n, t_enrolled - t0))
            self.wait_until(workers, ATTEMPTS_SQL, 3 * n, label)
            self.wait_until(workers, "SELECT count(*) FROM sequence_enrollments WHERE status = 'completed'", n, label)
            cpu = meter.stop()
            stats = counters.stop(3 * n)
            rss = {w.name: self.b.rss_kb(w.pid) for w in workers}
        finally:
            self.stop_workers(workers)
        if workers[0].perf_data:
            result_profile = self.b.profile_report(workers[0].perf_data)
        last_finish = float(self.psql("SELECT extract(epoch FROM max(finished_at)) FROM deliveries"))
        enrollments = dict(self.b._pg.rows("SELECT status, count(*) FROM sequence_enrollments GROUP BY status"))
        result, _ = self.lateness(self.delays)
        wall = last_finish - t0
        result.update({
            "loadavg_before": self.loadavg, "leads": n, "workers": workers_count, "steps": 3 * n, "enroll_seconds": round(t_enrolled - t0, 2),
            "seconds_first_insert_to_last_commit": round(wall, 2), "steps_per_s": round(3 * n / wall, 1),
            "enrollments": enrollments, "cpu": cpu, "counters": stats, "worker_rss_kb_end": rss,
            "cpu_ms_per_step": {k: round(1000 * v / (3 * n), 3) for k, v in cpu["cpu_s"].items()},
        })
        if workers[0].perf_data:
            result["profile"] = result_profile
        if enrollments != {"completed": str(n)} or result["duplicates"] or result["arrivals"] != 3 * n:
            raise self.b.PhaseError("%s: enrollments %s, %d arrivals (expected %d), %d duplicates" % (
                label, enrollments, result["arrivals"], 3 * n, result["duplicates"]))
        return result

    def fanout(self, n, workers_count):
        label = "fanout-w%d" % workers_count
        self.b.step("sequences %s: %d leads x 3 queued deliveries (same destinations), %d fresh Worker(s)" % (label, n, workers_count))
        self.reset()
        chunk = 100_000
        for a in range(1, n + 1, chunk):
            b = min(n, a + chunk - 1)
            self.psql(self.leads_sql(self.fanout_source, a, b, label) + """
                INSERT INTO deliveries (tenant_id, lead_id, destination_id, status)
                SELECT l.tenant_id, l.id, x.destination, 'queued'
                FROM leads l CROSS JOIN unnest('{%s}'::uuid[]) AS x(destination) WHERE l.id BETWEEN %d AND %d ORDER BY l.id;
                """ % (",".join(self.destinations), a, b))
        self.psql("VACUUM (ANALYZE) leads;\nVACUUM (ANALYZE) deliveries;\nCHECKPOINT;")
        total = 3 * n
        self.b.enqueue(self.redis, total)
        counters = self.b.Counters(self.redis)
        counters.start()
        meter = self.b.CPUMeter(self.b.components())
        meter.start()
        t_spawn = time.time()
        workers = [self.b.start_worker("seq-%s-worker%d" % (label, i + 1)) for i in range(workers_count)]
        for w in workers:
            meter.components[w.name] = w.pid
            meter.base[w.name] = 0.0
        try:
            self.wait_until(workers, ATTEMPTS_SQL, total, label)
            self.wait_until(workers, "SELECT count(*) FROM deliveries WHERE status = 'succeeded'", total, label)
            cpu = meter.stop()
            stats = counters.stop(total)
        finally:
            self.stop_workers(workers)
        first, last = (float(v) for v in self.psql_row(
            "SELECT extract(epoch FROM min(started_at)), (SELECT extract(epoch FROM max(finished_at)) FROM deliveries) FROM delivery_attempts"))
        seen = self.arrivals()
        dups = sum(len(v) - 1 for v in seen.values() if len(v) > 1)
        if dups or sum(len(v) for v in seen.values()) != total:
            raise self.b.PhaseError("%s: %d arrivals for %d deliveries, %d duplicates" % (label, sum(len(v) for v in seen.values()), total, dups))
        return {"loadavg_before": self.loadavg, "leads": n, "workers": workers_count, "deliveries": total, "startup_s": round(first - t_spawn, 2),
                "seconds_first_attempt_to_last_commit": round(last - first, 2), "deliveries_per_s": round(total / (last - first), 1),
                "duplicates": dups, "cpu": cpu, "counters": stats,
                "cpu_ms_per_delivery": {k: round(1000 * v / total, 3) for k, v in cpu["cpu_s"].items()}}

    def paced(self, rate, seconds):
        label = "paced"
        n = rate * seconds
        self.b.step("sequences paced: %d leads/s for %d s (%d leads, %d steps/s offered at the peak), 1 Worker" % (rate, seconds, n, 3 * rate))
        self.reset()
        source = self.sequence_source(label, self.definition())
        workers = self.start_workers(1, "seq-paced")
        try:
            per_tick = max(1, rate // 10)
            ticks = (n + per_tick - 1) // per_tick
            # One transaction per 100 ms, paced by the server's clock: leads arrive the way an intake would write them.
            self.psql("""
                DO $$
                DECLARE t0 timestamptz := clock_timestamp();
                BEGIN
                    FOR i IN 0..%(last)d LOOP
                        PERFORM pg_sleep_until(t0 + i * interval '100 milliseconds');
                        COMMIT;  -- the insert's transaction starts now: enrolled_at (now()) is its time
                        %(insert)s
                        COMMIT;
                    END LOOP;
                END $$;""" % {"last": ticks - 1, "insert": self.leads_sql(source, 0, 0, label).replace(
                "generate_series(0, 0)", "generate_series(i * %d + 1, least((i + 1) * %d, %d))" % (per_tick, per_tick, n)).strip()})
            self.wait_until(workers, ATTEMPTS_SQL, 3 * n, label)
        finally:
            self.stop_workers(workers)
        result, _ = self.lateness(self.delays)
        result.update({"loadavg_before": self.loadavg, "leads": n, "rate_leads_per_s": rate, "seconds": seconds, "offered_steps_per_s": 3 * rate})
        if result["duplicates"] or result["arrivals"] != 3 * n:
            raise self.b.PhaseError("paced: %d arrivals (expected %d), %d duplicates" % (result["arrivals"], 3 * n, result["duplicates"]))
        return result

    def window_run(self, n):
        now = time.time()
        opens = (int(now + 30) // 60 + 1) * 60
        if time.gmtime(opens).tm_hour == 23 and time.gmtime(opens).tm_min >= 58:
            opens += 180
        closes = opens + 60
        window = Window(opens, closes)
        spec = {"start": time.strftime("%H:%M", time.gmtime(opens)), "end": time.strftime("%H:%M", time.gmtime(closes))}
        delays = ["5s", "90s"]
        self.b.step("sequences window: %d leads, window %s-%s UTC (opens in %.0f s), steps after 0, %s, %s; 1 Worker"
                    % (n, spec["start"], spec["end"], opens - now, delays[0], delays[1]))
        self.reset()
        source = self.sequence_source("window", self.definition(window=spec, delays=delays))
        workers = self.start_workers(1, "seq-window")
        try:
            self.enroll(source, n, "window")
            self.wait_until(workers, "SELECT count(*) FROM deliveries WHERE step_index = 0", n, "window step 1 scheduled")
            planned = self.psql_row("""SELECT count(*), count(*) FILTER (WHERE next_attempt_at = to_timestamp(%d))
                                       FROM deliveries WHERE step_index = 0""" % opens)
            self.wait_until(workers, "SELECT count(*) FROM deliveries WHERE step_index = 1 AND status = 'succeeded'", n, "window",
                            timeout_quiet=150)
            # Step 3 is due 90 s after step 2, past the close: it must wait for tomorrow's opening.
            self.wait_until(workers, "SELECT count(*) FROM deliveries WHERE step_index = 2", n, "window step 3 scheduled")
            settle = closes + 45 - time.time()
            self.b.step("  window: steps 1-2 sent; watching %.0f s past the close for a step 3" % settle)
            if settle > 0:
                time.sleep(settle)
        finally:
            self.stop_workers(workers)
        result, steps = self.lateness(delays, window=window)
        step3 = [s for (k, _), s in steps.items() if k == 3]
        waiting = sum(1 for s in step3 if s["status"] == "scheduled" and abs(s["next_attempt_at"] - (opens + 86400)) < 1)
        result.update({"loadavg_before": self.loadavg, "leads": n, "opens": opens, "closes": closes, "window_utc": spec, "delays": delays,
                       "step1_planned_at_opening": int(planned[1]),
                       "step3_waiting_for_next_opening": waiting, "step3_sent": sum(1 for s in step3 if s["attempts"])})
        if result["outside_window"] or result["duplicates"] or waiting != n:
            raise self.b.PhaseError("window: %d sent outside, %d duplicates, %d of %d step 3 waiting for the next opening"
                                    % (result["outside_window"], result["duplicates"], waiting, n))
        return result

    def idle_worker(self, label, seconds=25):
        """A fresh Worker left idle: its RSS and CPU, and PostgreSQL's statements, over `seconds`."""
        workers = self.start_workers(1, "seq-" + label)
        w = workers[0]
        try:
            time.sleep(3)
            counters = self.b.Counters(self.redis)
            counters.start()
            meter = self.b.CPUMeter(self.b.components({"worker": w.pid}))
            meter.start()
            time.sleep(seconds)
            cpu = meter.stop()
            stats = counters.stop(1)
            rss = self.b.rss_kb(w.pid)
        finally:
            self.stop_workers(workers)
        statements = stats["pg_statements"]
        return {"rss_kb": rss, "redis_used_memory": int(self.redis.info("memory")["used_memory"]), "cpu": cpu, "pg_exec_ms": round(sum(s["total_ms"] for s in statements), 1),
                "pg_statements": statements[:6], "redis_commands": stats["redis_commands"], "seconds": seconds}

    def explain(self, sql):
        out = self.psql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = json.loads(out)[0]
        top = plan["Plan"]
        return {"execution_ms": plan["Execution Time"], "planning_ms": plan["Planning Time"],
                "shared_hit": top.get("Shared Hit Blocks"), "shared_read": top.get("Shared Read Blocks"),
                "text": self.psql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)}

    PICK_SQL = """SELECT e.id, e.tenant_id, e.lead_id, e.snapshot::text, e.next_step, coalesce(e.last_step_at, e.enrolled_at), l.phone
        FROM sequence_enrollments e JOIN leads l ON l.id = e.lead_id
        WHERE e.needs_schedule AND e.status = 'active' ORDER BY e.id LIMIT 500 FOR UPDATE OF e SKIP LOCKED"""
    SWEEP_SQL = """SELECT id, coalesce(next_attempt_at, now()) FROM deliveries
        WHERE status IN ('retrying', 'scheduled') AND id > 0
          AND (next_attempt_at IS NULL OR next_attempt_at < now() - make_interval(secs => 120))
        ORDER BY id LIMIT 5000"""

    def plans(self):
        return {"scheduler_pick": self.explain(self.PICK_SQL), "sweeper_reschedule": self.explain(self.SWEEP_SQL)}

    def waiting(self, n):
        self.b.step("sequences waiting: a fresh idle Worker, then %d enrollments waiting a day, then another" % n)
        self.reset()
        source = self.sequence_source("waiting", self.definition())
        before = self.idle_worker("idle-empty")
        before["plans"] = self.plans()
        self.b.step("  waiting: writing %d leads, enrollments, scheduled step-2 deliveries and scheduled-set members" % n)
        t = time.time()
        sequence = self.psql("SELECT id, version, definition FROM sequences WHERE id = (SELECT sequence_id FROM sources WHERE id = '%s')"
                             % source).split("|")
        chunk, last_id = 100_000, 0
        for a in range(1, n + 1, chunk):
            b = min(n, a + chunk - 1)
            # Leads of the fan-out source (no trigger enrollment), then their enrollments as the scheduler leaves them.
            self.psql(self.leads_sql(self.fanout_source, a, b, "waiting") + """
                WITH e AS (
                    INSERT INTO sequence_enrollments (tenant_id, sequence_id, lead_id, sequence_version, snapshot, next_step,
                                                      next_due_at, needs_schedule, last_step_at, enrolled_by)
                    SELECT l.tenant_id, '%(seq)s', l.id, %(version)s, '%(definition)s'::jsonb, 1,
                           now() + interval '1 day', false, now(), 'bench'
                    FROM leads l WHERE l.id BETWEEN %(a)d AND %(b)d
                    RETURNING id, tenant_id, lead_id, next_due_at
                )
                INSERT INTO deliveries (tenant_id, lead_id, destination_id, status, next_attempt_at, enrollment_id, step_index)
                SELECT tenant_id, lead_id, '%(dest)s', 'scheduled', next_due_at, id, 1 FROM e;
                """ % {"seq": sequence[0], "version": sequence[1], "definition": sequence[2].replace("'", "''"),
                       "a": a, "b": b, "dest": self.destinations[1]})
            ids = self.b._pg.rows("SELECT id, (extract(epoch FROM next_attempt_at) * 1000)::bigint FROM deliveries "
                                  "WHERE id > %d ORDER BY id" % last_id)
            last_id = int(ids[-1][0])
            for i in range(0, len(ids), 10_000):
                args = ["ZADD", self.b.PREFIX + ":scheduled"]
                for delivery, score in ids[i:i + 10_000]:
                    args += [score, delivery]
                self.redis.cmd(*args)
            self.b.step("  waiting: %d / %d written (%.0f s)" % (b, n, time.time() - t))
        self.psql("VACUUM (ANALYZE) leads;\nVACUUM (ANALYZE) deliveries;\nVACUUM (ANALYZE) sequence_enrollments;\nCHECKPOINT;")
        counts = self.psql_row("SELECT (SELECT count(*) FROM sequence_enrollments WHERE status = 'active' AND NOT needs_schedule), "
                               "(SELECT count(*) FROM deliveries WHERE status = 'scheduled')")
        zcard = self.redis.cmd("ZCARD", self.b.PREFIX + ":scheduled")
        after = self.idle_worker("idle-waiting")
        after["plans"] = self.plans()
        if [int(c) for c in counts] != [n, n] or zcard != n:
            raise self.b.PhaseError("waiting: %s enrollments/deliveries and %d set members, expected %d" % (counts, zcard, n))
        return {"loadavg_before": self.loadavg, "waiting": n, "write_seconds": round(time.time() - t, 1), "empty": before, "with_waiting": after,
                "rss_change_pct": round(100.0 * (after["rss_kb"] - before["rss_kb"]) / before["rss_kb"], 1)}


class Window:
    """A one-off window [opens, closes) in epoch seconds (the phase's UTC window on its day)."""

    def __init__(self, opens, closes):
        self.opens, self.closes = opens, closes

    def contains(self, t):
        return self.opens <= t < self.closes

    def move_into(self, t):
        if t < self.opens:
            return self.opens
        if t >= self.closes:
            return self.opens + 86400
        return t


def summary(values):
    if not values:
        return None
    values = sorted(values)
    return {"n": len(values), "p50": round(percentile(values, 50), 1), "p99": round(percentile(values, 99), 1),
            "max": round(values[-1], 1), "min": round(values[0], 1)}


def run(redis, bench):
    """The phase: every run in turn; returns the results for worker-<stamp>.json."""
    s = Sequences(redis, bench)
    s.setup()
    env = bench.env
    n = int(env("BENCH_SEQ_LEADS", "100000"))
    result = {"delays": s.delays, "rate_limits": "none (http destinations; no per-recipient limit)", "runs": {}}
    for w in [int(x) for x in env("BENCH_SEQ_WORKERS", "1,2").split(",") if x.strip() and int(x) > 0]:
        burst = s.burst(n, w)
        fan = s.fanout(n, w)
        burst["ratio_to_fanout"] = round(burst["steps_per_s"] / fan["deliveries_per_s"], 3)
        result["runs"]["burst_w%d" % w] = burst
        result["runs"]["fanout_w%d" % w] = fan
    seconds = int(env("BENCH_SEQ_PACED_SECONDS", "60"))
    rate = int(env("BENCH_SEQ_PACED_RATE", "0"))
    if not rate:
        first = result["runs"].get("burst_w1")
        rate = max(10, int(first["steps_per_s"] / 2 / 3)) if first else 100
    if seconds:
        result["runs"]["paced"] = s.paced(rate, seconds)
    wn = int(env("BENCH_SEQ_WINDOW_LEADS", "2000"))
    if wn:
        result["runs"]["window"] = s.window_run(wn)
    waiting = int(env("BENCH_SEQ_WAITING", "1000000"))
    if waiting:
        result["runs"]["waiting"] = s.waiting(waiting)
    return result


def lat(s):
    return "-" if not s else "p50 %.0f / p99 %.0f / max %.0f ms" % (s["p50"], s["p99"], s["max"])


def report_rows(q, row):
    """The phase's lines in bench/worker's table (`row(what, value, target, ok)`)."""
    runs = q["runs"]
    for key in sorted(k for k in runs if k.startswith("burst_")):
        b = runs[key]
        f = runs.get(key.replace("burst_", "fanout_"))
        row("sequences: %s leads x 3 steps at once, %d Worker(s), load %s" % ("{:,}".format(b["leads"]), b["workers"], b["loadavg_before"][0]),
            "%.0f steps/s (fan-out %.0f/s: %.2fx)" % (b["steps_per_s"], f["deliveries_per_s"], b["ratio_to_fanout"]), "", None)
        row("  lateness, all steps (saturated: a backlog)", lat(b["all_steps_lateness_ms"]), "", None)
        row("  duplicates / attempts > 1", "%d / %d" % (b["duplicates"], b["attempts_over_one"]), "0", b["duplicates"] == 0)
    p = runs.get("paced")
    if p:
        row("sequences paced: %d leads/s (%d steps/s) for %d s, load %s" % (
            p["rate_leads_per_s"], p["offered_steps_per_s"], p["seconds"], p["loadavg_before"][0]),
            lat(p["all_steps_lateness_ms"]), "p99 <= 1000 ms",
            p["all_steps_lateness_ms"]["p99"] <= 1000)
        for k in (1, 2, 3):
            row("  step %d lateness" % k, lat(p["lateness_ms"]["step %d" % k]), "", None)
        row("  due-time approximation error (step 3)", lat(p["due_approximation_error_ms"]), "", None)
    w = runs.get("window")
    if w:
        row("sequences window %s-%s UTC: sent outside / duplicates" % (w["window_utc"]["start"], w["window_utc"]["end"]),
            "%d / %d (step 3 waiting for tomorrow: %d of %d)" % (w["outside_window"], w["duplicates"],
                                                                 w["step3_waiting_for_next_opening"], w["leads"]),
            "0 / 0", w["outside_window"] == 0 and w["duplicates"] == 0)
        row("  step 1 lateness after the opening", lat(w["lateness_ms"]["step 1"]), "", None)
    x = runs.get("waiting")
    if x:
        e, m = x["empty"], x["with_waiting"]
        row("sequences: idle Worker RSS, 0 vs %s waiting" % "{:,}".format(x["waiting"]),
            "%.1f -> %.1f MiB (%+.1f%%)" % (e["rss_kb"] / 1024, m["rss_kb"] / 1024, x["rss_change_pct"]), "", None)
        row("  idle Worker CPU / PostgreSQL statement time per %d s" % m["seconds"],
            "%.2f -> %.2f s / %.0f -> %.0f ms" % (e["cpu"]["cpu_s"]["worker"], m["cpu"]["cpu_s"]["worker"], e["pg_exec_ms"], m["pg_exec_ms"]),
            "", None)
        for name in ("scheduler_pick", "sweeper_reschedule"):
            row("  %s query" % name.replace("_", " "), "%.2f -> %.2f ms" % (e["plans"][name]["execution_ms"], m["plans"][name]["execution_ms"]),
                "", None)
