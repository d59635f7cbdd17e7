"""The fault scenarios of scripts/chaos. Each takes the Context, a Checks and a dict of figures,
runs against fresh lead tables and queue, and leaves every process it started stopped."""
import json
import os
import sys
import threading
import time
import urllib.request

from ctx import ScenarioError, crm_records, duplicates, env, scaled, setting, step
import load

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
import bulk_load  # noqa: E402
import harness  # noqa: E402

BASE_DELAY_S = 10  # RetryPolicy.baseDelay
JITTER = (0.8, 1.2)  # RetryPolicy jitter
RECLAIM_LIMIT_S = 60


def arm(crm):
    with urllib.request.urlopen(crm.url + "/arm", timeout=10) as r:
        return json.load(r)["armed"]


def preload(ctx, api, key, tag, n, batch=1000, clients=2):
    """n distinct leads through the bulk API as fast as it takes them (bulk_load.run)."""
    leads = [load.lead(tag, i) for i in range(n)]
    try:
        summary = bulk_load.run(api.url, key, leads, None, batch, clients, None, 0)
    except bulk_load.LoadError as error:
        raise ScenarioError("loading %d leads failed: %s" % (n, error))
    if summary["accepted"] != n:
        raise ScenarioError("loaded %d leads, the API accepted %d" % (n, summary["accepted"]))
    return summary


def stored_emails(ctx, tenant):
    return set(ctx.pg.run("SELECT email FROM leads WHERE tenant_id = '%s'" % tenant).split())


def check_exactly_once(ctx, checks, tenant, expected):
    """Every delivery succeeded, with exactly one succeeded attempt row."""
    counts = ctx.delivery_counts(tenant)
    checks.add("deliveries succeeded", "%d of %d (%s)" % (counts.get("succeeded", 0), expected,
                                                           ", ".join("%s %d" % kv for kv in sorted(counts.items()))),
               "all", counts.get("succeeded", 0) == expected and sum(counts.values()) == expected)
    row = ctx.pg.row("""
        SELECT count(*) FILTER (WHERE ok <> 1), count(*) FILTER (WHERE ok = 0), coalesce(sum(other), 0)
        FROM (SELECT d.id, count(a.id) FILTER (WHERE a.outcome = 'succeeded') AS ok,
                     count(a.id) FILTER (WHERE a.outcome <> 'succeeded') AS other
              FROM deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id
              WHERE d.tenant_id = '%s' GROUP BY d.id) x""" % tenant)
    not_once, none = int(row[0]), int(row[1])
    checks.add("deliveries without exactly one succeeded attempt row", "%d (%d with none)" % (not_once, none), "0",
               not_once == 0)
    return int(row[2])


def check_crm_received(checks, records, lead_ids, label="CRM"):
    got = {lead for _, _, lead, status in records if 200 <= status < 300}
    missing = [lead for lead in lead_ids if lead not in got]
    checks.add("%s: leads never answered 2xx" % label, "%d of %d" % (len(missing), len(lead_ids)), "0", not missing)
    dups = duplicates(records)
    total = sum(n - 1 for leads in dups.values() for n in leads.values())
    where = ", ".join("%s: %d leads" % (path, len(leads)) for path, leads in dups.items() if leads) or "none"
    checks.info("%s: duplicate sends (a lead answered 2xx more than once)" % label, "%d extra (%s)" % (total, where))
    return total, {path: len(leads) for path, leads in dups.items()}


def lead_ids(ctx, tenant):
    return [int(x) for x in ctx.pg.run("SELECT id FROM leads WHERE tenant_id = '%s'" % tenant).split()]


# ---------------------------------------------------------------------------------------------
# 1. worker-crash


def consumers(ctx):
    """{consumer name: pending entries} of the delivery stream's group."""
    try:
        reply = ctx.redis_cmd("XINFO", "CONSUMERS", ctx.stream, ctx.group)
    except harness.RedisError:
        return {}
    out = {}
    for flat in reply:
        fields = dict(zip(flat[0::2], flat[1::2]))
        out[fields[b"name"].decode()] = int(fields[b"pending"])
    return out


def pending_of(ctx, consumer):
    reply = ctx.redis_cmd("XPENDING", ctx.stream, ctx.group, "-", "+", 100000, consumer)
    return [entry[0].decode() for entry in reply]


