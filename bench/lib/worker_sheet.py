"""The `sheet` phase of `bench/worker` (issue 20): the first poll of a Google sheet with
BENCH_SHEET_ROWS existing rows, against a CSV import of the same rows in the same run.

`worker_bench.py` calls `run(redis, bench)` with itself as `bench`. Both runs write to sources
of their own tenant (region IL, the rows' phones are Israeli) without destinations, so what is
measured is the intake: normalization, dedup, `leads` rows, and for the sheet the row tracking.

  baseline  the rows as one CSV file POSTed to IngestAPI's `/api/imports` (streamed, written in
            batches); time = the import's `finished_at - created_at`.
  sheet     a Worker idles 3 s (its RSS sampled every 100 ms from then on), then a sheet source is
            created pointing at scripts/lib/demo_sheet_standin.py serving the same rows
            (`--rows N`); time = the first poll's `duration_ms` (token exchange, the row windows
            read, the diff, every batch committed). Peak RSS of the Worker against its idle RSS.
Both runs must end with exactly BENCH_SHEET_ROWS leads.
"""
import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "..", "..", "scripts", "lib", "demo_sheet_standin.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "lib"))
import demo_sheet_standin  # noqa: E402  (the rows the stand-in serves)
from harness import free_port  # noqa: E402


class Sheet:
    def __init__(self, bench):
        self.b = bench
        self.rows = int(os.environ.get("BENCH_SHEET_ROWS", "50000"))

    def ctl(self, *args):
        out = subprocess.run([os.path.join(self.b.BIN, "leadctl")] + list(args) + ["--json"], capture_output=True, text=True)
        if out.returncode != 0:
            raise self.b.PhaseError("leadctl %s failed: %s" % (" ".join(args[:2]), out.stderr.strip()[-500:]))
        return json.loads(out.stdout)

    def leads(self, source):
        return int(self.b.psql_row("SELECT count(*) FROM leads WHERE source_id = '%s'" % source)[0])

    def baseline(self):
        """The same rows imported as a CSV file through IngestAPI."""
        self.ctl("tenant", "create", "--name", "Worker benchmark sheet CSV", "--slug", "wbench-sheet-csv", "--region", "IL")
        source = self.ctl("source", "create", "--tenant", "wbench-sheet-csv", "--name", "csv", "--kind", "csv")["id"]
        key = self.ctl("apikey", "create", "--tenant", "wbench-sheet-csv", "--name", "bench")["key"]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(demo_sheet_standin.HEADER)
        for n in range(self.rows):
            writer.writerow(demo_sheet_standin.generated_row(n))
        body = text.getvalue().encode()
        port = free_port()
        api = self.b.spawn("sheet-ingestapi", [os.path.join(self.b.BIN, "IngestAPI"), "serve"], {"PORT": str(port)})
        try:
            self.b.wait_http("http://127.0.0.1:%d/health/ready" % port, api)
            request = urllib.request.Request(
                "http://127.0.0.1:%d/api/imports?source=csv" % port, data=body, method="POST",
                headers={"Authorization": "Bearer " + key, "Content-Type": "text/csv"})
            with urllib.request.urlopen(request, timeout=600) as response:
                answer = json.loads(response.read())
            import_id = answer.get("id") or answer.get("import", {}).get("id")
            deadline = time.time() + 900
            while time.time() < deadline:
                status, seconds = self.b.psql_row(
                    "SELECT status, coalesce(extract(epoch FROM finished_at - created_at), -1) FROM imports WHERE id = '%s'" % import_id)
                if status != "receiving":
                    break
                time.sleep(0.2)
            leads = self.leads(source)
            if status != "completed" or leads != self.rows:
                raise self.b.PhaseError("the CSV import ended %s with %d of %d leads" % (status, leads, self.rows))
            return {"seconds": float(seconds), "rows_per_s": self.rows / float(seconds), "leads": leads}
        finally:
            self.b.stop(api)

    def sheet(self):
        """The first poll of a sheet holding the rows."""
        self.ctl("tenant", "create", "--name", "Worker benchmark sheet", "--slug", "wbench-sheet", "--region", "IL")
        port = free_port()
        standin = self.b.spawn("sheet-standin", [sys.executable, STANDIN, str(port), "--rows", str(self.rows),
                                                 "--interval", "1000000000", "--quiet"])
        key_file = os.path.join(self.b.WORK, "sheet-key.json")
        with open(key_file, "w") as f:
            f.write(subprocess.run([sys.executable, STANDIN, str(port), "--service-account-json"],
                                   check=True, capture_output=True, text=True).stdout)
        worker = self.b.start_worker("sheet-worker")
        samples = []
        done = threading.Event()

        def sample():
            while not done.is_set():
                kb = self.b.rss_kb(worker.pid)
                if kb:
                    samples.append(kb)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        try:
            time.sleep(3)
            idle_kb = self.b.rss_kb(worker.pid)
            sampler.start()
            config = {"spreadsheet_id": "demo-sheet", "ranges": ["Leads!A:Z"], "poll_interval": 3600,
                      "sheets_base_url": "http://127.0.0.1:%d" % port, "token_url": "http://127.0.0.1:%d/token" % port}
            if os.environ.get("BENCH_SHEET_PAGE_ROWS"):
                config["page_rows"] = int(os.environ["BENCH_SHEET_PAGE_ROWS"])
            started = time.time()
            source = self.ctl("source", "create", "--tenant", "wbench-sheet", "--name", "sheet", "--kind", "sheet",
                              "--config", json.dumps(config), "--secret", "service_account=@" + key_file)["id"]
            deadline = time.time() + 1800
            row = None
            while time.time() < deadline:
                row = self.b.psql_row("SELECT duration_ms, outcome, accepted, requests, coalesce(error, ''), "
                                      "array_to_string(notes, ' / ') FROM poll_runs "
                                      "WHERE source_id = '%s' ORDER BY id LIMIT 1" % source)
                if row and row[0]:
                    break
                if worker.poll() is not None:
                    raise self.b.PhaseError("the Worker exited:\n%s" % self.b.log_tail("sheet-worker"))
                time.sleep(0.2)
            wall = time.time() - started
            done.set()
            if not row or not row[0]:
                raise self.b.PhaseError("no poll finished within 30 minutes")
            duration_ms, outcome, accepted, requests, error, notes = row
            leads = self.leads(source)
            if outcome != "ok" or leads != self.rows:
                raise self.b.PhaseError("the first poll ended %s (%s) with %d of %d leads" % (outcome, error, leads, self.rows))
            seconds = int(duration_ms) / 1000.0
            return {"seconds": seconds, "rows_per_s": self.rows / seconds, "wall_seconds_from_create": wall,
                    "requests": int(requests), "leads": leads, "notes": notes, "worker_rss_idle_mb": (idle_kb or 0) / 1024.0,
                    "worker_rss_peak_mb": max(samples or [0]) / 1024.0}
        finally:
            done.set()
            worker.stop()
            self.b.stop(standin)


