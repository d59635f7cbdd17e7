"""Step 8 of scripts/e2e-messaging (issue 19 through the real processes): a two-step sequence fed by
an API source — WhatsApp at once, SMS 15 s later unless the lead replied; on a reply, GoHighLevel.
One lead replies on WhatsApp (signed webhook) before its SMS: its enrollment ends `replied`, its
SMS is skipped and GoHighLevel gets the on_reply delivery; the other lead gets its SMS."""
import json
import os
import subprocess
import time

import webhooks
from fixtures import APP_SECRET, PHONE_NUMBER_ID, TENANT
from services import StepError, wait_for

QUIET = {"first_name": "נועה", "last_name": "לוי", "email": "noa.seq@example.co.il", "phone": "+972521112233"}
REPLIER = {"first_name": "אבי", "last_name": "כץ", "email": "avi.seq@example.co.il", "phone": "+972524445566"}
DELAY_SECONDS = 15


def run(scenario):
    c, s, p = scenario.c, scenario.s, scenario.p
    c.step("8. a sequence: WhatsApp now, SMS %d s later unless replied; a reply stops it and runs on_reply" % DELAY_SECONDS)
    definition = {"time_zone": "Asia/Jerusalem",
                  "steps": [{"destination": "WhatsApp"},
                            {"destination": "SMS", "after": "%ds" % DELAY_SECONDS, "unless": ["replied"]}],
                  "on_reply": ["GoHighLevel"]}
    s.leadctl("sequence", "create", "--tenant", TENANT, "--name", "E2E follow-up", "--config", json.dumps(definition))
    s.leadctl("source", "create", "--tenant", TENANT, "--name", "Sequence leads", "--kind", "api")
    s.leadctl("source", "update", "Sequence leads", "--tenant", TENANT, "--sequence", "E2E follow-up")
    graph_before, twilio_before, ghl_before = (len(p[name].received()) for name in ("graph", "twilio", "ghl"))
    quiet_id, replier_id = s.post_leads(scenario.api_key, "Sequence leads", [QUIET, REPLIER])
    entered = time.time()

    def enrollments():
        return {int(lead): (status, reason) for lead, status, reason in s.pg.rows(
            "SELECT lead_id, status, coalesce(exit_reason, '') FROM sequence_enrollments WHERE lead_id IN (%d, %d)"
            % (quiet_id, replier_id))}
    c.equal("both leads entered the sequence", sorted(enrollments()), sorted([quiet_id, replier_id]))

    def step_rows(lead_id):
        return s.pg.rows("SELECT step_index, status, coalesce(last_error_class, '') FROM deliveries "
                         "WHERE lead_id = %d AND enrollment_id IS NOT NULL ORDER BY step_index DESC" % lead_id)
    try:
        wait_for(lambda: all(any(r[0] == "0" and r[1] == "succeeded" for r in step_rows(i)) for i in (quiet_id, replier_id)),
                 30, "both welcome steps to succeed")
    except StepError as e:
        c.check("welcome steps sent", False, str(e))
        return
    c.equal("Graph got the two welcome messages", len(p["graph"].received()) - graph_before, 2)
    # The scheduler writes the SMS step (status `scheduled`) shortly after the welcome succeeds. A
    # reply before that ends the enrollment with no SMS step at all, which is right but leaves no
    # row to show it was skipped; wait for the row so the reply is seen to skip a scheduled step.
    try:
        wait_for(lambda: any(r[0] == "1" for r in step_rows(replier_id)), 10, "the replier's SMS step to be scheduled")
    except StepError as e:
        c.check("replier's SMS step scheduled", False, str(e))

    message, contact = webhooks.whatsapp_text(REPLIER["phone"][1:], "wamid.SEQ-REPLY-1", int(time.time()), "כן, תתקשרו", "אבי")
    answer = webhooks.post_whatsapp(scenario.whatsapp_hook, webhooks.whatsapp_notification(
        PHONE_NUMBER_ID, messages=[message], contacts=[contact]), APP_SECRET)
    c.equal("signed WhatsApp reply answered", answer.status, 200)
    replied_in = time.time() - entered
    c.check("the reply came before the SMS step was due", replied_in < DELAY_SECONDS, "%.1f s" % replied_in)

    try:
        wait_for(lambda: enrollments().get(quiet_id, ("",))[0] == "completed", 60, "the quiet lead's enrollment to complete")
    except StepError as e:
        c.check("quiet lead's sequence completed", False, str(e))
    ended = enrollments()
    c.equal("replier's enrollment ended by the reply", ended.get(replier_id), ("exited", "replied"))
    c.equal("quiet lead's enrollment completed", ended.get(quiet_id), ("completed", ""))
    c.equal("replier's SMS step skipped (sequence_ended)", [r for r in step_rows(replier_id) if r[0] == "1"],
            [["1", "skipped", "sequence_ended"]])
    recipients = [to(r) for r in p["twilio"].received()[twilio_before:]]
    c.equal("Twilio got one SMS, to the quiet lead only", [r for r in recipients if r in (QUIET["phone"], REPLIER["phone"])],
            [QUIET["phone"]])
    sent_after = s.pg.run("SELECT extract(epoch FROM a.started_at - w.started_at)::int FROM delivery_attempts a "
                          "JOIN deliveries d ON d.id = a.delivery_id AND d.step_index = 1 "
                          "JOIN deliveries x ON x.enrollment_id = d.enrollment_id AND x.step_index = 0 "
                          "JOIN delivery_attempts w ON w.delivery_id = x.id WHERE d.lead_id = %d" % quiet_id)
    c.check("the SMS went %d s or more after the welcome" % DELAY_SECONDS, int(sent_after or -1) >= DELAY_SECONDS - 1, sent_after)
    try:
        wait_for(lambda: len(p["ghl"].received()) > ghl_before, 30, "the on_reply delivery to reach GoHighLevel")
    except StepError:
        pass
    c.equal("GoHighLevel got the replier's on_reply delivery", len(p["ghl"].received()) - ghl_before, 1)
    operate(scenario, definition, quiet_id, replier_id)


