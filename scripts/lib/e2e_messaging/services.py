"""The real processes of scripts/e2e-messaging (IngestAPI, one Worker, leadctl) and the database
reads its checks make. The processes are listed in E2E_PIDS_FILE, so that the shell script's trap
stops exactly them; their logs are E2E_WORK/<name>.log (printed by the trap when a check failed).
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
import harness  # noqa: E402

env = harness.env_reader("e2e-messaging", "scripts/e2e-messaging")


class StepError(Exception):
    """A step could not reach its checks (a process died, leadctl failed, a wait timed out)."""


class Services:
    def __init__(self):
        self.bin = env("E2E_BIN")
        self.work = env("E2E_WORK")
        self.pg = harness.Psql(env("E2E_PG_PORT"), "leadrelay", StepError)
        self.procs = harness.Procs(self.work, env("E2E_PIDS_FILE"), StepError)
        self.api_url = env("PUBLIC_BASE_URL")
        self.running = []

    # --- processes --------------------------------------------------------------------------------

    def start_api(self):
        proc = self.procs.spawn("ingestapi", [os.path.join(self.bin, "IngestAPI"), "serve"])
        self.running.append(proc)
        self.procs.wait_http(self.api_url + "/health/ready", proc, 60)
        return proc

    def start_worker(self, name="worker"):
        """Starts a Worker (log E2E_WORK/<name>.log; METRICS_PORT=0: a free port each) and waits until it is ready."""
        proc = self.procs.spawn(name, [os.path.join(self.bin, "Worker")])
        self.running.append(proc)
        wait_for(lambda: proc.poll() is not None or "worker ready" in self.procs.log_tail(name, 40), 60,
                 "%s to be ready" % name)
        self.check_alive()
        return proc

    def kill(self, proc):
        """SIGKILL (no graceful shutdown: a crash); the process is no longer one of the running ones."""
        proc.kill()
        proc.wait()
        self.running.remove(proc)
        self.procs.unregister(proc.pid)

    def check_alive(self):
        for proc in self.running:
            if proc.poll() is not None:
                raise StepError("%s exited (status %s):\n%s" % (proc.bench_name, proc.returncode,
                                                                self.procs.log_tail(proc.bench_name)))

    def stop_all(self):
        for proc in reversed(self.running):
            self.procs.stop(proc)
        self.running = []

    # --- leadctl ----------------------------------------------------------------------------------

    def leadctl(self, *args):
        """Runs `leadctl ARGS --json` and returns its JSON."""
        proc = subprocess.run([os.path.join(self.bin, "leadctl")] + list(args) + ["--json"], capture_output=True, text=True,
                              timeout=60)
        if proc.returncode != 0:
            raise StepError("leadctl %s failed (%d): %s" % (" ".join(args[:2]), proc.returncode,
                                                             (proc.stderr or proc.stdout).strip()[-600:]))
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    # --- the lead API -----------------------------------------------------------------------------

    def post_leads(self, api_key, source, leads):
        """POST /api/leads/bulk?source=…; returns the lead ids of the accepted items."""
        body = json.dumps({"source": source, "leads": leads}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.api_url + "/api/leads/bulk", data=body, method="POST",
                                         headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                answer = json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise StepError("POST /api/leads/bulk answered %d: %s" % (e.code, e.read()[:600]))
        ids = [item.get("lead_id") for item in answer.get("results", []) if item.get("status") == "accepted"]
        if len(ids) != len(leads):
            raise StepError("the bulk API did not accept every lead: %s" % json.dumps(answer)[:600])
        return ids

    # --- database reads ---------------------------------------------------------------------------

    def deliveries(self, lead_id):
        """{destination kind: (status, last_error, external_id)} of one lead."""
        rows = self.pg.rows("SELECT t.kind, d.status, coalesce(d.last_error, ''), coalesce(d.external_id, '') FROM deliveries d "
                            "JOIN destinations t ON t.id = d.destination_id WHERE d.lead_id = %d" % int(lead_id))
        return {kind: (status, error, external) for kind, status, error, external in rows}

    def delivery_id(self, lead_id, kind):
        return int(self.pg.run("SELECT d.id FROM deliveries d JOIN destinations t ON t.id = d.destination_id "
                               "WHERE d.lead_id = %d AND t.kind = '%s'" % (int(lead_id), kind)))

    def wait_deliveries_finished(self, lead_id, count, seconds=60):
        """Waits until the lead's `count` deliveries are succeeded, dead or skipped; returns them."""
        finished = ("succeeded", "dead", "skipped")

        def done():
            self.check_alive()
            rows = self.deliveries(lead_id)
            return len(rows) == count and all(status in finished for status, _, _ in rows.values())
        try:
            wait_for(done, seconds, "lead %s's %d deliveries to finish" % (lead_id, count))
        except StepError:
            pass
        return self.deliveries(lead_id)

    def sms_attempt(self, lead_id):
        """(segments, encoding, provider message id) of the lead's SMS attempt rows, one tuple each."""
        return [tuple(r) for r in self.pg.rows(
            "SELECT coalesce(a.message_segments::text, ''), coalesce(a.message_encoding, ''), coalesce(a.provider_message_id, '') "
            "FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN destinations t ON t.id = d.destination_id "
            "WHERE d.lead_id = %d AND t.kind = 'twilio_sms' ORDER BY a.id" % int(lead_id))]

    def message(self, provider_message_id):
        """(status, error_code, direction, lead id) of the messages row with this provider id, or None."""
        rows = self.pg.rows("SELECT coalesce(status, ''), coalesce(error_code, ''), direction, coalesce(lead_id::text, '') "
                            "FROM messages WHERE provider_message_id = '%s'" % provider_message_id.replace("'", "''"))
        return tuple(rows[0]) if rows else None


def wait_for(condition, seconds, what, every=0.2):
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            raise StepError("timed out after %d s waiting for %s" % (seconds, what))
        time.sleep(every)
