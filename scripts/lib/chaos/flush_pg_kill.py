"""flush-then-pg-kill (issue 21, item 8): the fault sequence of a run that once left 128 of 4,650
acknowledged leads undelivered for minutes. Bulk load from 3 clients; Redis `FLUSHALL`; 2 s
later `kill -9` of PostgreSQL's postmaster and every backend, and PostgreSQL started again (crash
recovery); the load goes on. `flush-then-pg-kill-1w` runs it with one Worker, `-2w` with two.

Checks: every lead the API answered 202 for is stored, delivered exactly once (one succeeded
attempt row, one 2xx at the CRM) and finished within CHAOS_FLUSHKILL_BOUND_S of being accepted or
of PostgreSQL's return, whichever is later; and, sampled every second, no `queued`, `pending` or
`processing` delivery went without being worked (claim renewed, or put on the stream again) for
longer than the reclaim limit.
"""
import os
import signal
import subprocess
import threading
import time

from ctx import ScenarioError, crm_records, setting, step
import load
from scenarios import RECLAIM_LIMIT_S, accepted_emails, check_crm_received, check_exactly_once, lead_ids, stack

runs = [0]


def children_of(pid):
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(name))
        except (OSError, ValueError, IndexError):
            pass
    return out


def alive(pid):
    """Still in the process table: a zombie counts, since `pg_ctl status` and the postmaster's lock
    file check (kill -0) take it for a running server."""
    return os.path.exists("/proc/%d" % pid)