def worker_crash(ctx, checks, fig):
    n = scaled("CHAOS_CRASH_DELIVERIES", 50000, 500)
    count = int(env("CHAOS_CRASH_WORKERS", "3"))
    every = setting("CHAOS_KILL_EVERY_S", 6)
    fig.update({"deliveries": n, "workers": count, "worker_count": ctx.worker_count, "kill_every_s": every,
                "seed": ctx.random_seed})
    crm, seeded, api, _ = stack(ctx, "crash", 0)
    step("worker-crash: loading %d leads (one delivery each) through the bulk API" % n)
    fig["load"] = {k: v for k, v in preload(ctx, api, seeded["key"], "crash", n).items() if k in ("elapsed_s", "leads_per_s")}
    ctx.stop(api)
    ctx.wait_for(lambda: ctx.delivery_counts().get("pending", 0) == 0, 60, "every delivery on the stream")
    step("worker-crash: %d Workers (WORKER_COUNT=%d) draining; kill -9 of a random one every %.0f s" % (count, ctx.worker_count, every))
    serial = [0]

    def new_worker():
        serial[0] += 1
        return ctx.start_worker("crash-worker-%d" % serial[0])

    workers = [new_worker() for _ in range(count)]
    t0 = time.time()
    kills = []
    # The first kill comes 1 s in: a fast drain of a small run (CHAOS_SCALE=0.2: 10,000 deliveries
    # at ~3,500/s) used to finish before the first kill at `every` seconds.
    next_kill = t0 + min(every, 1.0)
    stop_killing_below = max(1, int(0.05 * n))
    while True:
        now = time.time()
        counts = ctx.delivery_counts()
        finished = counts.get("succeeded", 0) + counts.get("dead", 0)
        open_work = n - finished
        tracking = [k for k in kills if k["reclaimed_s"] is None or k["db_released_s"] is None]
        for k in tracking:
            if k["reclaimed_s"] is None and not pending_of(ctx, k["consumer"]):
                k["reclaimed_s"] = round(time.time() - k["t"], 1)
            if k["db_released_s"] is None and ctx.pg.run(
                    "SELECT count(*) FROM deliveries WHERE claimed_by = '%s' AND status = 'processing'" % k["consumer"]) == "0":
                k["db_released_s"] = round(time.time() - k["t"], 1)
        if open_work == 0 and not tracking:
            break
        if now - t0 > ctx.timeout:
            raise ScenarioError("not finished after %d s: %s; kills still tracked: %s" % (ctx.timeout, counts, tracking))
        if now >= next_kill and open_work > stop_killing_below:
            victim = ctx.random.choice(workers)
            names = [c for c in consumers(ctx) if "-%d-" % victim.pid in c]
            consumer = names[0] if names else None
            ctx.kill9(victim)
            t_kill = time.time()
            workers.remove(victim)
            if consumer:
                entries = pending_of(ctx, consumer)
                processing = int(ctx.pg.run("SELECT count(*) FROM deliveries WHERE claimed_by = '%s' AND status = 'processing'" % consumer))
                kills.append({"t": t_kill, "at_s": round(t_kill - t0, 1), "pid": victim.pid, "consumer": consumer,
                              "pending_entries": len(entries), "processing_rows": processing,
                              "reclaimed_s": None if entries else 0.0, "db_released_s": None if processing else 0.0})
                step("  killed %s (pid %d): %d pending entries, %d processing rows; %d open deliveries"
                     % (victim.bench_name, victim.pid, len(entries), processing, open_work))
            workers.append(new_worker())
            next_kill = time.time() + every
        ctx.check_alive(workers)
        time.sleep(0.5)
    drain_s = time.time() - t0
    records = crm_records(crm)
    ctx.stop_all()
    fig["drain_s"] = round(drain_s, 1)
    fig["deliveries_per_s"] = round(n / drain_s, 1)
    fig["kills"] = [{k: v for k, v in kill.items() if k != "t"} for kill in kills]
    checks.info("drain with kills", "%d deliveries in %.0f s (%.0f/s), %d kills" % (n, drain_s, n / drain_s, len(kills)))
    checks.add("workers killed with kill -9", len(kills), ">= 1", len(kills) >= 1)
    other = check_exactly_once(ctx, checks, seeded["tenant"], n)
    checks.info("attempt rows that did not succeed", other)
    reclaim = [k["reclaimed_s"] for k in kills]
    released = [k["db_released_s"] for k in kills]
    fig["reclaim_s_max"] = max(reclaim) if reclaim else None
    checks.add("killed consumer's stream entries re-claimed (XPENDING empty), worst kill",
               "%.1f s (per kill: %s)" % (max(reclaim), ", ".join("%.0f" % r for r in reclaim)) if reclaim else "-",
               "<= %d s" % RECLAIM_LIMIT_S, bool(reclaim) and max(reclaim) <= RECLAIM_LIMIT_S)
    checks.add("killed worker's processing rows back in work, worst kill",
               "%.1f s (per kill: %s)" % (max(released), ", ".join("%.0f" % r for r in released)) if released else "-",
               "<= %d s" % RECLAIM_LIMIT_S, bool(released) and max(released) <= RECLAIM_LIMIT_S)
    extra, by_path = check_crm_received(checks, records, lead_ids(ctx, seeded["tenant"]))
    fig["crm_requests"] = len(records)
    fig["crm_duplicates"] = extra
    fig["crm_duplicate_leads_by_path"] = by_path
    lost_in_flight = sum(k["processing_rows"] for k in kills)
    checks.info("deliveries in flight in killed workers (upper bound for duplicates)", lost_in_flight)


# ---------------------------------------------------------------------------------------------
# 2. redis-outage, redis-wipe


def kill_redis(ctx):
    """kill -9 of redis-server (what a crashed or vanished Redis looks like to clients)."""
    with open(os.path.join(ctx.redis_dir, "redis.pid")) as f:
        pid = int(f.read().strip())
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    ctx.wait_for(lambda: not ctx.redis_up(), 30, "Redis to go away")


