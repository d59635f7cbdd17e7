"""Google Sheets stand-ins for the polling steps of scripts/e2e-messaging, built on
scripts/lib/demo_sheet_standin.py (its token endpoint, range parsing and ValueRange answers):
  - `start_demo_process`: the demo script itself as a child process (its five leads, then one more
    every `interval` seconds), as an operator would run it;
  - `FixedSheet`: the same HTTP answers in this process over rows the driver sets and appends to
    (a sheet that grows on cue, or 20,000 generated rows).
Both serve spreadsheet `demo-sheet`, tab `Leads`; `source_config` is a sheet source's config for them.
"""
import os
import socket
import sys
import threading
import time
from http.server import ThreadingHTTPServer

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEMO_SCRIPT = os.path.join(LIB, "demo_sheet_standin.py")
sys.path.insert(0, LIB)
import demo_sheet_standin as demo  # noqa: E402

HEADER = demo.HEADER


def source_config(port, poll_interval=10):
    return {"spreadsheet_id": demo.SPREADSHEET_ID, "ranges": ["%s!A:Z" % demo.TAB], "poll_interval": poll_interval,
            "start_at": "beginning", "sheets_base_url": "http://127.0.0.1:%d" % port,
            "token_url": "http://127.0.0.1:%d/token" % port}


def service_account_file(port, path):
    """Writes a service-account key (fresh RSA key, token_uri this stand-in) to `path`; returns `path`."""
    with open(path, "w") as f:
        f.write(demo.service_account_json(port))
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo_process(procs, interval, seconds=15):
    """Runs demo_sheet_standin.py on a free port; returns (proc, port, started) once it listens,
    `started` being a time.time() taken before the spawn (its rows are counted from a moment after)."""
    port = free_port()
    started = time.time()
    proc = procs.spawn("demo-sheet", [sys.executable, DEMO_SCRIPT, str(port), "--interval", str(interval)])
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("demo_sheet_standin.py exited:\n" + procs.log_tail("demo-sheet"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port, started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("demo_sheet_standin.py did not listen on :%d within %d s" % (port, seconds))


class FixedSheet(demo.DemoSheet):
    """The demo stand-in's HTTP answers over the header and `rows`, served from this process."""

    def __init__(self, rows):
        super().__init__(interval=float("inf"))
        self.data = [list(HEADER)] + [list(r) for r in rows]
        self.data_lock = threading.Lock()
        handler = type("FixedSheetHandler", (demo.Handler,), {"sheet": self, "log_message": lambda *args: None})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="sheet-%d" % self.port, daemon=True).start()

    def rows(self):
        with self.data_lock:
            return list(self.data)

    def append(self, rows):
        with self.data_lock:
            self.data.extend(list(r) for r in rows)

    @property
    def lead_rows(self):
        with self.data_lock:
            return len(self.data) - 1

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def generated_rows(prefix, first, count):
    """`count` distinct rows (name, email, Israeli mobile, location) numbered from `first`."""
    return [["%s Lead %d" % (prefix.title(), n), "%s.%d@sheets.example.com" % (prefix, n),
             "054-%03d-%04d" % (300 + n // 10000, n % 10000), ("Tel Aviv", "Haifa", "")[n % 3]]
            for n in range(first, first + count)]