def kill_postgres(ctx):
    """kill -9 of the postmaster, then of every process it had started (backends, checkpointer …),
    the way a host's OOM killer or a crash takes them; returns how many processes were killed."""
    with open(os.path.join(ctx.pg_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline().strip())
    backends = children_of(postmaster)
    for pid in [postmaster] + backends:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    ctx.wait_for(lambda: not any(alive(p) for p in [postmaster] + backends), 30, "PostgreSQL's processes to die")
    return 1 + len(backends)


def ready(ctx):
    try:
        return ctx.pg.run("SELECT 1") == "1"
    except ScenarioError:
        return False


class UnworkedWatch(threading.Thread):
    """Every second, the open delivery (`pending`, `queued`, `processing`) that has gone longest
    without being worked: for `processing` since `claimed_at` (a live worker renews it every
    staleClaim / 3), otherwise since `updated_at` (insert, or put on the stream again)."""

    SQL = """
        SELECT id, status, extract(epoch FROM clock_timestamp()
                                   - CASE WHEN status = 'processing' THEN claimed_at ELSE updated_at END)::float8
        FROM deliveries WHERE tenant_id = '%s' AND status IN ('pending', 'queued', 'processing')
        ORDER BY 3 DESC LIMIT 1"""

    def __init__(self, ctx, tenant):
        super().__init__(daemon=True)
        self.ctx, self.tenant = ctx, tenant
        self.worst = (0.0, None, None, None)  # (seconds, delivery id, status, at)
        self.samples = 0
        self.stop_event = threading.Event()

    def run(self):
        t0 = time.time()
        while not self.stop_event.wait(1.0):
            try:
                row = self.ctx.pg.row(self.SQL % self.tenant)
            except ScenarioError:
                continue  # PostgreSQL is down or recovering
            self.samples += 1
            if len(row) == 3 and float(row[2]) > self.worst[0]:
                self.worst = (float(row[2]), int(row[0]), row[1], round(time.time() - t0, 1))


def stuck_state(ctx, tenant):
    """What the open deliveries look like (for a run that did not finish): status, claim, age."""
    rows = ctx.pg.rows("""
        SELECT status, coalesce(claimed_by, '-'), count(*), round(extract(epoch FROM now() - min(updated_at))::numeric, 1),
               round(extract(epoch FROM now() - min(claimed_at))::numeric, 1)
        FROM deliveries WHERE tenant_id = '%s' AND status NOT IN ('succeeded', 'dead') GROUP BY 1, 2""" % tenant)
    redis = {}
    try:
        redis = {"xlen": ctx.redis_cmd("XLEN", ctx.stream), "epoch": ctx.redis_cmd("GET", ctx.prefix + ":epoch"),
                 "scheduled": ctx.redis_cmd("ZCARD", ctx.scheduled)}
        summary = ctx.redis_cmd("XPENDING", ctx.stream, ctx.group)
        redis["pending_entries"] = summary[0] if summary else 0
    except Exception as error:  # the group may not exist
        redis["error"] = str(error)
    return {"open": [{"status": r[0], "claimed_by": r[1], "count": int(r[2]), "oldest_update_s": r[3],
                      "oldest_claim_s": r[4]} for r in rows], "redis": redis}


def flush_then_pg_kill(ctx, checks, fig, workers_n):
    rate = setting("CHAOS_LOAD_RATE", 300)
    before_s, gap_s, after_s = setting("CHAOS_FLUSHKILL_BEFORE_S", 8), 2.0, setting("CHAOS_FLUSHKILL_AFTER_S", 8)
    bound_s = setting("CHAOS_FLUSHKILL_BOUND_S", RECLAIM_LIMIT_S)
    wait_s = setting("CHAOS_FLUSHKILL_WAIT_S", 360)
    runs[0] += 1
    slug = "fk%d" % runs[0]
    fig.update({"workers": workers_n, "worker_count": ctx.worker_count, "rate": rate, "clients": 3,
                "before_s": before_s, "after_s": after_s, "bound_s": bound_s})
    crm, seeded, api, workers = stack(ctx, slug, workers_n)
    tenant = seeded["tenant"]
    watch = UnworkedWatch(ctx, tenant)
    watch.start()
    step("flush-then-pg-kill: %d Worker(s); bulk load from 3 clients at %.0f leads/s; FLUSHALL after %.0f s, kill -9 of"
         " PostgreSQL %.0f s later" % (workers_n, rate, before_s, gap_s))
    t_start = time.time()
    loader = load.SteadyLoader(api.url, seeded["key"], slug, rate, batch=50, clients=3, timeout=15).start()
    time.sleep(before_s)
    t_flush = time.time()
    ctx.redis_cmd("FLUSHALL")
    time.sleep(max(0.0, t_flush + gap_s - time.time()))
    t_kill = time.time()
    killed = kill_postgres(ctx)
    ctx.start_postgres()
    ctx.wait_for(lambda: ready(ctx), 60, "PostgreSQL to accept connections after the restart", every=0.1)
    t_restored = time.time()
    fig["postgres_processes_killed"] = killed
    fig["postgres_down_s"] = round(t_restored - t_kill, 1)
    step("  FLUSHALL at +%.1f s; %d PostgreSQL processes killed at +%.1f s; started again after %.1f s"
         % (t_flush - t_start, killed, t_kill - t_flush, t_restored - t_kill))
    time.sleep(after_s)
    loader.stop()
    accepted = accepted_emails(loader.requests)
    summary = loader.summary()
    fig["answers"] = summary
    checks.info("API answers", ", ".join("%s: %d" % kv for kv in sorted(summary["statuses"].items())))
    stored = set(ctx.pg.run("SELECT email FROM leads WHERE tenant_id = '%s'" % tenant).split())
    checks.add("leads answered 202 but not stored", "%d of %d" % (len(accepted - stored), len(accepted)), "0",
               not (accepted - stored))
    expected = int(ctx.pg.run("SELECT count(*) FROM deliveries WHERE tenant_id = '%s'" % tenant))
    t_wait = time.time()
    try:
        ctx.wait_delivered(expected, tenant, seconds=wait_s, procs=[api] + workers)
        fig["all_finished_s_after_restart"] = round(time.time() - t_restored, 1)
        checks.info("all %d deliveries finished" % expected, "%.0f s after PostgreSQL was started again"
                    % fig["all_finished_s_after_restart"])
    except ScenarioError as error:
        fig["stuck"] = stuck_state(ctx, tenant)
        checks.add("all deliveries finished", str(error).splitlines()[0][:160], "within %.0f s" % wait_s, False)
        checks.info("open deliveries and Redis", fig["stuck"])
    fig["waited_s"] = round(time.time() - t_wait, 1)
    watch.stop_event.set()
    watch.join(10)
    worst = watch.worst
    fig["longest_unworked"] = {"s": round(worst[0], 1), "delivery": worst[1], "status": worst[2], "at_s": worst[3],
                               "samples": watch.samples}
    checks.add("longest a queued/pending/processing delivery went unworked (sampled each second)",
               "%.1f s (%s %s)" % (worst[0], worst[2] or "-", worst[1] or "-"), "<= %d s" % RECLAIM_LIMIT_S,
               worst[0] <= RECLAIM_LIMIT_S)
    late = ctx.pg.row("""
        SELECT count(*) FILTER (WHERE finished_at IS NULL),
               coalesce(max(extract(epoch FROM finished_at) - greatest(extract(epoch FROM created_at), %f)), 0)
        FROM deliveries WHERE tenant_id = '%s'""" % (t_restored, tenant))
    fig["slowest_finish_s"] = round(float(late[1]), 1)
    checks.add("slowest delivery: finished after max(accepted, PostgreSQL back)", "%.1f s (%s unfinished)" % (float(late[1]), late[0]),
               "<= %.0f s" % bound_s, int(late[0]) == 0 and float(late[1]) <= bound_s)
    check_exactly_once(ctx, checks, tenant, expected)
    extra, _ = check_crm_received(checks, crm_records(crm), lead_ids(ctx, tenant))
    fig["crm_duplicates"] = extra
    checks.add("CRM: leads answered 2xx more than once", extra, "0", extra == 0)
    ctx.check_alive([api] + workers)
    fig["stopped"] = stop_in_parallel(ctx, STOP_GRACE_S)
    checks.info("SIGTERM -> exit (s, status; -9: still running after %d s, killed)" % STOP_GRACE_S,
                ", ".join("%s %.1f s %s" % (name, t, status) for name, (t, status) in sorted(fig["stopped"].items())))


STOP_GRACE_S = 15


def stop_in_parallel(ctx, grace):
    """SIGTERM to every process of the scenario at once, SIGKILL after `grace` s; {name: (seconds, status)}."""
    out = {}

    def stop(proc):
        t0 = time.time()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        out[proc.bench_name] = (round(time.time() - t0, 1), proc.returncode)

    procs = list(ctx.running)
    threads = [threading.Thread(target=stop, args=(proc,)) for proc in procs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for proc in procs:  # the pid file is rewritten per call: one at a time
        ctx.procs.unregister(proc.pid)
        ctx.running.remove(proc)
    return out


SCENARIOS = {
    "flush-then-pg-kill-1w": lambda ctx, checks, fig: flush_then_pg_kill(ctx, checks, fig, 1),
    "flush-then-pg-kill-2w": lambda ctx, checks, fig: flush_then_pg_kill(ctx, checks, fig, 2),
}