def stack(ctx, slug, workers):
    """Fresh tables and queue, a CRM answering 200, a tenant whose api source delivers to it, IngestAPI and Workers."""
    ctx.reset()
    crm = ctx.start_crm({"paths": {}}, slug + "-crm")
    seeded = ctx.seed(slug, {"crm": {"url": crm.url + "/" + slug}})
    api = ctx.start_api(slug + "-ingestapi")
    return crm, seeded, api, [ctx.start_worker("%s-worker-%d" % (slug, i + 1)) for i in range(workers)]


def finish_steady(ctx, checks, fig, stack_, stored, t_restored, service):
    """Waits for every stored lead to be delivered; checks exactly-once, the CRM, survivors."""
    crm, seeded, api, workers = stack_
    ctx.wait_delivered(stored, seeded["tenant"], procs=workers)
    fig["delivered_s_after_restore"] = round(time.time() - t_restored, 1)
    checks.info("everything delivered, after %s was back" % service, "%.0f s" % fig["delivered_s_after_restore"])
    check_exactly_once(ctx, checks, seeded["tenant"], stored)
    fig["crm_duplicates"], _ = check_crm_received(checks, crm_records(crm), lead_ids(ctx, seeded["tenant"]))
    ctx.check_alive([api] + workers)
    checks.add("IngestAPI and Workers survived (paused and resumed by themselves)", "yes", "yes", True)
    ctx.stop_all()


def steady_phase(ctx, api, key, tag, before_s, fault, fault_s, after_s, rate=None, batch=None, observe=None):
    """Steady load for before_s, fault() (returns what to undo), fault_s, observe() (if given), undo,
    after_s; returns (loader, t_fault, t_restored)."""
    rate = rate or setting("CHAOS_LOAD_RATE", 300)
    batch = batch or int(setting("CHAOS_LOAD_BATCH", 50))
    loader = load.SteadyLoader(api.url, key, tag, rate, batch=batch, clients=4).start()
    time.sleep(before_s)
    t_fault = time.time()
    undo = fault()
    time.sleep(fault_s)
    if observe:
        observe()
    undo()
    t_restored = time.time()
    time.sleep(after_s)
    loader.stop()
    return loader, t_fault, t_restored


def accepted_emails(records):
    return {email for r in records if r["status"] == 202 for email, _, _ in r["accepted"]}


def check_answers(checks, loader, t_fault, t_restored, allowed):
    summary = loader.summary()
    during = [r for r in loader.requests if t_fault <= r["t"] <= t_restored]
    bad = {k: v for k, v in summary["statuses"].items() if k not in allowed}
    checks.add("API answers, whole run", ", ".join("%s: %d" % kv for kv in sorted(summary["statuses"].items())),
               "only %s" % "/".join(allowed), not bad)
    d = loader.summary(during)
    normal = loader.summary([r for r in loader.requests if r["t"] < t_fault])
    checks.info("API answer time before the fault", "p50 %s ms, max %s ms" % (normal["answer_ms_p50"], normal["answer_ms_max"]))
    checks.info("API answers during the fault", "%s (answer ms p50 %s, max %s)" % (
        ", ".join("%s: %d" % kv for kv in sorted(d["statuses"].items())) or "none", d["answer_ms_p50"], d["answer_ms_max"]))
    return summary, d


def redis_outage(ctx, checks, fig):
    outage = scaled("CHAOS_REDIS_OUTAGE_S", 60, 10)
    fig.update({"outage_s": outage, "rate": setting("CHAOS_LOAD_RATE", 300), "batch": int(setting("CHAOS_LOAD_BATCH", 50))})
    crm, seeded, api, workers = stack(ctx, "redis", 2)
    step("redis-outage: steady bulk load; Redis killed for %d s after 10 s" % outage)

    def fault():
        kill_redis(ctx)
        return ctx.start_redis

    seen = {}

    def observe():
        seen.update(ctx.delivery_counts(seeded["tenant"]))

    loader, t_fault, t_restored = steady_phase(ctx, api, seeded["key"], "redis", 10, fault, outage, 15, observe=observe)
    ctx.check_alive([api] + workers)
    summary, during = check_answers(checks, loader, t_fault, t_restored, ["202"])
    fig["answers"], fig["answers_during_outage"] = summary, during
    accepted = accepted_emails(loader.requests)
    sent = {e for r in loader.requests for e in r["emails"]}
    stored = stored_emails(ctx, seeded["tenant"])
    checks.add("leads answered 202 but not stored", len(accepted - stored), "0", not (accepted - stored))
    checks.info("leads sent / accepted / stored", "%d / %d / %d" % (len(sent), len(accepted), len(stored)))
    checks.info("deliveries at the end of the outage", ", ".join("%s %d" % kv for kv in sorted(seen.items())))
    finish_steady(ctx, checks, fig, (crm, seeded, api, workers), len(stored), t_restored, "Redis")


