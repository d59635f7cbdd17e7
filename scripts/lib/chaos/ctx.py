"""The run's context for scripts/chaos: the servers `scripts/chaos` started (from its CHAOS_*
variables), the processes of a scenario (IngestAPI, Workers, the CRM stand-in), stopping and
starting PostgreSQL and Redis with scripts/lib/services.sh, seeding with leadctl, and checks.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
import harness  # noqa: E402


class ScenarioError(Exception):
    """The scenario could not run to its checks (a process died, a wait timed out)."""


env = harness.env_reader("chaos", "scripts/chaos")


SCALE = float(env("CHAOS_SCALE", "1"))


def scaled(name, default, minimum=1):
    """An integer setting: the variable if set (not scaled), else default x CHAOS_SCALE (>= minimum)."""
    if os.environ.get(name):
        return int(float(os.environ[name]))
    return max(minimum, int(round(default * SCALE)))


def setting(name, default):
    return float(env(name, str(default)))


def say(text=""):
    print(text, flush=True)


def step(text):
    print("\033[1m==>\033[0m [%s] %s" % (time.strftime("%H:%M:%S"), text), file=sys.stderr, flush=True)


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Checks:
    """The verdict rows of one scenario: what was checked, what was measured, what was expected."""

    def __init__(self):
        self.rows = []

    def add(self, check, value, expected, ok):
        self.rows.append({"check": check, "value": value, "expected": expected, "ok": None if ok is None else bool(ok)})
        return ok

    def info(self, check, value):
        return self.add(check, value, "", None)

    @property
    def failed(self):
        return [r for r in self.rows if r["ok"] is False]


class Context:
    def __init__(self):
        self.work = env("CHAOS_WORK")
        self.bin = env("CHAOS_BIN")
        self.pg_port = int(env("CHAOS_PG_PORT"))
        self.pg_dir = env("CHAOS_PG_DIR")
        self.redis_port = int(env("CHAOS_REDIS_PORT"))
        self.redis_dir = env("CHAOS_REDIS_DIR")
        self.prefix = env("REDIS_KEY_PREFIX")
        self.stream = self.prefix + ":deliveries"
        self.scheduled = self.prefix + ":scheduled"
        self.group = "workers"
        self.pg = harness.Psql(self.pg_port, env("CHAOS_DB"), ScenarioError)
        self.procs = harness.Procs(self.work, env("CHAOS_PIDS_FILE"), ScenarioError)
        self.timeout = setting("CHAOS_TIMEOUT_S", 900)
        self.worker_count = int(env("WORKER_COUNT", "32"))
        seed = os.environ.get("CHAOS_SEED") or str(int(time.time()))
        self.random_seed = int(seed)
        self.random = random.Random(self.random_seed)
        self.running = []  # processes of the current scenario

    # --- Redis and PostgreSQL -----------------------------------------------------------------

    def redis(self, timeout=5):
        return harness.Redis(self.redis_port, timeout=timeout)

    def redis_cmd(self, *args):
        r = self.redis()
        try:
            return r.cmd(*args)
        finally:
            r.close()

    def services(self, function, *args):
        """Runs a function of scripts/lib/services.sh (start_redis, stop_postgres …)."""
        script = 'source "$CHAOS_ROOT/scripts/lib/services.sh"; "$@"'
        proc = subprocess.run(["bash", "-c", script, "services", function] + [str(a) for a in args],
                              capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise ScenarioError("%s failed: %s" % (function, (proc.stderr or proc.stdout).strip()[-500:]))

    def stop_redis(self):
        """Stops Redis the way a crash or host loss would look to clients (SHUTDOWN NOSAVE; the AOF
        written so far stays on disk)."""
        try:
            self.redis_cmd("SHUTDOWN", "NOSAVE")
        except (harness.RedisError, OSError):
            pass
        self.wait_for(lambda: not self.redis_up(), 30, "Redis to stop")

    def start_redis(self):
        self.services("start_redis", self.redis_dir, self.redis_port, "durable")

    def wipe_redis_data(self):
        """Deletes Redis's persistence files (Redis must be stopped)."""
        for name in os.listdir(self.redis_dir):
            if name.startswith("appendonly") or name.endswith(".rdb") or name.endswith(".aof"):
                path = os.path.join(self.redis_dir, name)
                subprocess.run(["rm", "-rf", path], check=True)

    def redis_up(self):
        try:
            return self.redis_cmd("PING") == "PONG"
        except (harness.RedisError, OSError):
            return False

    def stop_postgres(self):
        self.services("stop_postgres", self.pg_dir)

    def start_postgres(self):
        self.services("start_postgres", self.pg_dir, self.pg_port)

    def reset(self):
        """Empty lead tables and queue, like a fresh installation that already ran once."""
        self.pg.run("TRUNCATE leads, deliveries, delivery_attempts, idempotency_keys RESTART IDENTITY CASCADE")
        r = self.redis()
        try:
            keys = r.cmd("KEYS", self.prefix + ":*") or []
            if keys:
                r.cmd("DEL", *keys)
            # The sweeper rebuilds the whole queue when this marker is missing (Redis lost its data).
            r.cmd("SET", self.prefix + ":epoch", "chaos")
        finally:
            r.close()

    # --- leadctl --------------------------------------------------------------------------------

    def leadctl(self, *args):
        proc = subprocess.run([os.path.join(self.bin, "leadctl")] + list(args) + ["--json"], capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            raise ScenarioError("leadctl %s failed: %s" % (" ".join(args[:3]), proc.stderr.strip()[-500:]))
        return json.loads(proc.stdout)

    def seed(self, slug, destinations, rpm=100000000):
        """A tenant, an API key and one api source fanning out to `destinations`
        ({name: {"url": …, "sql": {column: value}}}); returns ids and the key."""
        tenant = self.leadctl("tenant", "create", "--name", "Chaos " + slug, "--slug", slug)["id"]
        key = self.leadctl("apikey", "create", "--tenant", slug, "--name", "chaos", "--requests-per-minute", str(rpm))["key"]
        ids = {}
        for name, spec in destinations.items():
            ids[name] = self.leadctl("destination", "create", "--tenant", slug, "--kind", "http", "--name", name,
                                     "--config", json.dumps({"url": spec["url"]}))["id"]
            # Settings leadctl does not expose (rate limit, timeout, account): set in the table.
            if spec.get("sql"):
                assignments = ", ".join("%s = %s" % (column, value) for column, value in spec["sql"].items())
                self.pg.run("UPDATE destinations SET %s WHERE id = '%s'" % (assignments, ids[name]))
        args = ["source", "create", "--tenant", slug, "--name", slug + "-api", "--kind", "api"]
        for name in destinations:
            args += ["--destination", name]
        source = self.leadctl(*args)["id"]
        return {"tenant": tenant, "key": key, "source": source, "destinations": ids}

    # --- processes ------------------------------------------------------------------------------

    def start_api(self, name="ingestapi"):
        port = free_port()
        proc = self.procs.spawn(name, [os.path.join(self.bin, "IngestAPI"), "serve"], {"PORT": str(port)})
        proc.url = "http://127.0.0.1:%d" % port
        self.running.append(proc)
        self.procs.wait_http(proc.url + "/health/ready", proc, 60)
        return proc

    def start_worker(self, name, wait=True):
        proc = self.procs.spawn(name, [os.path.join(self.bin, "Worker")],
                                {"METRICS_PORT": "0", "WORKER_COUNT": str(self.worker_count)})
        self.running.append(proc)
        if wait:
            self.wait_for(lambda: proc.poll() is not None or "worker ready" in self.procs.log_tail(name, 40), 60,
                          "%s to be ready" % name)
            if proc.poll() is not None:
                raise ScenarioError("%s exited (status %s):\n%s" % (name, proc.returncode, self.procs.log_tail(name)))
        return proc

    def start_crm(self, plan, name="crm"):
        """The CRM stand-in (crm.py) with `plan` (see crm.py); returns the process with .url."""
        port = free_port()
        plan_file = os.path.join(self.work, name + "-plan.json")
        with open(plan_file, "w") as f:
            json.dump(plan, f)
        proc = self.procs.spawn(name, [sys.executable, os.path.join(HERE, "crm.py"), "--port", str(port), "--plan", plan_file])
        proc.url = "http://127.0.0.1:%d" % port
        self.running.append(proc)
        self.procs.wait_http(proc.url + "/stats", proc, 30)
        return proc

    def kill9(self, proc):
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        self.procs.unregister(proc.pid)
        if proc in self.running:
            self.running.remove(proc)

    def stop(self, proc):
        status = self.procs.stop(proc)
        if proc in self.running:
            self.running.remove(proc)
        return status

    def stop_all(self):
        """Stops every process of the scenario (reverse start order); returns {name: exit status}."""
        statuses = {}
        for proc in reversed(list(self.running)):
            statuses[proc.bench_name] = self.stop(proc)
        return statuses

    def check_alive(self, procs):
        for proc in procs:
            if proc.poll() is not None:
                raise ScenarioError("%s exited (status %s):\n%s" % (proc.bench_name, proc.returncode,
                                                                    self.procs.log_tail(proc.bench_name)))

    # --- waiting and reading --------------------------------------------------------------------

    def wait_for(self, condition, seconds, what, every=0.2):
        deadline = time.time() + seconds
        while True:
            if condition():
                return
            if time.time() > deadline:
                raise ScenarioError("timed out after %d s waiting for %s" % (seconds, what))
            time.sleep(every)

    def delivery_counts(self, tenant=None):
        where = "WHERE tenant_id = '%s'" % tenant if tenant else ""
        counts = {}
        for status, n in self.pg.rows("SELECT status, count(*) FROM deliveries %s GROUP BY status" % where):
            counts[status] = int(n)
        return counts

    def wait_delivered(self, expected, tenant=None, seconds=None, procs=(), label="deliveries"):
        """Waits until `expected` deliveries are finished (succeeded or dead); returns seconds waited.
        Fails when a process in `procs` exits or nothing moves for the timeout."""
        seconds = seconds or self.timeout
        t0 = time.time()
        next_report = t0 + 15
        while True:
            self.check_alive(procs)
            counts = self.delivery_counts(tenant)
            finished = counts.get("succeeded", 0) + counts.get("dead", 0)
            if finished >= expected and sum(counts.values()) == finished:
                return time.time() - t0
            now = time.time()
            if now - t0 > seconds:
                raise ScenarioError("%s not finished after %d s: %s" % (label, seconds, counts))
            if now >= next_report:
                step("  %s: %s" % (label, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
                next_report = now + 15
            time.sleep(0.5)


def crm_records(crm):
    """Every request the CRM stand-in got: [(arrival epoch, path, lead id or None, status answered)]."""
    with urllib.request.urlopen(crm.url + "/records", timeout=60) as r:
        text = r.read().decode()
    out = []
    for line in text.splitlines():
        t, path, lead, status = line.split(" ")
        out.append((float(t), path, int(lead) if lead != "-" else None, int(status)))
    return out


def duplicates(records):
    """Leads the CRM answered 2xx more than once, by path: {path: {lead: count}}."""
    ok = {}
    for _, path, lead, status in records:
        if 200 <= status < 300 and lead is not None:
            ok.setdefault(path, {}).setdefault(lead, 0)
            ok[path][lead] += 1
    return {path: {lead: n for lead, n in leads.items() if n > 1} for path, leads in ok.items()}
