"""Steps 9-12 of scripts/e2e-messaging (issue 20: polled sources through the real processes). A sheet
source against demo_sheet_standin.py: its rows become leads, a row added later one more lead; two
Worker processes polling one sheet make each row one lead and never poll it at the same time; a
Worker killed (kill -9) mid-poll of a 20,000-row sheet loses nothing (another takes the source over
when the lease runs out); a Shopmonkey webhook source that also polls: a customer received both
ways is one lead, 150 more (two pages) are 150 leads. Leads and polls are read with psql."""
import base64
import collections
import json
import os
import re
import time

import sheet_standin
import webhooks
from fixtures import TENANT
from services import StepError, wait_for
from shopmonkey_standin import ShopmonkeyStandIn, customer, minutes_ago

DEMO_INTERVAL = 10  # seconds between the demo sheet's new rows
BIG_SHEET_ROWS = 20_000
LEASE_SECONDS = 30  # DeliveryEngineTuning.pollLease
SHOPMONKEY_TOKEN = "e2e-shopmonkey-api-token"
SHOPMONKEY_SECRET = "whsec_" + base64.b64encode(b"e2e-shopmonkey-signing-secret-0001").decode()
SHOPMONKEY_OTHERS = 150

Run = collections.namedtuple("Run", "worker started finished outcome rows_read accepted duplicates rejected error")


