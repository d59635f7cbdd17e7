"""Named checks of scripts/e2e-messaging: each prints PASS or FAIL (with what was seen) as it is
made, and the run ends with a compact summary table."""
import sys
import time

GREEN, RED, YELLOW, BOLD, RESET = ("\033[32m", "\033[31m", "\033[33m", "\033[1m", "\033[0m") if sys.stdout.isatty() \
    else ("", "", "", "", "")


class Checks:
    def __init__(self):
        self.rows = []  # (step number, check, verdict PASS/FAIL/SKIP, detail)
        self.step_name = ""
        self.started = time.time()

    def step(self, name):
        self.step_name = name.split(" ")[0]
        print("\n%s==> %s%s  (%.1f s)" % (BOLD, name, RESET, time.time() - self.started), flush=True)

    def check(self, name, ok, detail=""):
        """Records and prints one check; returns ok so callers can stop depending steps."""
        verdict = "PASS" if ok else "FAIL"
        self.rows.append((self.step_name, name, verdict, detail))
        colour = GREEN if ok else RED
        print("  %s%s%s %s%s" % (colour, verdict, RESET, name, (": " + detail) if detail and not ok else ""), flush=True)
        return ok

    def equal(self, name, got, expected):
        return self.check(name, got == expected, "got %r, expected %r" % (got, expected))

    def no_problems(self, name, problems):
        return self.check(name, not problems, "; ".join(problems))

    def skip(self, name, why):
        self.rows.append((self.step_name, name, "SKIP", why))
        print("  %sSKIP%s %s: %s" % (YELLOW, RESET, name, why), flush=True)

    @property
    def failed(self):
        return [r for r in self.rows if r[2] == "FAIL"]

    def summary(self):
        print("\n%sEnd-to-end messaging: summary%s (%.0f s)" % (BOLD, RESET, time.time() - self.started))
        width_check = min(90, max(len(r[1]) for r in self.rows))
        print("%-4s %-*s %s" % ("step", width_check, "check", "verdict"))
        for step, check, verdict, detail in self.rows:
            line = "%-4s %-*s %s" % (step, width_check, check[:width_check], verdict)
            if verdict != "PASS":
                line += "  " + detail[:160]
            print(line)
        passed = sum(1 for r in self.rows if r[2] == "PASS")
        skipped = sum(1 for r in self.rows if r[2] == "SKIP")
        print("%d passed, %d failed, %d skipped" % (passed, len(self.failed), skipped), flush=True)