def redis_wipe(ctx, checks, fig):
    backlog = scaled("CHAOS_WIPE_BACKLOG", 5000, 200)
    retries = scaled("CHAOS_WIPE_RETRIES", 100, 20)
    retry_after = setting("CHAOS_WIPE_RETRY_AFTER_S", 60)
    fig.update({"backlog": backlog, "retrying": retries, "retry_after_s": retry_after})
    ctx.reset()
    crm = ctx.start_crm({"paths": {"/wipe-retry": {"mode": "r429", "first": 1, "retry_after": retry_after}}}, "wipe-crm")
    queued = ctx.seed("wipe", {"crm": {"url": crm.url + "/wipe"}})
    retrying = ctx.seed("wipe-retry", {"crm-retry": {"url": crm.url + "/wipe-retry"}})
    api = ctx.start_api("wipe-ingestapi")
    worker = ctx.start_worker("wipe-worker-0")
    step("redis-wipe: %d leads whose first attempt gets 429 + Retry-After %.0f s" % (retries, retry_after))
    preload(ctx, api, retrying["key"], "wipe-retry", retries, batch=retries)
    ctx.wait_for(lambda: ctx.delivery_counts(retrying["tenant"]).get("retrying", 0) == retries, 120,
                 "%d deliveries retrying" % retries, every=0.5)
    due_max = float(ctx.pg.run("SELECT extract(epoch FROM max(next_attempt_at)) FROM deliveries WHERE tenant_id = '%s'"
                               % retrying["tenant"]))
    ctx.stop(worker)
    step("redis-wipe: Workers stopped; %d leads queued on the stream" % backlog)
    preload(ctx, api, queued["key"], "wipe", backlog)
    ctx.wait_for(lambda: ctx.delivery_counts(queued["tenant"]).get("queued", 0) == backlog, 60, "backlog queued")
    xlen = ctx.redis_cmd("XLEN", ctx.stream)
    zcard = ctx.redis_cmd("ZCARD", ctx.scheduled)
    step("redis-wipe: stream %d entries, %d scheduled retries; kill -9 Redis, delete its files, start it empty" % (xlen, zcard))
    kill_redis(ctx)
    ctx.wipe_redis_data()
    ctx.start_redis()
    t_wipe = time.time()
    after = (ctx.redis_cmd("XLEN", ctx.stream), ctx.redis_cmd("ZCARD", ctx.scheduled), ctx.redis_cmd("DBSIZE"))
    checks.add("Redis after the wipe: stream, scheduled, keys", "%d, %d, %d (before: %d, %d)" % (after + (xlen, zcard)),
               "0, 0, 0", after == (0, 0, 0))
    workers = [ctx.start_worker("wipe-worker-1"), ctx.start_worker("wipe-worker-2")]
    ctx.wait_delivered(backlog, queued["tenant"], procs=workers, label="queued backlog")
    fig["backlog_delivered_s_after_wipe"] = round(time.time() - t_wipe, 1)
    checks.info("queued backlog delivered, after the wipe", "%.0f s" % fig["backlog_delivered_s_after_wipe"])
    ctx.wait_delivered(retries, retrying["tenant"], procs=workers, label="retries")
    # Each retry was due Retry-After after its first attempt ended; how far from that was the second attempt?
    row = ctx.pg.row("""
        SELECT count(*) FILTER (WHERE lag < -0.3), coalesce(max(lag), 0), coalesce(min(lag), 0) FROM (
            SELECT extract(epoch FROM a2.started_at - a1.started_at) - a1.duration_ms / 1000.0 - %f AS lag
            FROM delivery_attempts a1 JOIN delivery_attempts a2 ON a2.delivery_id = a1.delivery_id AND a2.attempt = 2
            JOIN deliveries d ON d.id = a1.delivery_id WHERE d.tenant_id = '%s' AND a1.attempt = 1) x"""
                     % (retry_after, retrying["tenant"]))
    early, late, earliest = int(row[0]), float(row[1]), float(row[2])
    fig["retry_second_attempt_vs_due_s"] = {"latest": round(late, 1), "earliest": round(earliest, 1), "early": early}
    checks.add("retrying deliveries: second attempt after its due time (Retry-After %.0f s), latest" % retry_after,
               "%+.0f s (latest due %.0f s after the wipe)" % (late, due_max - t_wipe), "<= +30 s", late <= 30)
    checks.add("retrying deliveries: second attempt before its due time", "%d (earliest %+.1f s)" % (early, earliest), "0",
               early == 0)
    check_exactly_once(ctx, checks, queued["tenant"], backlog)
    check_exactly_once(ctx, checks, retrying["tenant"], retries)
    records = crm_records(crm)
    fig["crm_duplicates"], _ = check_crm_received(checks, records, lead_ids(ctx, queued["tenant"]) + lead_ids(ctx, retrying["tenant"]))
    ctx.stop_all()


# ---------------------------------------------------------------------------------------------
# 3. postgres-restart


