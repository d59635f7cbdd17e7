#!/usr/bin/env python3
"""The driver of scripts/chaos (run that, not this file): runs the named scenarios one after the
other, prints a verdict table per scenario, writes bench/results/chaos-<stamp>.json and exits 1
when any check failed or a scenario could not finish."""
import json
import os
import platform
import sys
import time
import traceback

from ctx import Checks, Context, ScenarioError, env, harness, say, step
from scenarios import SCENARIOS
import flush_pg_kill

SCENARIOS.update(flush_pg_kill.SCENARIOS)


def machine():
    cpu = harness.cpu_model()
    root = env("CHAOS_ROOT")
    dirty = harness.command_output(["git", "-C", root, "status", "--porcelain", "--", "Sources", "Package.swift", "migrations"])
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "postgresql": harness.command_output([os.path.join(env("CHAOS_PG_BINDIR"), "postgres"), "--version"]),
            "redis": harness.command_output(["redis-server", "--version"]).split(" sha=")[0],
            "git": harness.command_output(["git", "-C", root, "rev-parse", "--short", "HEAD"])
            + (" (Sources modified)" if dirty not in ("", "unknown") else ""),
            "build": env("CHAOS_BUILD_DESC")}


def table(rows):
    head = ("check", "measured", "expected", "ok")
    cells = [(r["check"], str(r["value"]), str(r["expected"]), "" if r["ok"] is None else ("yes" if r["ok"] else "NO"))
             for r in rows]
    widths = [max(len(c[i]) for c in cells + [head]) for i in range(4)]
    say("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    say("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for c in cells:
        say("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths)) + " |")


def ensure_services(ctx):
    """After a failed scenario: PostgreSQL and Redis up again for the next one."""
    if not ctx.redis_up():
        ctx.start_redis()
    try:
        ctx.pg.run("SELECT 1")
    except ScenarioError:
        ctx.start_postgres()


def main():
    names = sys.argv[1:]
    if "all" in names:
        names = list(SCENARIOS)
    repeat = int(env("CHAOS_REPEAT", "1"))
    runs = [(name, "%s#%d" % (name, i + 1) if repeat > 1 else name) for i in range(repeat) for name in names]
    ctx = Context()
    facts = machine()
    load = open("/proc/loadavg").read().split()[:3]
    say("LeadRelay fault suite: %s" % " ".join(names))
    say("machine:  %d cores (%s), Linux %s, load average %s at start" % (facts["nproc"], facts["cpu"], facts["kernel"], " ".join(load)))
    say("software: %s; %s; build %s; git %s" % (facts["postgresql"], facts["redis"], facts["build"], facts["git"]))
    say("command:  %s" % env("CHAOS_COMMAND"))
    results = {"stamp": env("CHAOS_STAMP"), "command": env("CHAOS_COMMAND"), "machine": facts, "loadavg_at_start": load,
               "scale": float(env("CHAOS_SCALE", "1")), "worker_count": ctx.worker_count, "scenarios": {}}
    failed = []
    for name, label in runs:
        checks, figures = Checks(), {}
        say()
        step("%s: starting (load average %s)" % (label, " ".join(open("/proc/loadavg").read().split()[:3])))
        t0 = time.time()
        error = None
        try:
            SCENARIOS[name](ctx, checks, figures)
        except ScenarioError as e:
            error = str(e)
        except Exception as e:  # a bug in the harness: report it with the scenario, go on with the next
            error = "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc())
        finally:
            ctx.stop_all()
        if error:
            checks.add("scenario ran to its checks", error.splitlines()[0][:200], "yes", False)
            try:
                ensure_services(ctx)
            except ScenarioError as e:
                error += "\nservices could not be restored: %s" % e
        elapsed = time.time() - t0
        say()
        say("%s (%.0f s): %s" % (label, elapsed, "FAIL" if checks.failed else "pass"))
        table(checks.rows)
        if error:
            say("error: %s" % error)
        results["scenarios"][label] = {"seconds": round(elapsed, 1), "ok": not checks.failed, "checks": checks.rows,
                                      "figures": figures, "error": error,
                                      "loadavg_after": open("/proc/loadavg").read().split()[:3]}
        if checks.failed:
            failed.append(label)
    path = os.path.join(env("CHAOS_RESULTS"), "chaos-%s.json" % env("CHAOS_STAMP"))
    with open(path, "w") as f:
        json.dump(results, f, indent=2, default=str)
    say()
    say("results: bench/results/%s" % os.path.basename(path))
    if failed:
        say("FAILED: %s" % ", ".join(failed))
        sys.exit(1)
    say("all checks passed")


if __name__ == "__main__":
    main()
