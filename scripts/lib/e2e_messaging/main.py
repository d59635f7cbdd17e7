#!/usr/bin/env python3
"""The driver of scripts/e2e-messaging (run that, not this file): starts the stand-ins, IngestAPI
and one Worker, seeds a tenant with leadctl and walks the scenario of issue 18's end-to-end test, then
the polled sources of issue 20 (polling_scenario.py: a second Worker, one killed), printing PASS/FAIL
per check and a summary; exits 1 when any check failed."""
import sys
import traceback

from checks import Checks
from polling_scenario import Polling
from providers import start_all
from scenario import Scenario
from services import Services, StepError
from smtp_server import SMTPServer


def main():
    checks = Checks()
    services = Services()
    providers = start_all()
    smtp = SMTPServer()
    scenario = Scenario(services, checks, providers, smtp)
    polling = Polling(services, checks)
    try:
        checks.step("1. start IngestAPI and a Worker")
        services.start_api()
        services.start_worker()
        checks.check("IngestAPI ready and Worker ready", True)
        for step in scenario.steps() + polling.steps():
            try:
                step()
            except StepError as e:
                checks.check("step ran to its checks", False, str(e).splitlines()[0][:300])
                print(str(e), file=sys.stderr)
                if step == scenario.seed:
                    break  # nothing later can run without the tenant
    except StepError as e:
        checks.check("step ran to its checks", False, str(e).splitlines()[0][:300])
        print(str(e), file=sys.stderr)
    except Exception as e:  # a bug in the driver: a failed run, with its traceback
        checks.check("driver ran to the end", False, "%s: %s" % (type(e).__name__, e))
        traceback.print_exc()
    finally:
        services.stop_all()
        polling.stop()
        for stand_in in providers.values():
            stand_in.stop()
        smtp.stop()
    checks.summary()
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