def postgres_restart(ctx, checks, fig):
    down = int(setting("CHAOS_PG_DOWN_S", 15))  # longer than the API's 10 s database timeout (DatabaseUnavailable.timeLimit)
    fig.update({"down_s": down, "rate": setting("CHAOS_LOAD_RATE", 300)})
    crm, seeded, api, workers = stack(ctx, "pg", 2)
    step("postgres-restart: steady bulk load; PostgreSQL stopped (pg_ctl stop -m fast) for %d s after 10 s" % down)

    def fault():
        ctx.stop_postgres()
        return ctx.start_postgres

    loader, t_fault, t_restored = steady_phase(ctx, api, seeded["key"], "pg", 10, fault, down, 20)
    ctx.check_alive([api] + workers)
    summary, during = check_answers(checks, loader, t_fault, t_restored, ["202", "503"])
    fig["answers"], fig["answers_during_outage"] = summary, during
    errors = summary["statuses"].get("500", 0)
    checks.add("HTTP 500 answers", errors, "0", errors == 0)
    no_retry_after = sum(1 for r in loader.requests if r["status"] == 503 and not r["retry_after"])
    checks.add("503 answers without Retry-After", no_retry_after, "0", no_retry_after == 0)
    first_ok = min((r["t"] for r in loader.requests if r["status"] == 202 and r["t"] > t_restored), default=None)
    if first_ok:
        fig["first_202_s_after_start"] = round(first_ok - t_restored, 1)
        checks.info("first 202 after PostgreSQL was started again", "%.1f s" % (first_ok - t_restored))
    accepted = accepted_emails(loader.requests)
    stored = stored_emails(ctx, seeded["tenant"])
    missing = accepted - stored
    checks.add("leads answered 202 but not in the database", len(missing), "0", not missing)
    # What a client does with 503 + Retry-After: send the same request (same Idempotency-Key) again.
    again = loader.resend_failed()
    unanswered = sum(1 for r in loader.requests if r["status"] != 202)
    fig["resent_requests"] = len(again)
    sent = {e for r in loader.requests for e in r["emails"]}
    stored = stored_emails(ctx, seeded["tenant"])
    checks.add("leads sent (503s re-sent) and not stored", "%d of %d" % (len(sent - stored), len(sent)), "0", not (sent - stored))
    checks.info("requests re-sent after 503 / still not 202", "%d / %d" % (unanswered, sum(1 for r in again if r["status"] != 202) if again else 0))
    attempts_after = ctx.pg.run("SELECT extract(epoch FROM min(started_at)) FROM delivery_attempts WHERE started_at > to_timestamp(%f)"
                                % t_restored)
    if attempts_after:
        fig["first_attempt_s_after_start"] = round(float(attempts_after) - t_restored, 1)
        checks.info("Workers' first delivery attempt after PostgreSQL was back", "%.1f s" % fig["first_attempt_s_after_start"])
    finish_steady(ctx, checks, fig, (crm, seeded, api, workers), len(stored), t_restored, "PostgreSQL")


# ---------------------------------------------------------------------------------------------
# 4. crm-faults


def attempts_of(ctx, destination):
    """{delivery id: [(attempt, start epoch, duration s, outcome, error class, http status)]}."""
    out = {}
    for row in ctx.pg.rows("""
            SELECT a.delivery_id, a.attempt, extract(epoch FROM a.started_at), a.duration_ms, a.outcome,
                   coalesce(a.error_class, ''), coalesce(a.http_status, 0)
            FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
            WHERE d.destination_id = '%s' ORDER BY a.delivery_id, a.attempt""" % destination):
        out.setdefault(int(row[0]), []).append((int(row[1]), float(row[2]), int(row[3]) / 1000.0, row[4], row[5], int(row[6])))
    return out


def retry_waits(attempts, hint=None, slack=5.0):
    """Checks each wait between a retryable attempt's end and the next start against RetryPolicy:
    10 s doubling per attempt, x0.8..1.2 jitter, at least the destination's hint. Returns
    (violations, waits [(attempt, wait, low, high)])."""
    waits, bad = [], []
    for rows in attempts.values():
        for a, b in zip(rows, rows[1:]):
            if a[3] != "retryable":
                continue
            planned = BASE_DELAY_S * 2 ** (a[0] - 1)
            low, high = JITTER[0] * planned, JITTER[1] * planned
            if hint:
                low, high = max(low, hint), max(high, hint)
            wait = b[1] - (a[1] + a[2])
            waits.append((a[0], round(wait, 2), low, high))
            if not (low - 0.3 <= wait <= high + slack):
                bad.append((a[0], round(wait, 2), low, high))
    return bad, waits