def run(redis, bench):
    sheet = Sheet(bench)
    bench.reset(redis)
    bench.step("sheet: baseline, the same %d rows as a CSV import through IngestAPI" % sheet.rows)
    baseline = sheet.baseline()
    bench.step("sheet: the first poll of a %d-row sheet by one Worker" % sheet.rows)
    polled = sheet.sheet()
    return {"rows": sheet.rows, "csv_import": baseline, "sheet_first_poll": polled,
            "rate_vs_csv": polled["rows_per_s"] / baseline["rows_per_s"]}


def report_rows(phase, row):
    c, s = phase["csv_import"], phase["sheet_first_poll"]
    row("sheet: CSV import of the same %d rows (baseline)" % phase["rows"], "%.1f s, %.0f rows/s" % (c["seconds"], c["rows_per_s"]), "", None)
    row("sheet: first poll of a %d-row sheet, 1 Worker" % phase["rows"],
        "%.1f s, %.0f rows/s (%.2fx the CSV import)" % (s["seconds"], s["rows_per_s"], phase["rate_vs_csv"]), "", None)
    row("sheet: Worker RSS idle / peak during the poll", "%.0f / %.0f MB (%d Sheets reads)" % (
        s["worker_rss_idle_mb"], s["worker_rss_peak_mb"], s["requests"]), "", None)
