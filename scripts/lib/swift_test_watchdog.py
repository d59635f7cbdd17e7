#!/usr/bin/env python3
"""Runs `swift test` and, when it hangs, says where before killing it.

    swift_test_watchdog.py --total 45m --silence 10m -- swift test --skip-build ...

Output is passed through unchanged. The run counts as hung when it prints nothing for
`--silence` or outlives `--total`; then the watchdog prints every thread's backtrace of each
test process (gdb), the tests that started and never finished, kills the whole
process group and exits 124 (what `timeout` answers), so CI's tail names the culprit instead
of only "a test is hung".
"""
import argparse
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

STARTED = re.compile(r"^◇ Test (?!case passing|run started)(.+) started\.$")
FINISHED = re.compile(r"^[✔✘] Test (?!case passing)(.+?)(?: with \d+ test cases?)? (?:passed|failed)\b")


def seconds(text):
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


class Tracker:
    """Tests started and not yet finished, by name (a name may run more than once)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = collections.Counter()
        self.started_at = {}
        self.last_output = time.monotonic()

    def line(self, text):
        with self.lock:
            self.last_output = time.monotonic()
            if match := STARTED.match(text):
                self.running[match.group(1)] += 1
                self.started_at.setdefault(match.group(1), time.monotonic())
            elif match := FINISHED.match(text):
                name = match.group(1)
                if self.running[name] > 0:
                    self.running[name] -= 1
                if self.running[name] == 0:
                    self.running.pop(name, None)
                    self.started_at.pop(name, None)

    def unfinished(self):
        with self.lock:
            now = time.monotonic()
            return sorted(((now - self.started_at.get(name, now), name) for name in self.running), reverse=True)


def pump(stream, tracker):
    for raw in iter(stream.readline, b""):
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        tracker.line(raw.decode("utf-8", "replace").rstrip("\r\n"))


def test_processes(session):
    """Processes of the run's session that are test binaries (`*.xctest`, `*-test-runner`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getsid(int(entry)) != session:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except (OSError, ProcessLookupError):
            continue
        if ".xctest" in command or "test-runner" in command:
            found.append((int(entry), command))
    return found


def backtraces(pid):
    """Every thread's backtrace of `pid` from gdb, Swift names demangled (`swift demangle`)."""
    if not shutil.which("gdb"):
        return "(gdb is not installed: no backtraces)"
    command = ["gdb", "--batch", "-p", str(pid), "-ex", "set pagination off", "-ex", "thread apply all bt"]
    try:
        text = subprocess.run(command, capture_output=True, timeout=300, text=True, errors="replace").stdout
    except (subprocess.TimeoutExpired, OSError) as error:
        return f"(gdb failed: {error})"
    if shutil.which("swift"):
        try:
            demangled = subprocess.run(["swift", "demangle", "--simplified"], input=text, capture_output=True, timeout=120, text=True)
            if demangled.returncode == 0 and demangled.stdout:
                text = demangled.stdout
        except (subprocess.TimeoutExpired, OSError):
            pass
    return text


def diagnose(child, tracker, reason, log_dir):
    out = sys.stderr
    print(f"\nwatchdog: {reason}; looking at the test processes before killing them", file=out, flush=True)
    summaries = []
    for pid, command in test_processes(child.pid):
        text = backtraces(pid)
        path = os.path.join(log_dir, f"hung-test-backtraces-{pid}.txt")
        try:
            with open(path, "w") as handle:
                handle.write(command + "\n\n" + text)
        except OSError:
            path = "(not saved)"
        print(f"\n---- backtraces of {pid}: {command}\n{text}", file=out, flush=True)
        # Our own frames only, first per thread: a short summary that survives a truncated log.
        ours = []
        for block in re.split(r"\n(?=Thread \d+ )", text):
            frames = [line.strip() for line in block.splitlines() if re.search(r"\b(Shared|Worker|IngestAPI|LeadCtl|Redis|TestSupport|\w+Tests)\.", line)]
            if frames:
                header = block.strip().splitlines()[0][:120]
                ours.append(f"  {header}\n      {frames[0][:300]}")
        summaries.append((pid, path, ours))
    print("\nwatchdog summary", file=out)
    for pid, path, ours in summaries:
        print(f"test process {pid}: full backtraces in {path}; threads in LeadRelay code:", file=out)
        print("\n".join(ours) if ours else "  (none)", file=out)
    unfinished = tracker.unfinished()
    print(f"tests started and not finished ({len(unfinished)}), longest first:", file=out)
    for age, name in unfinished[:40]:
        print(f"  {age:7.0f} s  {name}", file=out)
    out.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", default="45m")
    parser.add_argument("--silence", default="10m")
    parser.add_argument("--log-dir", default=os.environ.get("TMPDIR", "/tmp"))
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    total, silence = seconds(options.total), seconds(options.silence)

    tracker = Tracker()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    reader = threading.Thread(target=pump, args=(child.stdout, tracker), daemon=True)
    reader.start()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: (os.killpg(child.pid, signal.SIGKILL), sys.exit(130)))

    started = time.monotonic()
    while child.poll() is None:
        time.sleep(2)
        now = time.monotonic()
        reason = None
        if now - started > total:
            reason = f"swift test ran longer than {options.total}"
        elif now - tracker.last_output > silence:
            reason = f"swift test printed nothing for {options.silence}"
        if reason:
            diagnose(child, tracker, reason, options.log_dir)
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            reader.join(timeout=5)
            return 124
    reader.join(timeout=30)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