class Polling:
    def __init__(self, services, checks):
        self.s, self.c = services, checks
        self.stand_ins = []

    def steps(self):
        return [self.sheet, self.two_workers, self.killed_worker, self.shopmonkey]

    def stop(self):
        for stand_in in self.stand_ins:
            stand_in.stop()
        self.stand_ins = []

    # --- 9. a sheet source --------------------------------------------------------------------------

    def sheet(self):
        c, s = self.c, self.s
        c.step("9. a sheet source (demo_sheet_standin.py): its rows become leads; a row added later is one more lead")
        try:
            demo, port, spawned = sheet_standin.start_demo_process(s.procs, DEMO_INTERVAL)
        except RuntimeError as e:
            raise StepError(str(e))
        listening = time.time()  # the demo's sixth row is there DEMO_INTERVAL s after this at the latest
        try:
            source_id = self.sheet_source("Demo sheet", port)["id"]
            first = self.wait_runs(source_id, lambda runs: len(runs) >= 1, 30, "the sheet's first poll")[0]
            c.check("first poll: ok, the 5 rows read and accepted", (first.outcome, first.rows_read, first.accepted) == ("ok", 5, 5),
                    repr(first))
            c.equal("leads of the sheet source after the first poll", self.leads(source_id), 5)
            poll = (s.leadctl("source", "show", "Demo sheet", "--tenant", TENANT) or {}).get("poll") or {}
            c.check("leadctl source show: polling state ok, the poll listed with 5 accepted",
                    poll.get("state") == "ok" and any(r.get("accepted") == 5 for r in poll.get("runs") or []),
                    json.dumps(poll)[:400])

            time.sleep(max(0.0, listening + DEMO_INTERVAL + 0.3 - time.time()))
            asked = time.time()
            s.leadctl("source", "poll", "Demo sheet", "--tenant", TENANT)
            runs = self.wait_runs(source_id, lambda runs: any(r.started >= asked for r in runs), 30,
                                  "the poll asked for with leadctl source poll")
            in_time = time.time() < spawned + 2 * DEMO_INTERVAL
            c.check("that poll ran before the demo's seventh row was due", in_time,
                    "%.1f s after the demo started" % (time.time() - spawned))
            c.equal("leads after the next poll: exactly one more", self.leads(source_id), 6)
            sixth = sheet_standin.demo.generated_row(0)[1]
            c.equal("the new lead is the added row (%s)" % sixth,
                    s.pg.run("SELECT count(*) FROM leads WHERE source_id = '%s' AND email = '%s'" % (source_id, sixth)), "1")
            c.equal("accepted over the source's polls, and duplicates", (sum(r.accepted for r in runs), sum(r.duplicates for r in runs)),
                    (6, 0))
            shown = s.leadctl("source", "show", "Demo sheet", "--tenant", TENANT, "--runs", "20")
            c.equal("leadctl source show lists every poll", len(((shown or {}).get("poll") or {}).get("runs") or []),
                    len(self.runs(source_id)))
            s.leadctl("source", "disable", "Demo sheet", "--tenant", TENANT)
        finally:
            s.procs.stop(demo)

    # --- 10. two workers, one sheet -----------------------------------------------------------------

    def two_workers(self):
        c, s = self.c, self.s
        c.step("10. two Worker processes poll one sheet: each row one lead, its polls never overlap")
        s.start_worker("worker2")
        c.check("a second Worker process is ready", True)
        sheet = self.fixed_sheet(sheet_standin.generated_rows("pair", 0, 5))
        source_id = self.sheet_source("Shared sheet", sheet.port)["id"]
        added = 5
        # New rows and "poll now" faster than one worker's 1 s check: both workers race for each poll.
        for batch in range(1, 8):
            sheet.append(sheet_standin.generated_rows("pair", added, batch))
            added += batch
            s.leadctl("source", "poll", "Shared sheet", "--tenant", TENANT)
            time.sleep(0.7)
        last_asked = time.time()
        s.leadctl("source", "poll", "Shared sheet", "--tenant", TENANT)
        runs = self.wait_runs(source_id, lambda runs: any(r.started >= last_asked for r in runs), 30,
                              "a poll after the last row was added")
        s.check_alive()
        leads = self.leads(source_id)
        c.equal("leads of the sheet == its rows", leads, sheet.lead_rows)
        c.equal("distinct leads (by email) == leads", self.distinct_leads(source_id), leads)
        c.check("several polls ran (%d, by %d worker(s))" % (len(runs), len({r.worker for r in runs})), len(runs) >= 4,
                "%d polls" % len(runs))
        overlaps = [(a, b) for a, b in zip(runs, runs[1:]) if b.started < a.finished]
        c.check("the source's polls never overlapped in time", not overlaps,
                "; ".join("%s %.3f..%.3f and %s %.3f..%.3f" % (a.worker, a.started, a.finished, b.worker, b.started, b.finished)
                          for a, b in overlaps[:3]))
        c.equal("accepted summed over the polls == leads", sum(r.accepted for r in runs), leads)
        c.equal("polls that failed", [r for r in runs if r.outcome == "error"], [])
        self.retire("Shared sheet", sheet)

    # --- 11. a worker killed mid-poll ---------------------------------------------------------------

    def killed_worker(self):
        c, s = self.c, self.s
        c.step("11. a Worker killed (kill -9) mid-poll of a %d-row sheet: another takes over, nothing lost or doubled"
               % BIG_SHEET_ROWS)
        workers = [p for p in s.running if p.bench_name.startswith("worker")]
        if len(workers) < 2:
            raise StepError("two Worker processes are needed (step 10 starts the second); running: %s"
                            % [p.bench_name for p in s.running])
        sheet = self.fixed_sheet(sheet_standin.generated_rows("bulk", 0, BIG_SHEET_ROWS))
        source_id = self.sheet_source("Big sheet", sheet.port)["id"]
        wait_for(lambda: self.leads(source_id) > 0, 120, "the first rows of the big sheet to be leads", every=0.02)
        owner = self.lease(source_id)[0]
        victim = next((p for p in workers if re.search(r"-%d-[0-9a-f]+$" % p.pid, owner)), None)
        if victim is None:
            raise StepError("the lease holder %r is none of the workers %s" % (owner, [p.pid for p in workers]))
        s.kill(victim)
        killed = time.time()
        # A COMMIT the worker sent just before it died still completes in PostgreSQL; an open
        # transaction is rolled back. A moment later the count is what the worker left behind.
        time.sleep(1)
        committed = self.leads(source_id)
        c.check("%s killed mid-poll: some rows were leads, not all" % victim.bench_name, 0 < committed < BIG_SHEET_ROWS,
                "%d leads when it was killed" % committed)
        wait_for(lambda: self.lease(source_id)[0] not in ("", owner) or self.runs(source_id), LEASE_SECONDS + 30,
                 "another worker to take the source over")
        took = time.time() - killed
        c.check("another worker took the poll over within the lease (%d s)" % LEASE_SECONDS, took <= LEASE_SECONDS + 3,
                "%.1f s after the kill" % took)
        try:
            runs = self.wait_runs(source_id, lambda runs: any(r.outcome == "ok" for r in runs), 120,
                                  "the taken-over poll to finish")
        except StepError as e:
            c.check("the taken-over poll finished", False, str(e))
            runs = self.runs(source_id)
        c.equal("leads of the %d-row sheet" % BIG_SHEET_ROWS, self.leads(source_id), BIG_SHEET_ROWS)
        c.equal("distinct leads (by email)", self.distinct_leads(source_id), BIG_SHEET_ROWS)
        c.equal("the killed worker recorded no poll", [r for r in runs if r.worker == owner], [])
        c.equal("the polls after the kill: accepted == the rest, no duplicates, none rejected",
                (sum(r.accepted for r in runs), sum(r.duplicates for r in runs), sum(r.rejected for r in runs)),
                (BIG_SHEET_ROWS - committed, 0, 0))
        c.equal("sheet_rows: every row once, each with its own lead", s.pg.row(
            "SELECT count(*), count(DISTINCT lead_id) FROM sheet_rows WHERE source_id = '%s'" % source_id),
            [str(BIG_SHEET_ROWS)] * 2)
        self.retire("Big sheet", sheet)

    # --- 12. Shopmonkey -----------------------------------------------------------------------------

    def shopmonkey(self):
        c, s = self.c, self.s
        c.step("12. Shopmonkey (webhook source that also polls): a customer both ways is one lead; %d more over 2 pages"
               % SHOPMONKEY_OTHERS)
        shop = ShopmonkeyStandIn(SHOPMONKEY_TOKEN)
        self.stand_ins.append(shop)
        hooked = customer("cust-e2e-hook", "רותם", "שושן", "rotem.hook@example.com", "+12015550100", minutes_ago(300))
        shop.add(hooked)
        for n in range(SHOPMONKEY_OTHERS):
            shop.add(customer("cust-e2e-%03d" % n, "Driver", str(n), "driver%d@shop.example.com" % n, "+1201555%04d" % (1000 + n),
                              minutes_ago(290 - n)))
        config = {"poll": {"api_base_url": shop.url, "poll_interval": 10, "start_at": "beginning"}}
        args = ["source", "create", "--tenant", TENANT, "--name", "Shopmonkey", "--kind", "webhook", "--preset", "shopmonkey",
                "--config", json.dumps(config), "--secret", "api_token=" + SHOPMONKEY_TOKEN,
                "--secret", "signing_secret=" + SHOPMONKEY_SECRET]
        source = s.leadctl(*args)
        source_id, hook = source["id"], s.api_url + "/hooks/" + source["token"]
        body = webhooks.shopmonkey_customer_insert(hooked)
        forged = webhooks.post_shopmonkey(hook, body, "whsec_" + base64.b64encode(b"not-the-signing-secret").decode(),
                                          "msg_e2e_forged", int(time.time()))
        c.equal("customer INSERT signed with another secret: status", forged.status, 401)
        answer = webhooks.post_shopmonkey(hook, body, SHOPMONKEY_SECRET, "msg_e2e_1", int(time.time()))
        c.check("signed customer INSERT answered 200", answer.status == 200, "%d %r" % (answer.status, answer.body[:200]))
        total = SHOPMONKEY_OTHERS + 1
        try:
            runs = self.wait_runs(source_id, lambda runs: sum(r.accepted + r.duplicates for r in runs) >= total, 60,
                                  "the polls to read every customer")
        except StepError as e:
            c.check("the polls read every customer", False, str(e))
            runs = self.runs(source_id)
        c.equal("leads of the Shopmonkey source", self.leads(source_id), total)
        channel = s.pg.run("SELECT string_agg(channel, ',') FROM leads WHERE source_id = '%s' AND external_id = 'shopmonkey:%s'"
                           % (source_id, hooked["id"]))
        c.check("the customer sent by webhook and polled is one lead (arrived first by %s)" % channel,
                channel in ("webhook", "shopmonkey_poll") and hooked["id"] in shop.served(),
                "its leads' channels: %r; served by the stand-in: %s" % (channel, hooked["id"] in shop.served()))
        webhook_first = 1 if channel == "webhook" else 0
        c.equal("the polls: accepted, duplicates (the webhook's customer), errors",
                (sum(r.accepted for r in runs), sum(r.duplicates for r in runs), [r.error for r in runs if r.outcome == "error"]),
                (total - webhook_first, webhook_first, []))
        skips = [skip for skip, _, _, _ in shop.searches]
        c.check("Shopmonkey searched page by page (limit 100): skip 0, then 100", skips[:2] == [0, 100]
                and all(len(ids) <= 100 for _, _, ids, _ in shop.searches), "searches (skip, limit asked, records, hasMore): %s"
                % [(skip, limit, len(ids), more) for skip, limit, ids, more in shop.searches][:6])

    # --- helpers ------------------------------------------------------------------------------------

    def sheet_source(self, name, port):
        key = sheet_standin.service_account_file(port, os.path.join(self.s.work, "sheet-key-%d.json" % port))
        return self.s.leadctl("source", "create", "--tenant", TENANT, "--name", name, "--kind", "sheet",
                              "--config", json.dumps(sheet_standin.source_config(port)), "--secret", "service_account=@" + key)

    def fixed_sheet(self, rows):
        sheet = sheet_standin.FixedSheet(rows)
        self.stand_ins.append(sheet)
        return sheet

    def retire(self, source_name, sheet):
        """Disables the source (no more polls of it in later steps) and stops its sheet."""
        self.s.leadctl("source", "disable", source_name, "--tenant", TENANT)
        sheet.stop()
        self.stand_ins.remove(sheet)

    def leads(self, source_id):
        return int(self.s.pg.run("SELECT count(*) FROM leads WHERE source_id = '%s'" % source_id))

    def distinct_leads(self, source_id):
        return int(self.s.pg.run("SELECT count(DISTINCT lower(email)) FROM leads WHERE source_id = '%s'" % source_id))

    def lease(self, source_id):
        """(lease owner or "", state, error reason or "") of the source's poll."""
        row = self.s.pg.row("SELECT coalesce(lease_owner, ''), state, coalesce(error_reason, '') FROM source_polls "
                            "WHERE source_id = '%s'" % source_id)
        return tuple(row) if len(row) == 3 else ("", "", "")

    def runs(self, source_id):
        """The source's recorded polls, oldest first (times as unix seconds)."""
        return [Run(r[0], float(r[1]), float(r[2]), r[3], int(r[4]), int(r[5]), int(r[6]), int(r[7]), r[8]) for r in self.s.pg.rows(
            "SELECT worker_id, extract(epoch FROM started_at), extract(epoch FROM finished_at), outcome, rows_read, accepted, "
            "duplicates, rejected, coalesce(error, '') FROM poll_runs WHERE source_id = '%s' ORDER BY started_at, id" % source_id)]

    def wait_runs(self, source_id, condition, seconds, what):
        """Waits until the source's runs meet `condition` and no worker holds its lease; returns the runs.
        A poll that ends in an error is reported at once (with its reason)."""
        def done():
            self.s.check_alive()
            runs = self.runs(source_id)
            failed = [r for r in runs if r.outcome == "error"]
            if failed:
                raise StepError("a poll failed: %s" % failed[-1].error[:300])
            return condition(runs) and self.lease(source_id)[0] == ""
        wait_for(done, seconds, what)
        return self.runs(source_id)
