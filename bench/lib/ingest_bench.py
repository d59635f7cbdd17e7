#!/usr/bin/env python3
"""The measuring half of `bench/ingest` (Python 3 stdlib only). `bench/ingest` sets up the
servers and calls:

  ingest_bench.py machine OUT.json   print the machine / software facts, save them
  ingest_bench.py run                 prepare data, run the phases, print the table, write results

`run` reads its context from BENCH_* environment variables exported by `bench/ingest`.

Phases (each starts from empty `leads`/`deliveries` tables and a CHECKPOINT):
  bulk-api   gen_leads.py JSON sent by bench/lib/bulk_load.py (1,000-lead requests, 4 clients)
  bulk-copy  psql `\\copy` of the same rows, normalized as the API stores them, into `leads`
  csv-api    a ~BENCH_CSV_MB MB gen_leads.py CSV streamed to POST /api/imports (skipped on 404),
             server RSS sampled every 100 ms from /proc/<pid>/status
  csv-copy   psql `\\copy` of the same CSV into an UNLOGGED text-column staging table
"""
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bulk_load  # noqa: E402
import harness  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGETS = {"api_leads_per_s": 20000, "api_copy_ratio": 0.30, "csv_rows_per_s": 20000, "csv_peak_rss_mb": 150}
LEAD_COLUMNS = ["tenant_id", "source_id", "channel", "dedup_hash", "first_name", "last_name", "email",
                "phone", "phone_raw", "postal_code", "notes", "extra", "raw"]


env = harness.env_reader("ingest_bench", "bench/ingest")
say, step = harness.say, harness.step


class PhaseError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Machine facts


def command_output(args, default="unknown"):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=60).stdout.strip() or default
    except (OSError, subprocess.TimeoutExpired):
        return default