def sliding_max(times, window):
    """Most arrivals in any window of `window` seconds."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def crm_faults(ctx, checks, fig):
    m = scaled("CHAOS_CRM_LEADS", 100, 20)
    outage = scaled("CHAOS_CRM_OUTAGE_S", 120, 20)
    hang_for = scaled("CHAOS_CRM_HANG_S", 30, 10)
    cf_for = scaled("CHAOS_CRM_CF_S", 45, 10)
    retry_after = setting("CHAOS_CRM_RETRY_AFTER_S", 20)
    limit, interval_ms = int(setting("CHAOS_CRM_RATE", 10)), int(setting("CHAOS_CRM_RATE_MS", 1000))
    timeout_ms = 10000  # the destination default (destinations.timeout_ms)
    fig.update({"leads": m, "outage_s": outage, "hang_s": hang_for, "cloudflare_s": cf_for, "retry_after_s": retry_after,
                "rate_limit": "%d per %d ms" % (limit, interval_ms), "timeout_ms": timeout_ms})
    ctx.reset()
    plan = {"/flaky": {"mode": "fail", "status": 500, "for_s": outage},
            "/hang": {"mode": "hang", "for_s": hang_for, "seconds": 1.5 * timeout_ms / 1000},
            "/r429": {"mode": "r429", "first": 1, "retry_after": retry_after},
            "/cloudflare": {"mode": "cloudflare", "for_s": cf_for},
            "/limited": {"mode": "ok"}}
    crm = ctx.start_crm({"paths": plan}, "crm-faults-crm")
    dests = {name.strip("/"): {"url": crm.url + name, "sql": {"account_key": "'chaos:%s'" % name.strip("/")}} for name in plan}
    dests["limited"]["sql"].update({"rate_limit_requests": limit, "rate_limit_interval_ms": interval_ms})
    seeded = ctx.seed("crm", dests)
    api = ctx.start_api("crm-ingestapi")
    workers = [ctx.start_worker("crm-worker-1"), ctx.start_worker("crm-worker-2")]
    t0 = arm(crm)
    step("crm-faults: %d leads x 5 destinations (500 for %d s, hang for %d s, 429 + Retry-After %.0f s, Cloudflare for %d s,"
         " %d per %d ms)" % (m, outage, hang_for, retry_after, cf_for, limit, interval_ms))
    preload(ctx, api, seeded["key"], "crm", m, batch=m)
    ctx.wait_delivered(5 * m, seeded["tenant"], procs=workers, seconds=ctx.timeout + outage)
    done_s = time.time() - t0
    fig["all_delivered_s"] = round(done_s, 1)
    checks.info("all %d deliveries finished" % (5 * m), "%.0f s after the faults began" % done_s)
    check_exactly_once(ctx, checks, seeded["tenant"], 5 * m)
    records = crm_records(crm)
    ids = seeded["destinations"]
    slack = setting("CHAOS_RETRY_SLACK_S", 5)

    def per_destination(name, fault_end, error_class, hint=None):
        attempts = attempts_of(ctx, ids[name])
        counts = [len(rows) for rows in attempts.values()]
        bad, waits = retry_waits(attempts, hint, slack)
        wrong_class = sum(1 for rows in attempts.values() for a in rows
                          if a[3] == "retryable" and a[4] != error_class)
        finished = float(ctx.pg.run("SELECT extract(epoch FROM max(finished_at)) FROM deliveries WHERE destination_id = '%s'" % ids[name]))
        fig[name] = {"attempts_per_delivery": {str(k): counts.count(k) for k in sorted(set(counts))},
                     "last_delivered_s": round(finished - t0, 1), "waits_s": sorted({w[1] for w in waits})[:3] + sorted({w[1] for w in waits})[-3:],
                     "wait_violations": bad[:10]}
        checks.add("%s: attempts per delivery; last delivered" % name, "%s; %.0f s" % (
            ", ".join("%d x %d" % (k, counts.count(k)) for k in sorted(set(counts))), finished - t0),
            "<= 8 attempts" + ("; after %.0f s" % fault_end if fault_end else ""), max(counts) <= 8)
        checks.add("%s: retry waits outside RetryPolicy (%s)" % (name, "max(10 s x 2^(n-1) x 0.8..1.2, %.0f s)" % hint if hint
                                                                else "10 s x 2^(n-1) x 0.8..1.2"),
                   "%d of %d" % (len(bad), len(waits)), "0 (+%.0f s slack)" % slack, not bad)
        checks.add("%s: failed attempts not classified %s" % (name, error_class), wrong_class, "0", wrong_class == 0)
        if fault_end:
            early = sum(1 for t, p, _, s in records if p == "/" + name and 200 <= s < 300 and t < t0 + fault_end)
            checks.add("%s: 2xx answers before the fault ended" % name, early, "0", early == 0)
        return attempts

    per_destination("flaky", outage, "server_error")
    hang = per_destination("hang", hang_for, "timeout")
    timeouts = [a[2] for rows in hang.values() for a in rows if a[4] == "timeout"]
    if timeouts:
        checks.add("hang: duration of timed-out attempts", "%.2f..%.2f s" % (min(timeouts), max(timeouts)),
                   "%.0f..%.0f s" % (timeout_ms / 1000, timeout_ms / 1000 + 2),
                   timeout_ms / 1000 - 0.05 <= min(timeouts) and max(timeouts) <= timeout_ms / 1000 + 2)
    per_destination("r429", None, "rate_limited", hint=retry_after)
    per_destination("cloudflare", cf_for, "cloudflare_challenge")
    arrivals = [t for t, p, _, _ in records if p == "/limited"]
    worst = sliding_max(arrivals, interval_ms / 1000.0)
    fig["limited"] = {"arrivals": len(arrivals), "max_in_window": worst,
                      "span_s": round(max(arrivals) - min(arrivals), 1) if arrivals else None}
    checks.add("limited: most CRM arrivals in any %d ms window" % interval_ms, "%d (%d arrivals over %.0f s)" % (
        worst, len(arrivals), fig["limited"]["span_s"] or 0), "<= %d" % limit, worst <= limit)
    fig["crm_duplicates"], _ = check_crm_received(checks, records, lead_ids(ctx, seeded["tenant"]))
    ctx.stop_all()


# ---------------------------------------------------------------------------------------------
# 5. soak


def tcp_states():
    """{socket inode: (TCP state (hex), remote port)} of the machine's (network namespace's) TCP sockets."""
    states = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    states[parts[9]] = (parts[3], int(parts[2].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return states


def fd_usage(pid, states, peers):
    """(open fds, established TCP connections, {peer: connections}) of a process; `peers` names
    remote ports (PostgreSQL, Redis, the CRM); other connections count as "other"."""
    fds, tcp, by_peer = 0, 0, {}
    try:
        entries = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return None, None, {}
    for fd in entries:
        fds += 1
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        state = states.get(link[8:-1]) if link.startswith("socket:[") else None
        if state and state[0] == "01":
            tcp += 1
            peer = peers.get(state[1], "other")
            by_peer[peer] = by_peer.get(peer, 0) + 1
    return fds, tcp, by_peer


class Sampler(threading.Thread):
    def __init__(self, procs, every, progress, peers):
        super().__init__(daemon=True)
        self.procs, self.every, self.progress, self.peers = procs, every, progress, peers
        self.samples = []
        self.stop_event = threading.Event()

    def run(self):
        t0 = time.time()
        while not self.stop_event.is_set():
            states = tcp_states()
            sample = {"t": round(time.time() - t0, 1)}
            sample.update(self.progress())
            for name, proc in self.procs.items():
                fds, tcp, by_peer = fd_usage(proc.pid, states, self.peers)
                sample[name] = {"rss_kb": harness.rss_kb(proc.pid), "fds": fds, "tcp": tcp, "peers": by_peer,
                                "non_tcp_fds": None if fds is None else fds - tcp}
            self.samples.append(sample)
            self.stop_event.wait(self.every)


def flat_check(checks, samples, name, key, warm_index, end_index, what):
    series = [s[name][key] for s in samples[warm_index:end_index + 1] if s[name][key] is not None]
    if not series:
        return None
    warm = series[0]
    if key == "rss_kb":
        excursion = 100.0 * max(abs(v - warm) for v in series) / warm
        end_change = 100.0 * (series[-1] - warm) / warm
        checks.add("%s RSS after warm-up (%s): warm / end / max; largest excursion" % (name, what),
                   "%.1f / %.1f / %.1f MiB; %.1f%% (end %+.1f%%)" % (warm / 1024, series[-1] / 1024, max(series) / 1024,
                                                                      excursion, end_change), "within ±10%", excursion <= 10)
        return {"warm_kb": warm, "end_kb": series[-1], "max_kb": max(series), "excursion_pct": round(excursion, 1)}
    # Files, pipes, eventfds: a leak grows to the end. No growth: the last third of the window
    # never exceeds what was reached before it (+ slack).
    third = max(1, len(series) // 3)
    before, last = max(series[:-third] or series), max(series[-third:])
    slack = max(2, int(0.05 * before))
    checks.add("%s open fds other than TCP connections: warm / end / max; max of the last third vs before it" % name,
               "%d / %d / %d; %d vs %d" % (warm, series[-1], max(series), last, before),
               "last third <= before + %d" % slack, last <= before + slack)
    return {"warm": warm, "end": series[-1], "max": max(series), "last_third_max": last, "before_max": before}


def pool_check(checks, samples, name, warm, end, bounds):
    """TCP connections per peer stay within the pools that own them (a leak would pass the bound)."""
    window = samples[warm:end + 1]
    most = {}
    for s in window:
        for peer, n in (s[name]["peers"] or {}).items():
            most[peer] = max(most.get(peer, 0), n)
    first = window[0][name]["peers"] if window else {}
    last = window[-1][name]["peers"] if window else {}
    over = [peer for peer, n in most.items() if n > bounds.get(peer, bounds["other"])]
    checks.add("%s TCP connections by peer: warm / end / most" % name,
               "; ".join("%s %d / %d / %d" % (peer, first.get(peer, 0), last.get(peer, 0), n) for peer, n in sorted(most.items())),
               "most <= " + ", ".join("%s %d" % kv for kv in sorted(bounds.items())), not over)
    return {"most": most, "warm": first, "end": last, "bounds": bounds}


def soak(ctx, checks, fig):
    n = scaled("CHAOS_SOAK_LEADS", 200000, 2000)
    rate = setting("CHAOS_SOAK_RATE", 600)
    every = setting("CHAOS_SAMPLE_S", 2)
    fig.update({"leads": n, "rate": rate, "sample_s": every})
    crm, seeded, api, (worker,) = stack(ctx, "soak", 1)
    loader = load.SteadyLoader(api.url, seeded["key"], "soak", rate, batch=100, clients=2, limit=n)

    def progress():
        return {"sent": loader.next_lead,
                "delivered": int(ctx.pg.run("SELECT coalesce(max(id), 0) FROM delivery_attempts"))}

    peers = {ctx.pg_port: "postgres", ctx.redis_port: "redis", int(crm.url.rsplit(":", 1)[1]): "crm"}
    sampler = Sampler({"api": api, "worker": worker}, every, progress, peers)
    step("soak: %d leads at %.0f/s through IngestAPI -> 1 Worker -> CRM; RSS, fds, TCP sampled every %.0f s" % (n, rate, every))
    t0 = time.time()
    sampler.start()
    loader.start()
    deadline = t0 + ctx.timeout + n / rate
    next_report = t0 + 30
    while not loader.done():
        ctx.check_alive([api, worker])
        if time.time() > deadline:
            raise ScenarioError("loader not done after %d s" % (time.time() - t0))
        if time.time() >= next_report:
            last = sampler.samples[-1] if sampler.samples else {}
            step("  soak: %s sent, %s attempts; api %s, worker %s" % (last.get("sent"), last.get("delivered"), last.get("api"), last.get("worker")))
            next_report += 30
        time.sleep(1)
    t_sent = time.time()
    loader.stop()
    accepted = accepted_emails(loader.requests)
    ctx.wait_delivered(len(accepted), seeded["tenant"], procs=[api, worker], seconds=ctx.timeout + n / 200)
    t_done = time.time()
    time.sleep(2 * every)
    sampler.stop_event.set()
    sampler.join(10)
    samples = sampler.samples
    fig["samples"] = samples
    fig["send_s"], fig["total_s"] = round(t_sent - t0, 1), round(t_done - t0, 1)
    summary = loader.summary()
    bad = {k: v for k, v in summary["statuses"].items() if k != "202"}
    checks.add("API answers", ", ".join("%s: %d" % kv for kv in sorted(summary["statuses"].items())), "only 202", not bad)
    checks.info("leads sent / accepted; achieved rate", "%d / %d; %.0f leads/s over %.0f s, delivered %.0f s after the start"
                % (loader.next_lead, len(accepted), loader.next_lead / (t_sent - t0), t_sent - t0, t_done - t0))
    check_exactly_once(ctx, checks, seeded["tenant"], len(accepted))
    records = crm_records(crm)
    fig["crm_duplicates"], _ = check_crm_received(checks, records, lead_ids(ctx, seeded["tenant"]))
    # Warm-up ends with the first sample at least CHAOS_SOAK_WARM_S into the run with
    # CHAOS_SOAK_WARM_PCT of the leads sent (API) / delivered (Worker); the window ends with the
    # last sample with work to do. RSS at the first sample 30 s in is reported as well.
    warm_s = setting("CHAOS_SOAK_WARM_S", 30)

    def index(pred, default):
        return next((i for i, s in enumerate(samples) if pred(s)), default)
    last = len(samples) - 1
    warm_pct = setting("CHAOS_SOAK_WARM_PCT", 20) / 100
    api_warm = index(lambda s: s["sent"] >= warm_pct * n and s["t"] >= warm_s, 0)
    api_end = index(lambda s: s["t"] >= t_sent - t0, last)
    worker_warm = index(lambda s: s["delivered"] >= warm_pct * len(accepted) and s["t"] >= warm_s, 0)
    worker_end = index(lambda s: s["t"] >= t_done - t0, last)
    fig["warm_up"] = {"api_s": samples[api_warm]["t"], "worker_s": samples[worker_warm]["t"]}
    early = index(lambda s: s["t"] >= warm_s, 0)
    checks.info("RSS %.0f s in -> warm-up end -> end (api; worker)" % samples[early]["t"], "%.1f -> %.1f -> %.1f; %.1f -> %.1f -> %.1f MiB" % tuple(
        (samples[i][name]["rss_kb"] or 0) / 1024 for name, w, e in (("api", api_warm, api_end), ("worker", worker_warm, worker_end))
        for i in (early, w, e)))
    fig["api_rss"] = flat_check(checks, samples, "api", "rss_kb", api_warm, api_end,
                                "%.0f s -> last lead sent" % samples[api_warm]["t"])
    fig["worker_rss"] = flat_check(checks, samples, "worker", "rss_kb", worker_warm, worker_end,
                                   "%.0f s -> all delivered" % samples[worker_warm]["t"])
    # Sockets belong to pools that open connections as concurrency needs them (and may close idle
    # ones): bounded by the pool sizes — WORKER_COUNT calls to the CRM, DATABASE_MAX_CONNECTIONS to
    # PostgreSQL; Redis gets 8 (one hiredis connection per pool thread), inbound API clients 8.
    bounds = {"crm": ctx.worker_count, "postgres": int(os.environ.get("DATABASE_MAX_CONNECTIONS") or 20), "redis": 8, "other": 8}
    for name, warm, end in (("api", api_warm, api_end), ("worker", worker_warm, worker_end)):
        fig[name + "_fds"] = flat_check(checks, samples, name, "non_tcp_fds", warm, end, "")
        fig[name + "_tcp"] = pool_check(checks, samples, name, warm, end, bounds)
    ctx.stop_all()


SCENARIOS = {
    "worker-crash": worker_crash,
    "redis-outage": redis_outage,
    "redis-wipe": redis_wipe,
    "postgres-restart": postgres_restart,
    "crm-faults": crm_faults,
    "soak": soak,
}
