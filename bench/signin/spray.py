"""The operator's sign-in time without and under a password spray (run by bench/signin/run, which
starts PostgreSQL and Redis and sets the environment). Python 3 stdlib only.

Per scenario: IngestAPI is started (the operator comes from ADMIN_EMAIL/ADMIN_PASSWORD), Redis is
emptied, the operator signs in BENCH_SIGNINS times from 127.0.0.2 with nothing else running
("idle"), then BENCH_SPRAY_CLIENTS keep-alive clients on 127.0.0.1 send failed sign-ins for unknown
emails as fast as they are answered, each with a fresh X-Forwarded-For address, and the operator
signs in BENCH_SIGNINS times again ("spray"). A refused sign-in (429/503) is retried after its
Retry-After; its time counts. The operator's browser keeps the `lr_device` cookie of its earlier
sign-ins (servers that give one). Scenarios:
  default        TRUSTED_PROXIES unset (before the fix: every X-Forwarded-For was believed)
  trusted-proxy  TRUSTED_PROXIES=127.0.0.1/32: the spray looks like many clients behind a trusted
                 proxy (a botnet through the edge); only the cap on concurrent checks helps
"""
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Redis, env_reader, say, step  # noqa: E402

env = env_reader("spray.py", "bench/signin/run")
OPERATOR_EMAIL = "operator@example.com"
OPERATOR_PASSWORD = "bench-operator-password"
OPERATOR_SOURCE = "127.0.0.2"
SCENARIOS = {"default": {}, "trusted-proxy": {"TRUSTED_PROXIES": "127.0.0.1/32"}}


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """IngestAPI started for one scenario; its pid is listed in BENCH_PIDS for the shell's cleanup."""

    def __init__(self, extra):
        self.port = free_port()
        variables = dict(os.environ, PORT=str(self.port), ADMIN_EMAIL=OPERATOR_EMAIL, ADMIN_PASSWORD=OPERATOR_PASSWORD)
        variables.pop("TRUSTED_PROXIES", None)
        variables.update(extra)
        self.log = open(os.path.join(env("BENCH_WORK"), "ingestapi-%d.log" % self.port), "ab")
        self.proc = subprocess.Popen([env("BENCH_BIN"), "serve"], env=variables, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        with open(env("BENCH_PIDS"), "a") as f:
            f.write("%d\n" % self.proc.pid)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("IngestAPI exited during start-up (log in %s)" % self.log.name)
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/health/ready" % self.port, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("IngestAPI not ready within 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def operator_sign_in(port, device):
    """Seconds from the first POST /login to the 303 (refusals retried after Retry-After), and the refusals.
    `device` holds the operator's `lr_device` cookie (a browser that signed in before), when the server gives one."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(OPERATOR_SOURCE, 0))
    conn.request("GET", "/login")
    page = conn.getresponse()
    html = page.read().decode()
    cookie = re.search(r"lr_login=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    body = "_csrf=%s&email=%s&password=%s&next=%%2Fdashboard" % (token, OPERATOR_EMAIL.replace("@", "%40"), OPERATOR_PASSWORD)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "lr_login=" + cookie}
    if device.get("lr_device"):
        headers["Cookie"] += "; lr_device=" + device["lr_device"]
    refusals = 0
    started = time.perf_counter()
    while True:
        conn.request("POST", "/login", body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        if answer.status == 303:
            for header in answer.headers.get_all("Set-Cookie") or []:
                if header.startswith("lr_device="):
                    device["lr_device"] = header.split(";")[0][len("lr_device="):]
            conn.close()
            return time.perf_counter() - started, refusals
        if answer.status not in (429, 503):
            raise SystemExit("operator sign-in answered %d" % answer.status)
        refusals += 1
        time.sleep(float(answer.getheader("Retry-After", "1")))


class Spray:
    """BENCH_SPRAY_CLIENTS threads sending failed sign-ins, each request with a fresh forwarded address."""

    def __init__(self, port, clients):
        self.port, self.stop_event, self.lock = port, threading.Event(), threading.Lock()
        self.statuses, self.sent = {}, 0
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(clients)]
        for thread in self.threads:
            thread.start()

    def run(self, client):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "lr_login=spray"}
        n = 0
        while not self.stop_event.is_set():
            n += 1
            headers["X-Forwarded-For"] = "10.%d.%d.%d" % (client, n >> 8 & 255, n & 255)
            body = "_csrf=spray&email=spray-%d-%d%%40example.com&password=wrong-password-%d" % (client, n, n)
            try:
                conn.request("POST", "/login", body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                status = "error"
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.sent += 1

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(130)


def measure(port, count, device):
    times, refusals = [], 0
    for _ in range(count):
        seconds, refused = operator_sign_in(port, device)
        times.append(seconds)
        refusals += refused
        time.sleep(0.3)
    return times, refusals


def main():
    clients, count = int(env("BENCH_SPRAY_CLIENTS", "32")), int(env("BENCH_SIGNINS", "8"))
    say("sign-in under a %d-way password spray; %s, PASSWORD_HASH_COST=%s, %d CPUs" % (
        clients, env("BENCH_BIN"), env("PASSWORD_HASH_COST"), os.cpu_count()))
    say("%-14s %10s %10s %7s %9s  %s" % ("scenario", "idle s", "spray s", "ratio", "refused", "spray answers (per s)"))
    for name in env("BENCH_SCENARIOS", "default,trusted-proxy").split(","):
        step("scenario %s" % name)
        redis = Redis(env("BENCH_REDIS_PORT"))
        redis.cmd("FLUSHALL")
        redis.close()
        server = Server(SCENARIOS[name])
        try:
            device = {}
            measure(server.port, 2, device)  # warm-up; the operator's browser has signed in before
            idle, _ = measure(server.port, count, device)
            spray = Spray(server.port, clients)
            time.sleep(3)
            started = time.time()
            sent_before = spray.sent
            under, refused = measure(server.port, count, device)
            rate = (spray.sent - sent_before) / (time.time() - started)
            spray.stop()
        finally:
            server.stop()
        idle_median, under_median = statistics.median(idle), statistics.median(under)
        answers = ", ".join("%s: %d" % (k, v) for k, v in sorted(spray.statuses.items(), key=lambda kv: str(kv[0])))
        say("%-14s %10.3f %10.3f %6.1fx %9d  %s (%.0f/s)" % (name, idle_median, under_median, under_median / idle_median, refused,
                                                          answers, rate))
        say("    idle: %s" % " ".join("%.3f" % t for t in idle))
        say("    spray: %s" % " ".join("%.3f" % t for t in under))


if __name__ == "__main__":
    main()