def machine_facts():
    cpu_model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_mb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    pg_bin = env("BENCH_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    root = env("BENCH_ROOT", os.getcwd())
    commit = command_output(["git", "-C", root, "rev-parse", "--short=12", "HEAD"])
    dirty = command_output(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"], default="")
    swift = command_output([env("BENCH_SWIFT", "swift"), "--version"]).splitlines()
    return {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hostname": platform.node(),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_mb": mem_mb,
        "kernel": platform.release(),
        "loadavg_at_start": list(os.getloadavg()),
        "postgresql": command_output([os.path.join(pg_bin, "postgres"), "--version"]),
        "redis": command_output(["redis-server", "--version"]),
        "swift": swift[0] if swift else "unknown",
        "python": platform.python_version(),
        "curl": command_output(["curl", "--version"]).splitlines()[0],
        "git_commit": commit,
        "git_uncommitted_changes": bool(dirty),
        "build": env("BENCH_BUILD_DESC", "release"),
        "command": env("BENCH_COMMAND", "bash bench/ingest"),
    }


def print_machine(m):
    load = ", ".join("%.2f" % x for x in m["loadavg_at_start"])
    say("command:    %s" % m["command"])
    say("date:       %s  host %s" % (m["date_utc"], m["hostname"]))
    say("machine:    %s CPUs (nproc), %s, %s MB RAM, Linux %s" % (m["nproc"], m["cpu_model"], m["memory_mb"], m["kernel"]))
    say("load avg:   %s at start%s" % (load, "   (WARNING: the machine is not idle; figures will be low and noisy)"
                                        if m["loadavg_at_start"][0] > 0.5 * (m["nproc"] or 1) else ""))
    say("software:   %s; %s" % (m["postgresql"], m["redis"].split(" sha=")[0]))
    say("            %s; Python %s; %s" % (m["swift"], m["python"], m["curl"].split(" (")[0]))
    say("code:       commit %s%s" % (m["git_commit"], " + uncommitted changes" if m["git_uncommitted_changes"] else ""))
    say("build:      %s" % m["build"])
    say("config:     %s leads as %s-lead requests from %s clients; CSV %s MiB; dup-rate %s, seed %s; phases %s; PostgreSQL %s"
        % (env("BENCH_LEADS", "200000"), env("BENCH_BATCH", "1000"), env("BENCH_CLIENTS", "4"), env("BENCH_CSV_MB", "100"),
           env("BENCH_DUP_RATE", "0.05"), env("BENCH_SEED", "1"), env("BENCH_PHASES", "bulk,csv,webhook"), env("BENCH_PG_MODE", "durable")))


# ---------------------------------------------------------------------------------------------
# PostgreSQL through psql


class Postgres:
    def __init__(self, port, database, user="leadrelay"):
        self.base = ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", database,
                     "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]

    def run(self, script, timeout=3600):
        result = subprocess.run(self.base + ["-f", "-"], input=script, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise PhaseError("psql failed: %s\nscript:\n%s" % (result.stderr.strip(), script[:2000]))
        return result.stdout

    def value(self, sql):
        return self.run(sql + ";\n").strip()

    def reset_leads(self):
        """Empty lead tables and flush dirty pages, so every phase starts from the same state; also
        empties Redis (no Worker drains the stream here) and compacts its append-only file, so a
        phase does not pay for Redis rewriting an earlier phase's stream entries."""
        self.run("TRUNCATE leads, deliveries, delivery_attempts CASCADE;\n")
        redis = harness.Redis(env("BENCH_REDIS_PORT"), timeout=60)
        redis.cmd("FLUSHDB")
        if redis.info("persistence").get("aof_enabled") == "1":
            while redis.info("persistence").get("aof_rewrite_in_progress") == "1":
                time.sleep(0.1)
            redis.cmd("BGREWRITEAOF")
            time.sleep(0.1)
            while redis.info("persistence").get("aof_rewrite_in_progress") == "1" or \
                    redis.info("persistence").get("aof_rewrite_scheduled") == "1":
                time.sleep(0.1)
        self.run("CHECKPOINT;\n")

    def timed_copy(self, copy_command):
        """Runs one psql `\\copy`, timed by the server clock right before and after it (psql's own
        start-up and connection are not in the window). Also returns the CPU time of the backend
        that ran it, read from /proc inside the same session."""
        cpu = "\\! echo %s $(cut -d' ' -f14,15 /proc/$BENCH_BACKEND_PID/stat)\n"
        script = ("SELECT pg_backend_pid() AS bench_backend_pid \\gset\n\\setenv BENCH_BACKEND_PID :bench_backend_pid\n"
                  + cpu % "cpu-before"
                  + "SELECT 'start ' || extract(epoch FROM clock_timestamp());\n%s\n" % copy_command
                  + "SELECT 'end ' || extract(epoch FROM clock_timestamp());\n"
                  + cpu % "cpu-after")
        wall = time.perf_counter()
        out = self.run(script)
        wall = time.perf_counter() - wall
        tagged = {}
        for line in out.splitlines():
            parts = line.split()
            if parts and parts[0] in ("start", "end", "cpu-before", "cpu-after"):
                tagged[parts[0]] = [float(x) for x in parts[1:]]
        if set(tagged) != {"start", "end", "cpu-before", "cpu-after"}:
            raise PhaseError("could not read the COPY timestamps and CPU from psql output: %r" % out[:300])
        backend_cpu = (sum(tagged["cpu-after"]) - sum(tagged["cpu-before"])) / CLK_TCK
        return tagged["end"][0] - tagged["start"][0], wall, backend_cpu

    def lead_fill(self, source_id):
        """How many rows of a source have each column filled: shows the baseline writes what the API writes."""
        row = self.value("""
            SELECT count(*), count(first_name), count(last_name), count(email), count(phone), count(phone_raw),
                   count(postal_code), count(notes), count(raw), count(*) FILTER (WHERE extra <> '{}'),
                   count(*) FILTER (WHERE flags <> '{}')
            FROM leads WHERE source_id = '%s'""" % source_id)
        names = ["rows", "first_name", "last_name", "email", "phone", "phone_raw", "postal_code", "notes", "raw",
                 "extra_nonempty", "flags_nonempty"]
        return dict(zip(names, (int(x) for x in row.split("|"))))

    def hash_digest(self, source_id):
        return self.value("SELECT coalesce(md5(string_agg(encode(dedup_hash, 'hex'), ',' ORDER BY dedup_hash)), '') "
                          "FROM leads WHERE source_id = '%s'" % source_id)


# ---------------------------------------------------------------------------------------------
# CPU and memory accounting from /proc


def proc_cpu_seconds(pid, children=False):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields[0] is field 3 (state); utime=14, stime=15, cutime=16, cstime=17.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def postgres_cpu_seconds(postmaster_pid):
    """CPU of the postmaster and every backend, including backends that already exited
    (their time is in the postmaster's cutime/cstime once reaped)."""
    total = proc_cpu_seconds(postmaster_pid, children=True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster_pid:  # field 4: ppid
            total += proc_cpu_seconds(int(entry))
    return total


class CPUMeter:
    def __init__(self, server_pid, postmaster_pid):
        self.server_pid, self.postmaster_pid = server_pid, postmaster_pid

    def snapshot(self):
        children = os.times()
        return {
            "ingestapi": proc_cpu_seconds(self.server_pid) if self.server_pid else 0.0,
            "postgres": postgres_cpu_seconds(self.postmaster_pid),
            "client": (children.user + children.system + children.children_user + children.children_system),
        }

    @staticmethod
    def delta(before, after, elapsed):
        d = {k: round(after[k] - before[k], 2) for k in before}
        d["cpu_utilization_of_machine"] = round(sum(after[k] - before[k] for k in before) / (elapsed * os.cpu_count()), 2)
        return d


def read_status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise PhaseError("%s not in /proc/%d/status" % (field, pid))


class RSSSampler:
    """Samples VmRSS every `interval` s in a thread; resets and reads VmHWM around the window."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval = pid, interval
        self.samples = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.hwm_reset = False

    def loop(self):
        while not self.stop.is_set():
            try:
                self.samples.append(read_status_kb(self.pid, "VmRSS"))
            except (OSError, PhaseError):
                return
            self.stop.wait(self.interval)

    def __enter__(self):
        self.before_kb = read_status_kb(self.pid, "VmRSS")
        try:  # "5" resets the peak RSS (VmHWM) so it covers this window only.
            with open("/proc/%d/clear_refs" % self.pid, "w") as f:
                f.write("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        try:
            self.hwm_kb = read_status_kb(self.pid, "VmHWM")
            self.after_kb = read_status_kb(self.pid, "VmRSS")
        except (OSError, PhaseError):
            self.hwm_kb = self.after_kb = None

    def summary(self):
        sampled = max(self.samples) if self.samples else None
        peak = max(x for x in (sampled, self.hwm_kb if self.hwm_reset else None) if x is not None) if sampled else None
        mb = lambda kb: round(kb / 1024, 1) if kb is not None else None
        return {
            "rss_before_mb": mb(self.before_kb),
            "rss_after_mb": mb(self.after_kb),
            "rss_sampled_max_mb": mb(sampled),
            "vmhwm_mb": mb(self.hwm_kb),
            "vmhwm_reset_before_phase": self.hwm_reset,
            "peak_rss_mb": mb(peak),
            "samples": len(self.samples),
            "sample_interval_s": self.interval,
        }


# ---------------------------------------------------------------------------------------------
# Test data


def gen_leads_digest(gen):
    with open(gen, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:8]


def run_gen(gen, args, out_path):
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    tmp = out_path + ".part"
    with open(tmp, "wb") as f:
        subprocess.run([sys.executable, gen] + args, stdout=f, check=True)
    os.replace(tmp, out_path)


def clean_name(value):
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    return cleaned or None


def normalize_like_api(lead):
    """The row the API stores for one gen_leads.py lead (gen_leads emits E.164 phones, valid
    emails and the canonical keys first_name/last_name/email/phone/notes plus the alias `zip`)."""
    first, last = clean_name(lead.get("first_name")), clean_name(lead.get("last_name"))
    email = (lead.get("email") or "").strip() or None
    if email:
        local, _, domain = email.rpartition("@")
        email = local + "@" + domain.lower()
    phone = (lead.get("phone") or "").strip() or None
    notes = (lead.get("notes") or "").strip() or None
    postal = clean_name(lead.get("zip"))
    digest = hashlib.sha256()
    digest.update(b"v1\x1f")
    for part in (email.lower() if email else None, first.lower() if first else None,
                 last.lower() if last else None, phone):
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest(), first, last, email, phone, postal, notes


def prepare_bulk(cache, gen, count, dup_rate, seed, work, tenant_id, source_id):
    name = "leads-%d-dup%s-seed%d-%s.json" % (count, dup_rate, seed, gen_leads_digest(gen))
    path = os.path.join(cache, name)
    if os.path.exists(path):
        step("bulk data: reusing %s" % path)
    else:
        step("bulk data: generating %d leads (gen_leads.py --format json --dup-rate %s --seed %d)" % (count, dup_rate, seed))
        run_gen(gen, [str(count), "--format", "json", "--dup-rate", str(dup_rate), "--seed", str(seed)], path)
    with open(path, encoding="utf-8") as f:
        leads = json.load(f)["leads"]
    # The COPY baseline: the same leads normalized the way the API stores them, first
    # occurrence of each dedup key only (the table's unique key would refuse the rest).
    copy_path = os.path.join(work, "bulk-copy.csv")
    warm_path = os.path.join(work, "bulk-copy-warmup.csv")
    seen = set()
    with open(copy_path, "w", newline="", encoding="utf-8") as f, open(warm_path, "w", newline="", encoding="utf-8") as w:
        writer, warm = csv.writer(f), csv.writer(w)
        for lead in leads:
            digest, first, last, email, phone, postal, notes = normalize_like_api(lead)
            if digest in seen:
                continue
            seen.add(digest)
            row = [tenant_id, source_id, "api", "\\x" + digest, first, last, email, phone, phone,
                   postal, notes, "{}", json.dumps(lead, ensure_ascii=False)]
            writer.writerow(row)
            if len(seen) <= 1000:
                warm.writerow(row)
    hashes_md5 = hashlib.md5(",".join(sorted(seen)).encode()).hexdigest()
    return {"file": path, "leads": leads, "unique": len(seen), "copy_file": copy_path, "copy_warmup_file": warm_path,
            "hashes_md5": hashes_md5}


def prepare_csv(cache, gen, megabytes, dup_rate, seed, work):
    target = int(megabytes * 1024 * 1024)
    digest = gen_leads_digest(gen)
    name = "leads-%smb-dup%s-seed%d-%s.csv" % (megabytes, dup_rate, seed, digest)
    path = os.path.join(cache, name)
    meta_path = path + ".meta.json"
    if os.path.exists(path) and os.path.exists(meta_path):
        step("CSV data: reusing %s" % path)
        with open(meta_path) as f:
            meta = json.load(f)
    else:
        sample = os.path.join(work, "sample.csv")
        run_gen(gen, ["20000", "--format", "csv", "--dup-rate", str(dup_rate), "--seed", str(seed)], sample)
        per_row = os.path.getsize(sample) / 20000
        rows = max(100, int(target / per_row))
        step("CSV data: generating ~%s MB = %d rows (gen_leads.py --format csv --dup-rate %s --seed %d)"
             % (megabytes, rows, dup_rate, seed))
        run_gen(gen, [str(rows), "--format", "csv", "--dup-rate", str(dup_rate), "--seed", str(seed)], path)
        seen = set()
        records = 0
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames
            for row in reader:
                records += 1
                seen.add(normalize_like_api(row)[0])
        meta = {"rows": records, "unique": len(seen), "header": header, "bytes": os.path.getsize(path)}
        with open(meta_path, "w") as f:
            json.dump(meta, f)
    # A small file from the same data for the untimed warm-up / endpoint probe.
    warm = os.path.join(work, "csv-warmup.csv")
    with open(path, newline="", encoding="utf-8") as src, open(warm, "w", newline="", encoding="utf-8") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        for i, row in enumerate(reader):
            if i > 50:
                break
            writer.writerow(row)
    meta.update({"file": path, "warmup_file": warm})
    return meta


# ---------------------------------------------------------------------------------------------
# Phases


def wait_for_queue_drain(pg, timeout=600):
    """Waits until the server's enqueuer has moved every new delivery to Redis (status queued)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if int(pg.value("SELECT count(*) FROM deliveries WHERE status = 'pending'")) == 0:
            return time.time()
        time.sleep(0.1)
    raise PhaseError("deliveries still pending %d s after the last answer" % timeout)


def phase_bulk_api(ctx, pg, cpu, data):
    step("phase bulk-api: %d leads, %d-lead requests, %d clients" % (len(data["leads"]), ctx["batch"], ctx["clients"]))
    pg.reset_leads()
    before = cpu.snapshot()
    with RSSSampler(ctx["server_pid"]) as rss:
        summary = bulk_load.run(ctx["api_url"], ctx["api_key"], data["leads"], ctx["api_source"], ctx["batch"],
                                ctx["clients"], ctx["warmup_source"], 10, log=sys.stderr)
    after = cpu.snapshot()
    drained_at = wait_for_queue_drain(pg)
    summary["cpu_seconds"] = CPUMeter.delta(before, after, summary["elapsed_s"])
    summary["server_memory"] = rss.summary()
    summary["queue_drained_s_after_last_answer"] = round(max(0.0, drained_at - summary["end_epoch"]), 2)
    stored = int(pg.value("SELECT count(*) FROM leads WHERE source_id = '%s'" % ctx["api_source_id"]))
    deliveries = int(pg.value("SELECT count(*) FROM deliveries d JOIN leads l ON l.id = d.lead_id "
                              "WHERE l.source_id = '%s'" % ctx["api_source_id"]))
    summary["stored_leads"] = stored
    summary["stored_deliveries"] = deliveries
    summary["expected_unique"] = data["unique"]
    if stored != summary["accepted"]:
        raise PhaseError("the API reported %d accepted but %d leads are in the table" % (summary["accepted"], stored))
    if deliveries != stored * ctx["destinations"]:
        raise PhaseError("%d deliveries for %d leads x %d destination(s)" % (deliveries, stored, ctx["destinations"]))
    if summary["rejected"]:
        say("NOTE: the API rejected %d generated leads, e.g. %s" % (summary["rejected"], summary["rejected_examples"][:1]))
    summary["fill"] = pg.lead_fill(ctx["api_source_id"])
    summary["dedup_keys_match_baseline"] = pg.hash_digest(ctx["api_source_id"]) == data["hashes_md5"]
    return summary


def phase_bulk_copy(ctx, pg, cpu, data):
    step("phase bulk-copy: psql \\copy of the %d distinct rows into leads (after an untimed 1,000-row warm-up COPY)" % data["unique"])
    pg.reset_leads()
    pg.timed_copy("\\copy leads (%s) FROM '%s' WITH (FORMAT csv)" % (", ".join(LEAD_COLUMNS), data["copy_warmup_file"]))
    pg.reset_leads()
    seconds, wall, backend_cpu = pg.timed_copy("\\copy leads (%s) FROM '%s' WITH (FORMAT csv)" % (", ".join(LEAD_COLUMNS), data["copy_file"]))
    stored = int(pg.value("SELECT count(*) FROM leads WHERE source_id = '%s'" % ctx["api_source_id"]))
    if stored != data["unique"]:
        raise PhaseError("COPY stored %d rows, expected %d" % (stored, data["unique"]))
    fill = pg.lead_fill(ctx["api_source_id"])
    digest = pg.hash_digest(ctx["api_source_id"])
    pg.reset_leads()
    return {"rows": stored, "elapsed_s": seconds, "psql_wall_s": wall, "rows_per_s": stored / seconds,
            "cpu_seconds": {"copy_backend": round(backend_cpu, 2)}, "fill": fill,
            "dedup_keys_match_prepared": digest == data["hashes_md5"], "file_bytes": os.path.getsize(data["copy_file"])}


def post_csv(ctx, path, source, timeout):
    """Streams `path` to POST /api/imports with curl (-T reads the file as it sends; --data-binary
    @file would first load the whole file into curl's memory). Returns (status, body, seconds)."""
    url = "%s/api/imports?source=%s" % (ctx["api_url"], urllib.parse.quote(source, safe=""))
    out = os.path.join(ctx["work"], os.path.basename(path) + ".response")
    args = ["curl", "-sS", "-X", "POST", "-T", path, "-H", "Content-Type: text/csv", "-H", "Expect:",
            "-H", "Authorization: Bearer " + ctx["api_key"], "-o", out, "-w", "%{http_code}",
            "--max-time", str(timeout), url]
    began = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise PhaseError("curl failed (exit %d): %s" % (result.returncode, result.stderr.strip()))
    with open(out, "rb") as f:
        body = f.read()
    return int(result.stdout.strip() or 0), body, seconds


def get_import(ctx, import_id):
    request = urllib.request.Request("%s/api/imports/%s" % (ctx["api_url"], urllib.parse.quote(str(import_id))),
                                     headers={"Authorization": "Bearer " + ctx["api_key"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def finish_import(ctx, answer, deadline):
    """The import's final state: the answer itself when completed, else polled until it is."""
    while answer.get("status") == "receiving" and time.time() < deadline:
        time.sleep(0.1)
        answer = get_import(ctx, answer["id"])
    return answer


def check_import(answer, expected_rows, what):
    missing = [k for k in ("id", "status", "rows_total", "accepted", "duplicates", "rejected") if k not in answer]
    if missing:
        raise PhaseError("%s: the answer lacks %s: %s" % (what, ", ".join(missing), json.dumps(answer)[:500]))
    if answer["status"] != "completed":
        raise PhaseError("%s: import status %r (failure: %s)" % (what, answer["status"], answer.get("failure_reason")))
    total = answer["accepted"] + answer["duplicates"] + answer["rejected"]
    if total != answer["rows_total"]:
        raise PhaseError("%s: accepted %d + duplicates %d + rejected %d != rows_total %d"
                         % (what, answer["accepted"], answer["duplicates"], answer["rejected"], answer["rows_total"]))
    if expected_rows is not None and answer["rows_total"] != expected_rows:
        raise PhaseError("%s: rows_total %d, but the file has %d data rows" % (what, answer["rows_total"], expected_rows))


def phase_csv_api(ctx, pg, cpu, data):
    step("phase csv-api: probing POST /api/imports with a 50-row file (untimed warm-up)")
    status, body, _ = post_csv(ctx, data["warmup_file"], ctx["csv_warmup_source"], 120)
    if status == 404:
        text = body.decode("utf-8", "replace").strip()
        try:
            error = json.loads(text).get("error") if text else None
        except (ValueError, AttributeError):
            error = None
        if error:  # the route exists; something else (e.g. the source) was not found
            raise PhaseError("warm-up import: HTTP 404: %s" % text[:500])
        return {"skipped": True, "reason": "POST /api/imports answered 404 without an API error body: the CSV import "
                "endpoint is not there yet" + ("; body: %s" % text[:300] if text else "")}
    if not 200 <= status < 300:
        raise PhaseError("warm-up import: HTTP %d: %s" % (status, body[:500].decode("utf-8", "replace")))
    warm = finish_import(ctx, json.loads(body), time.time() + 120)
    check_import(warm, 50, "warm-up import")

    step("phase csv-api: streaming %.1f MB (%d rows) with curl" % (data["bytes"] / 1e6, data["rows"]))
    pg.reset_leads()
    before = cpu.snapshot()
    with RSSSampler(ctx["server_pid"]) as rss:
        began = time.perf_counter()
        status, body, upload_s = post_csv(ctx, data["file"], ctx["csv_source"], 3600)
        if not 200 <= status < 300:
            raise PhaseError("import: HTTP %d: %s" % (status, body[:500].decode("utf-8", "replace")))
        answer = json.loads(body)
        answered_status = answer.get("status")
        answer = finish_import(ctx, answer, time.time() + 3600)
        elapsed = time.perf_counter() - began
    after = cpu.snapshot()
    check_import(answer, data["rows"], "import")
    stored = int(pg.value("SELECT count(*) FROM leads WHERE source_id = '%s'" % ctx["csv_source_id"]))
    if stored != answer["accepted"]:
        raise PhaseError("the import reported %d accepted but %d leads are in the table" % (answer["accepted"], stored))
    memory = rss.summary()
    return {"skipped": False, "rows": answer["rows_total"], "bytes": data["bytes"], "elapsed_s": elapsed,
            "upload_s": upload_s, "status_when_answered": answered_status, "rows_per_s": answer["rows_total"] / elapsed,
            "accepted": answer["accepted"], "duplicates": answer["duplicates"], "rejected": answer["rejected"],
            "expected_unique": data["unique"], "stored_leads": stored, "import_id": answer["id"],
            "server_memory": memory, "peak_rss_mb": memory["peak_rss_mb"],
            "cpu_seconds": CPUMeter.delta(before, after, elapsed)}


def phase_csv_copy(ctx, pg, cpu, data):
    step("phase csv-copy: psql \\copy of the same CSV into an UNLOGGED text-column staging table")
    columns = ", ".join('"%s" text' % c.replace('"', '""') for c in data["header"])
    pg.run("DROP TABLE IF EXISTS bench_csv_staging;\nCREATE UNLOGGED TABLE bench_csv_staging (%s);\n" % columns)
    pg.timed_copy("\\copy bench_csv_staging FROM '%s' WITH (FORMAT csv, HEADER true)" % data["warmup_file"])  # warm-up, untimed
    pg.run("TRUNCATE bench_csv_staging;\nCHECKPOINT;\n")
    seconds, wall, backend_cpu = pg.timed_copy("\\copy bench_csv_staging FROM '%s' WITH (FORMAT csv, HEADER true)" % data["file"])
    rows = int(pg.value("SELECT count(*) FROM bench_csv_staging"))
    pg.run("DROP TABLE bench_csv_staging;\n")
    if rows != data["rows"]:
        raise PhaseError("COPY staged %d rows, the file has %d" % (rows, data["rows"]))
    return {"rows": rows, "elapsed_s": seconds, "psql_wall_s": wall, "rows_per_s": rows / seconds,
            "cpu_seconds": {"copy_backend": round(backend_cpu, 2)}}


# ---------------------------------------------------------------------------------------------
# Report


def fmt_int(x):
    return "{:,.0f}".format(x)


def verdict(ok):
    return "PASS" if ok else "MISS"


def report(results):
    m, p = results["machine"], results["phases"]
    rows = []
    checks = results["targets_met"] = {}
    api, copy_ = p.get("bulk-api"), p.get("bulk-copy")
    if api and not api.get("error"):
        ok = api["leads_per_s"] >= TARGETS["api_leads_per_s"]
        checks["api_leads_per_s"] = ok
        rows.append(("Bulk API  (%d x %d-lead requests, %d clients)" % (api["requests"], api["batch"], api["clients"]),
                     fmt_int(api["leads"]), "%.2f" % api["elapsed_s"], fmt_int(api["leads_per_s"]) + " leads/s",
                     ">= 20,000 leads/s", verdict(ok)))
        rows.append(("  of which stored as new leads", fmt_int(api["accepted"]), "", fmt_int(api["accepted_per_s"]) + " rows/s", "", ""))
    if copy_ and not copy_.get("error"):
        rows.append(("COPY baseline  (same rows -> leads)", fmt_int(copy_["rows"]), "%.2f" % copy_["elapsed_s"],
                     fmt_int(copy_["rows_per_s"]) + " rows/s", "", ""))
    if "bulk-api" in results["ratios"]:
        # Both sides store the same distinct rows; the ratio compares the time each needed.
        ratio = results["ratios"]["bulk-api"]["median"]
        ok = ratio >= TARGETS["api_copy_ratio"]
        checks["api_copy_ratio"] = ok
        rows.append(("  ratio API / COPY (same rows stored)", "", "", "%.2f  (%.0f%%)" % (ratio, ratio * 100), ">= 0.30", verdict(ok)))
    csv_api, csv_copy = p.get("csv-api"), p.get("csv-copy")
    if csv_api and csv_api.get("skipped"):
        rows.append(("CSV import", "", "", "skipped", "", ""))
    elif csv_api and not csv_api.get("error"):
        ok = csv_api["rows_per_s"] >= TARGETS["csv_rows_per_s"]
        checks["csv_rows_per_s"] = ok
        rows.append(("CSV import  (%.0f MB, one streamed request)" % (csv_api["bytes"] / 1e6), fmt_int(csv_api["rows"]),
                     "%.2f" % csv_api["elapsed_s"], fmt_int(csv_api["rows_per_s"]) + " rows/s", ">= 20,000 rows/s", verdict(ok)))
        ok = csv_api["peak_rss_mb"] is not None and csv_api["peak_rss_mb"] < TARGETS["csv_peak_rss_mb"]
        checks["csv_peak_rss_mb"] = ok
        rows.append(("  IngestAPI peak RSS during the import", "", "", "%.1f MB" % csv_api["peak_rss_mb"], "< 150 MB", verdict(ok)))
    if csv_copy and not csv_copy.get("error"):
        rows.append(("COPY baseline  (same CSV -> unlogged staging)", fmt_int(csv_copy["rows"]), "%.2f" % csv_copy["elapsed_s"],
                     fmt_int(csv_copy["rows_per_s"]) + " rows/s", "", ""))
        if "csv-api" in results["ratios"]:
            ratio = results["ratios"]["csv-api"]["median"]
            rows.append(("  ratio CSV import / COPY", "", "", "%.2f  (%.0f%%)" % (ratio, ratio * 100), "", ""))

    headers = ("benchmark", "rows", "seconds", "rate", "target", "")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(6)]
    line = lambda r: "  ".join(str(c).ljust(widths[i]) if i in (0, 4, 5) else str(c).rjust(widths[i]) for i, c in enumerate(r)).rstrip()
    say()
    say("Results  (%s, %s CPUs, %s)" % (m["date_utc"], m["nproc"], m["build"].split(";")[0]))
    say(line(headers))
    say("  ".join("-" * w for w in widths))
    for r in rows:
        say(line(r))
    say()
    if api and not api.get("error"):
        c = api["cpu_seconds"]
        say("Bulk API: latency p50 %.0f ms, p95 %.0f ms, max %.0f ms; CPU s: IngestAPI %.1f, PostgreSQL %.1f, client %.1f "
            "(%.0f%% of the machine); server RSS peak %.0f MB; all deliveries on Redis %.1f s after the last answer; "
            "%d reconnects"
            % (api["latency_ms"]["p50"], api["latency_ms"]["p95"], api["latency_ms"]["max"], c["ingestapi"], c["postgres"],
               c["client"], c["cpu_utilization_of_machine"] * 100, api["server_memory"]["peak_rss_mb"] or 0,
               api["queue_drained_s_after_last_answer"], api["reconnects"]))
        say("          %d duplicates (expected %d), %d rejected; %d leads and %d deliveries in PostgreSQL"
            % (api["duplicates"], api["leads"] - api["expected_unique"], api["rejected"], api["stored_leads"], api["stored_deliveries"]))
    if copy_ and not copy_.get("error") and api and not api.get("error"):
        same_fill = copy_["fill"] == api["fill"]
        say("COPY:     same dedup keys as the API stored: %s; same columns filled: %s%s"
            % ("yes" if copy_["dedup_keys_match_prepared"] and api["dedup_keys_match_baseline"] else "no",
               "yes" if same_fill else "no",
               "" if same_fill else " (API %s vs COPY %s)" % (api["fill"], copy_["fill"])))
        say("          (the API also writes one deliveries row per lead and enqueues it; COPY writes leads only)")
    if csv_api and csv_api.get("skipped"):
        say("CSV:      SKIPPED: %s" % csv_api["reason"])
    elif csv_api and not csv_api.get("error"):
        mem = csv_api["server_memory"]
        say("CSV:      upload %.2f s, status when answered %r; RSS before %.0f MB, sampled max %.0f MB (%d samples), "
            "VmHWM %.0f MB%s; %d accepted, %d duplicates (expected %d), %d rejected"
            % (csv_api["upload_s"], csv_api["status_when_answered"], mem["rss_before_mb"], mem["rss_sampled_max_mb"] or 0,
               mem["samples"], mem["vmhwm_mb"] or 0, "" if mem["vmhwm_reset_before_phase"] else " (lifetime peak: could not reset)",
               csv_api["accepted"], csv_api["duplicates"], csv_api["rows"] - csv_api["expected_unique"], csv_api["rejected"]))
    if csv_api and not csv_api.get("error") and not csv_api.get("skipped"):
        c = csv_api["cpu_seconds"]
        say("          CPU s: IngestAPI %.1f, PostgreSQL %.1f (%.0f%% of the machine)"
            % (c["ingestapi"], c["postgres"], c["cpu_utilization_of_machine"] * 100))
    for name in ("bulk-copy", "csv-copy"):
        phase = p.get(name)
        if phase and not phase.get("error") and phase["elapsed_s"] >= 1:  # CPU ticks are too coarse below 1 s
            share = phase["cpu_seconds"]["copy_backend"] / phase["elapsed_s"]
            say("%-9s the COPY backend used %.1f CPU s in %.2f s (%.0f%% of one core)%s"
                % (name + ":", phase["cpu_seconds"]["copy_backend"], phase["elapsed_s"], share * 100,
                   "  WARNING: less than a whole core (a busy machine or I/O waits); the baseline may be low"
                   if share < 0.8 else ""))
    for name in ("bulk-api", "bulk-copy", "csv-api", "csv-copy"):
        phase = p.get(name)
        if phase and phase.get("runs", 1) > 1:
            say("%-9s median of %d runs; rates of all runs: %s" % (name + ":", phase["runs"], phase["rates_of_all_runs"]))
    for name, ratio in results["ratios"].items():
        if len(ratio["all_runs"]) > 1:
            say("%-9s ratio per run: %s (median %.2f)" % (name + ":", ratio["all_runs"], ratio["median"]))
    for name, phase in p.items():
        if phase.get("error"):
            say("ERROR in %s: %s" % (name, phase["error"]))
    load = results["machine"]["loadavg_at_start"], results["machine"]["loadavg_at_end"]
    say("load avg:   %.2f at start, %.2f at end (1-minute)%s" % (load[0][0], load[1][0],
        "  WARNING: other work was running; repeat on an idle machine" if max(load[0][0], load[1][0]) > 0.5 * m["nproc"] else ""))
    say("PostgreSQL: %s" % results["settings"]["postgresql"])
    say("IngestAPI:  %s" % results["settings"]["ingestapi"])


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "machine":
        facts = machine_facts()
        print_machine(facts)
        with open(sys.argv[2], "w") as f:
            json.dump(facts, f, indent=2)
        return
    if len(sys.argv) < 2 or sys.argv[1] != "run":
        raise SystemExit(__doc__)

    ctx = {
        "api_url": env("BENCH_API_URL"), "api_key": env("BENCH_API_KEY"), "server_pid": int(env("BENCH_SERVER_PID")),
        "api_source": env("BENCH_API_SOURCE"), "api_source_id": env("BENCH_API_SOURCE_ID"),
        "warmup_source": env("BENCH_WARMUP_SOURCE"),
        "csv_source": env("BENCH_CSV_SOURCE"), "csv_source_id": env("BENCH_CSV_SOURCE_ID"),
        "csv_warmup_source": env("BENCH_CSV_WARMUP_SOURCE"),
        "tenant_id": env("BENCH_TENANT_ID"), "destinations": 1, "work": env("BENCH_WORK"),
        "batch": int(env("BENCH_BATCH", "1000")), "clients": int(env("BENCH_CLIENTS", "4")),
    }
    leads = int(env("BENCH_LEADS", "200000"))
    csv_mb = float(env("BENCH_CSV_MB", "100"))
    csv_mb = int(csv_mb) if csv_mb == int(csv_mb) else csv_mb
    dup_rate = float(env("BENCH_DUP_RATE", "0.05"))
    seed = int(env("BENCH_SEED", "1"))
    repeat = max(1, int(env("BENCH_REPEAT", "1")))
    phases = [x.strip() for x in env("BENCH_PHASES", "bulk,csv,webhook").split(",") if x.strip()]
    work, cache, results_dir = env("BENCH_WORK"), env("BENCH_CACHE"), env("BENCH_RESULTS")
    gen = env("BENCH_GEN_LEADS")
    os.makedirs(cache, exist_ok=True)
    pg = Postgres(env("BENCH_PG_PORT"), env("BENCH_DB"))
    cpu = CPUMeter(ctx["server_pid"], int(env("BENCH_POSTMASTER_PID")))

    with open(env("BENCH_MACHINE_JSON")) as f:
        machine = json.load(f)
    machine["loadavg_before_build"] = machine["loadavg_at_start"]
    machine["loadavg_at_start"] = list(os.getloadavg())  # the build may have run in between
    settings_row = pg.value("SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings "
                            "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_wal_size', "
                            "'wal_level', 'max_connections')")
    results = {
        "machine": machine,
        "config": {"leads": leads, "csv_mb": csv_mb, "dup_rate": dup_rate, "seed": seed, "batch": ctx["batch"],
                   "clients": ctx["clients"], "phases": phases, "repeat": repeat, "pg_mode": env("BENCH_PG_MODE", "durable")},
        "settings": {"postgresql": "%s (%s mode)" % (settings_row, env("BENCH_PG_MODE", "durable")),
                     "ingestapi": env("BENCH_SERVER_DESC", "")},
        "targets": TARGETS,
        "phases": {},
    }
    failed = False

    def attempt(name, fn, *args):
        nonlocal failed
        try:
            return fn(ctx, pg, cpu, *args)
        except (PhaseError, bulk_load.LoadError, OSError, ValueError, subprocess.SubprocessError, urllib.error.URLError) as error:
            failed = True
            text = str(error) if isinstance(error, (PhaseError, bulk_load.LoadError)) else "%s: %s" % (type(error).__name__, error)
            print("phase %s FAILED: %s" % (name, text), file=sys.stderr, flush=True)
            return {"error": text}

    def median_run(runs, rate):
        """The median run by rate (the lower middle one for an even count), with every run's rate."""
        good = sorted((r for r in runs if not r.get("error") and not r.get("skipped")), key=lambda r: r[rate])
        if not good:
            return runs[0]
        chosen = dict(good[(len(good) - 1) // 2])
        chosen["runs"] = len(good)
        chosen["rates_of_all_runs"] = [round(r[rate], 1) for r in runs if not r.get("error") and not r.get("skipped")]
        return chosen

    def paired(api_name, api_fn, api_rate, copy_name, copy_fn, data):
        """API then COPY, BENCH_REPEAT times; the ratio is the median of the per-pair ratios."""
        api_runs, copy_runs, ratios = [], [], []
        for i in range(repeat):
            if repeat > 1:
                step("%s / %s: run %d of %d" % (api_name, copy_name, i + 1, repeat))
            api = attempt(api_name, api_fn, data)
            api_runs.append(api)
            copy_ = attempt(copy_name, copy_fn, data)
            copy_runs.append(copy_)
            if api.get("error") or api.get("skipped") or copy_.get("error"):
                break
            # The same rows on both sides: the ratio of rates is the inverse ratio of times.
            ratios.append(copy_["elapsed_s"] / api["elapsed_s"])
        results["phases"][api_name] = median_run(api_runs, api_rate)
        results["phases"][copy_name] = median_run(copy_runs, "rows_per_s")
        if ratios:
            ordered = sorted(ratios)
            results["ratios"][api_name] = {"median": ordered[(len(ordered) - 1) // 2], "all_runs": [round(r, 3) for r in ratios]}

    results["ratios"] = {}
    if "bulk" in phases:
        data = prepare_bulk(cache, gen, leads, dup_rate, seed, work, ctx["tenant_id"], ctx["api_source_id"])
        paired("bulk-api", phase_bulk_api, "leads_per_s", "bulk-copy", phase_bulk_copy, data)
        del data
    if "csv" in phases:
        data = prepare_csv(cache, gen, csv_mb, dup_rate, seed, work)
        paired("csv-api", phase_csv_api, "rows_per_s", "csv-copy", phase_csv_copy, data)

    if "webhook" in phases:
        import webhook_load
        rate, seconds = float(env("BENCH_HOOK_RATE", "500")), float(env("BENCH_HOOK_SECONDS", "20"))
        step("webhook: %g requests/s for %g s to /hooks/<zapier source> (open loop) after a %s-s warm-up; baseline: GET /health at the same rate"
             % (rate, seconds, env("BENCH_HOOK_WARMUP", "5")))
        # Like every other phase, from empty lead tables after a CHECKPOINT: right after the CSV
        # phase PostgreSQL is still checkpointing and autovacuuming 1.2 million new rows (one run
        # measured p99 61.8 ms there, against 6-9 ms from a quiet start).
        pg.reset_leads()
        before, started = cpu.snapshot(), time.monotonic()
        baseline = webhook_load.run(ctx["api_url"] + "/health", rate, min(seconds, 10))
        # The HTTP floor: what the same rate of the cheapest request costs the server and the client.
        baseline["cpu_seconds"] = CPUMeter.delta(before, cpu.snapshot(), time.monotonic() - started)
        baseline["cpu_ms_per_request"] = {k: round(v * 1000 / max(1, baseline["completed"]), 3)
                                          for k, v in baseline["cpu_seconds"].items() if k != "cpu_utilization_of_machine"}
        # The server's first seconds open its PostgreSQL connections (each prepares its statements
        # and compiles record_webhook_event); reported on their own, then the steady state is measured.
        warmup_seconds = float(env("BENCH_HOOK_WARMUP", "5"))
        warmup = webhook_load.run(ctx["api_url"] + "/hooks/" + env("BENCH_HOOK_TOKEN"), rate, warmup_seconds,
                                  lambda n: webhook_load.zapier_body(n + 10_000_000)) if warmup_seconds > 0 else None
        rss_before = read_status_kb(ctx["server_pid"], "VmRSS") if ctx["server_pid"] else None
        before, started = cpu.snapshot(), time.monotonic()
        hooks = webhook_load.run(ctx["api_url"] + "/hooks/" + env("BENCH_HOOK_TOKEN"), rate, seconds, webhook_load.zapier_body)
        hooks["cpu_seconds"] = CPUMeter.delta(before, cpu.snapshot(), time.monotonic() - started)
        hooks["cpu_ms_per_request"] = {k: round(v * 1000 / max(1, hooks["completed"]), 3)
                                       for k, v in hooks["cpu_seconds"].items() if k != "cpu_utilization_of_machine"}
        if rss_before:
            hooks["ingestapi_rss_kb"] = {"before": rss_before, "after": read_status_kb(ctx["server_pid"], "VmRSS")}
        stored = int(pg.value("SELECT count(*) FROM inbound_events WHERE outcome = 'accepted'"))
        results["phases"]["webhook"] = hooks
        results["phases"]["webhook-health-baseline"] = baseline
        if warmup:
            results["phases"]["webhook-warmup"] = warmup
        say("webhook:    %d requests at %.0f/s (target %g): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s; %d events accepted"
            % (hooks["completed"], hooks["rate_achieved"], rate, hooks["p50_ms"], hooks["p95_ms"], hooks["p99_ms"], hooks["max_ms"],
               hooks["statuses"], stored))
        say("            CPU ms per request: %s; machine %.0f%% busy"
            % (", ".join("%s %.2f" % kv for kv in hooks["cpu_ms_per_request"].items()), hooks["cpu_seconds"]["cpu_utilization_of_machine"] * 100))
        if "ingestapi_rss_kb" in hooks:
            say("            IngestAPI RSS %.1f -> %.1f MiB" % (hooks["ingestapi_rss_kb"]["before"] / 1024, hooks["ingestapi_rss_kb"]["after"] / 1024))
        if warmup:
            say("warm-up:    the server's first %g s at the same rate (connections opening): p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s"
                % (warmup_seconds, warmup["p50_ms"], warmup["p99_ms"], warmup["max_ms"], warmup["statuses"]))
        say("baseline:   GET /health at the same rate: p50 %.1f ms, p99 %.1f ms, CPU ms per request %s (the HTTP + client floor on this machine)"
            % (baseline["p50_ms"], baseline["p99_ms"], ", ".join("%s %.2f" % kv for kv in baseline["cpu_ms_per_request"].items())))
        if hooks["errors"] or set(hooks["statuses"]) != {200} or stored < hooks["completed"]:
            failed = True
            say("webhook phase FAILED: errors %d, statuses %s, stored %d" % (hooks["errors"], hooks["statuses"], stored))

    if "webhook" in phases and env("BENCH_HOOK_RATES", ""):
        import webhook_load
        # Saturation: the open-loop rate is raised step by step (each from empty lead tables, after a
        # short warm-up) until p99 passes 100 ms; the last rate under it is the saturation rate.
        step_seconds = float(env("BENCH_HOOK_STEP_SECONDS", "10"))
        steps = []
        for step_rate in [float(r) for r in env("BENCH_HOOK_RATES").split(",") if r.strip()]:
            pg.reset_leads()
            webhook_load.run(ctx["api_url"] + "/hooks/" + env("BENCH_HOOK_TOKEN"), step_rate, 2,
                             lambda n: webhook_load.zapier_body(n + 20_000_000))
            before, started = cpu.snapshot(), time.monotonic()
            run = webhook_load.run(ctx["api_url"] + "/hooks/" + env("BENCH_HOOK_TOKEN"), step_rate, step_seconds, webhook_load.zapier_body)
            cpu_seconds = CPUMeter.delta(before, cpu.snapshot(), time.monotonic() - started)
            entry = {"rate": step_rate, "rate_achieved": run["rate_achieved"], "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
                     "max_ms": run["max_ms"], "statuses": run["statuses"], "errors": run["errors"],
                     "cpu_ms_per_request": {k: round(v * 1000 / max(1, run["completed"]), 3)
                                            for k, v in cpu_seconds.items() if k != "cpu_utilization_of_machine"},
                     "machine_busy": round(cpu_seconds["cpu_utilization_of_machine"], 3)}
            steps.append(entry)
            say("saturation: %5.0f/s (achieved %.0f/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s; CPU ms/request %s"
                % (step_rate, run["rate_achieved"], run["p50_ms"], run["p99_ms"], run["max_ms"], run["statuses"],
                   ", ".join("%s %.2f" % kv for kv in entry["cpu_ms_per_request"].items())))
            if run["p99_ms"] > 100 or run["errors"] or run["rate_achieved"] < 0.95 * step_rate:
                break
        under = [s_["rate"] for s_ in steps if s_["p99_ms"] <= 100 and not s_["errors"] and s_["rate_achieved"] >= 0.95 * s_["rate"]]
        results["phases"]["webhook-saturation"] = {"steps": steps, "saturation_rate": max(under) if under else None}
        say("saturation: highest open-loop rate with p99 <= 100 ms: %s" % (("%.0f/s" % max(under)) if under else "none"))

    results["machine"]["loadavg_at_end"] = list(os.getloadavg())
    report(results)
    os.makedirs(results_dir, exist_ok=True)
    out = os.path.join(results_dir, "%s.json" % env("BENCH_STAMP"))
    with open(out, "w") as f:
        json.dump(results, f, indent=2, default=str)
    say("results:    %s" % os.path.relpath(out, env("BENCH_ROOT", os.getcwd())))
    if failed:
        sys.exit(1)
    if env("BENCH_STRICT", "0") == "1" and not all(results["targets_met"].values()):
        say("BENCH_STRICT=1 and a target was missed")
        sys.exit(2)


if __name__ == "__main__":
    main()