def operate(scenario, definition, quiet_id, replier_id):
    """Step 8b: the operator's `leadctl sequence` commands on the same sequence, each with --json."""
    c, s = scenario.c, scenario.s
    c.step("8b. leadctl sequence list, show, preview, update, disable, enable, enroll, unenroll (--json)")
    name = "E2E follow-up"
    listed = [q for q in s.leadctl("sequence", "list", "--tenant", TENANT) if q.get("name") == name]
    c.equal("list: the sequence, version 1, enabled", [(q.get("version"), q.get("enabled")) for q in listed], [(1, True)])
    shown = s.leadctl("sequence", "show", name, "--tenant", TENANT)
    c.equal("show: what its runs came to", shown.get("enrollment_counts"), {"completed": 1, "exited": 1})
    c.equal("show: the replier's exit", [(e.get("status"), e.get("reason"), e.get("count")) for e in shown.get("endings", [])
                                         if e.get("status") == "exited"], [("exited", "replied", 1)])
    preview = s.leadctl("sequence", "preview", name, "--tenant", TENANT, "--at", "2025-03-27T18:30:00Z")
    c.equal("preview: each step in UTC and Asia/Jerusalem time",
            [(step.get("step"), step.get("destination"), step.get("due_utc"), step.get("due_local")) for step in preview],
            [(1, "WhatsApp", "2025-03-27T18:30:00Z", "2025-03-27 20:30 +02:00 Asia/Jerusalem"),
             (2, "SMS", "2025-03-27T18:30:%02dZ" % DELAY_SECONDS, "2025-03-27 20:30 +02:00 Asia/Jerusalem")])
    changed = dict(definition, reentry="after_exit")
    updated = s.leadctl("sequence", "update", name, "--tenant", TENANT, "--config", json.dumps(changed))
    c.equal("update: a new version", updated.get("version"), 2)
    c.equal("disable", s.leadctl("sequence", "disable", name, "--tenant", TENANT).get("enabled"), False)
    refused = subprocess.run([os.path.join(s.bin, "leadctl"), "sequence", "enroll", name, "--tenant", TENANT, "--lead", str(quiet_id),
                              "--json"], capture_output=True, text=True, timeout=60)
    c.check("enroll into a disabled sequence is refused, saying why",
            refused.returncode != 0 and "disabled" in (refused.stderr + refused.stdout), refused.stderr.strip()[-200:])
    c.equal("enable", s.leadctl("sequence", "enable", name, "--tenant", TENANT).get("enabled"), True)
    # The replier's enrollment ended (replied); reentry is after_exit now, so it may enter again.
    enrolled = s.leadctl("sequence", "enroll", name, "--tenant", TENANT, "--lead", str(replier_id))
    c.equal("enroll: active on the new version", (enrolled.get("status"), enrolled.get("sequence_version"), enrolled.get("lead_id")),
            ("active", 2, replier_id))
    ended = s.leadctl("sequence", "unenroll", name, "--tenant", TENANT, "--lead", str(replier_id))
    c.equal("unenroll: exited, saying by whom", (ended.get("status"), (ended.get("exit_reason") or "").startswith("unenrolled by")),
            ("exited", True))


def to(received):
    """The `To` of a Twilio request."""
    return received.form().get("To", [b""])[0].decode("utf-8", "replace")
