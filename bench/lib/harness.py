"""Helpers shared by the Python drivers of `bench/worker` (worker_bench.py) and `scripts/chaos`
(scripts/lib/chaos/): psql, a minimal Redis (RESP) client, child processes recorded in a pid
file so that the calling shell script's trap can stop exactly those, and /proc readings.
Python 3 stdlib only.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    """A loopback TCP port that nothing listens on right now (bind to port 0, read it, close)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_reader(program, script):
    """An env(name, default=None) for `program`: a missing variable without a default stops it with
    a message naming the script that sets the environment."""
    def env(name, default=None):
        value = os.environ.get(name)
        if value is None or value == "":
            if default is None:
                raise SystemExit("%s: %s is not set (run %s, not this file)" % (program, name, script))
            return default
        return value
    return env


def say(text=""):
    print(text, flush=True)


def step(text):
    print("\033[1m==>\033[0m %s" % text, file=sys.stderr, flush=True)


class HarnessError(Exception):
    """A failed step (the drivers turn it into a failed phase or check)."""


# ---------------------------------------------------------------------------------------------
# PostgreSQL (psql) and Redis


class Psql:
    """psql against 127.0.0.1:port/db as the `leadrelay` superuser of the throw-away cluster."""

    def __init__(self, port, db, error=HarnessError):
        self.port, self.db, self.error = str(port), db, error

    def run(self, sql, timeout=3600):
        """Runs `sql` (one or more statements, each in its own transaction) and returns stdout."""
        proc = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", self.port, "-U", "leadrelay", "-d", self.db, "-v", "ON_ERROR_STOP=1", "-qtAX",
             "-f", "-"], input=sql, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise self.error("psql failed: %s\n%s" % (proc.stderr.strip(), sql[:300]))
        return proc.stdout.strip()

    def row(self, sql):
        return self.run(sql).split("|")

    def rows(self, sql):
        out = self.run(sql)
        return [line.split("|") for line in out.splitlines()] if out else []


class RedisError(Exception):
    pass


class Redis:
    def __init__(self, port, timeout=None):
        self.sock = socket.create_connection(("127.0.0.1", int(port)), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    @staticmethod
    def encode(*args):
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(parts)

    def read(self):
        line = self.reader.readline()
        if not line:
            raise RedisError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RedisError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.reader.read(n + 2)[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RedisError("unexpected reply %r" % line)

    def cmd(self, *args):
        self.sock.sendall(self.encode(*args))
        reply = self.read()
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def pipeline(self, commands):
        self.sock.sendall(b"".join(self.encode(*c) for c in commands))
        replies = [self.read() for _ in commands]
        errors = [r for r in replies if isinstance(r, RedisError)]
        if errors:
            raise errors[0]
        return replies

    def info(self, section):
        text = self.cmd("INFO", section).decode()
        return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------------------------------------
# Child processes


class Procs:
    """Starts children with their output in `work`/<name>.log and lists each pid in `pids_file`
    (one a line) so that the shell script's cleanup can stop exactly those, even if Python dies."""

    def __init__(self, work, pids_file, error=HarnessError):
        self.work, self.pids_file, self.error = work, pids_file, error

    def register(self, pid):
        with open(self.pids_file, "a") as f:
            f.write("%d\n" % pid)

    def unregister(self, pid):
        with open(self.pids_file) as f:
            pids = [line.strip() for line in f if line.strip() and line.strip() != str(pid)]
        with open(self.pids_file, "w") as f:
            f.write("".join(p + "\n" for p in pids))

    def spawn(self, name, argv, extra_env=None):
        env_vars = dict(os.environ)
        env_vars.update(extra_env or {})
        log = open(os.path.join(self.work, name + ".log"), "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env_vars, stdin=subprocess.DEVNULL)
        log.close()
        proc.bench_name = name
        self.register(proc.pid)
        return proc

    def stop(self, proc, timeout=40):
        """SIGTERM, wait (graceful shutdown), SIGKILL if it hangs. Returns the exit status."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.unregister(proc.pid)
        return proc.returncode

    def log_tail(self, name, lines=15):
        try:
            with open(os.path.join(self.work, name + ".log"), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def wait_http(self, url, proc, seconds=30):
        """Polls `url` until it answers 200; fails when `proc` exits or after `seconds`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            if proc.poll() is not None:
                raise self.error("%s exited during start-up:\n%s" % (proc.bench_name, self.log_tail(proc.bench_name)))
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise self.error("%s not ready at %s within %d s" % (proc.bench_name, url, seconds))


# ---------------------------------------------------------------------------------------------
# HTTP stand-ins (the CRMs of bench/worker and scripts/chaos)


class KeepAliveHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no Nagle, no request log; `answer` writes head and body in one write
    (no Nagle / delayed-ACK stall between two small segments)."""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    REASONS = {200: "OK", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
               502: "Bad Gateway", 503: "Service Unavailable"}

    def read_json(self):
        """The request body and its JSON value (None when it is not JSON)."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            return body, json.loads(body)
        except ValueError:
            return body, None

    def answer(self, status, headers, data):
        head = "HTTP/1.1 %d %s\r\n" % (status, self.REASONS.get(status, "Status"))
        head += "".join("%s: %s\r\n" % kv for kv in headers.items())
        head += "Content-Length: %d\r\n\r\n" % len(data)
        try:
            self.wfile.write(head.encode() + data)
        except OSError:
            self.close_connection = True

    def answer_json(self, status, payload):
        self.answer(status, {"Content-Type": "application/json"}, json.dumps(payload).encode())

    def log_message(self, *args):
        pass


# ---------------------------------------------------------------------------------------------
# /proc


def proc_stat(pid):
    """(ppid, utime+stime, cutime+cstime) in clock ticks, or None if gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def children(ppid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = proc_stat(int(entry))
            if st and st[0] == ppid:
                out.append(int(entry))
    return out


def status_kb(pid, field):
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM …), or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_kb(pid):
    return status_kb(pid, "VmRSS")


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def command_output(args, default="unknown"):
    """The first line a command prints (stdout, else stderr)."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return default
    text = proc.stdout.strip() or proc.stderr.strip()
    return text.splitlines()[0] if text else default


def percentile(sorted_values, p):
    """Linear interpolation between closest ranks; p in 0..100."""
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)
