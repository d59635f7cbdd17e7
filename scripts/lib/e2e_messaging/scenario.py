"""The scenario of scripts/e2e-messaging, step by step (issue 18, "end to end through the real
processes"). Each step makes named checks; a step that cannot reach its checks raises StepError
and the next step still runs where it can."""
import json
import os
import re
import subprocess
import time

import request_shapes as shapes
import sequence_scenario
import webhooks
from fixtures import (ACCOUNT_SID, APP_SECRET, EMAIL_SUBJECT, EMAIL_TEXT, FOLLOW_UP, GHL_LOCATION, GHL_TOKEN, LEAD,
                      PHONE_NUMBER_ID, REPLY_TEXT, REPLY_TO, SENDER, SENDGRID_KEY, SMS_BODY, SMTP_PASSWORD, SMTP_USER,
                      TENANT, TWILIO_FROM, TWILIO_TOKEN, VERIFY_TOKEN, WHATSAPP_TEXT, WHATSAPP_TOKEN, render)
from mail_checks import smtp_problems

class Scenario:
    def __init__(self, services, checks, providers, smtp):
        self.s, self.c, self.p, self.smtp = services, checks, providers, smtp
        self.email = False
        self.ids = {}

    def steps(self):
        return [self.seed, self.first_lead, self.whatsapp_reply, self.whatsapp_statuses, self.bad_signature,
                self.twilio_stop, self.next_message, self.opt_back_in, self.sequence]

    def sequence(self):
        sequence_scenario.run(self)

    # --- 2. seed ----------------------------------------------------------------------------------

    def seed(self):
        c, s = self.c, self.s
        c.step("2. seed a tenant, destinations and sources with leadctl")
        s.leadctl("tenant", "create", "--name", "E2E Messaging", "--slug", TENANT, "--region", "IL", "--timezone", "Asia/Jerusalem")
        self.api_key = s.leadctl("apikey", "create", "--tenant", TENANT, "--name", "e2e")["key"]
        destinations = [
            ("ghl", "GoHighLevel", {"locationId": GHL_LOCATION}, GHL_TOKEN, ["--base-url", self.p["ghl"].url]),
            ("whatsapp", "WhatsApp", {"phone_number_id": PHONE_NUMBER_ID, "template": "lead_welcome", "language": "he",
                                      "parameters": ["{{first_name}}"], "text": WHATSAPP_TEXT,
                                      "graph_base_url": self.p["graph"].url}, WHATSAPP_TOKEN, []),
            ("twilio_sms", "SMS", {"account_sid": ACCOUNT_SID, "from": TWILIO_FROM, "body": SMS_BODY,
                                   "api_base_url": self.p["twilio"].url}, TWILIO_TOKEN, []),
        ]
        kinds = self.destination_kinds()
        if os.environ.get("E2E_EMAIL") == "0":
            c.skip("email destinations (sendgrid, smtp)", "E2E_EMAIL=0")
        elif "sendgrid" in kinds and "smtp" in kinds:
            self.email = True
            destinations += [
                ("sendgrid", "SendGrid", {"from": SENDER, "from_name": "E2E Leads", "reply_to": REPLY_TO,
                                          "subject": EMAIL_SUBJECT, "text": EMAIL_TEXT, "api_base_url": self.p["sendgrid"].url},
                 SENDGRID_KEY, []),
                ("smtp", "SMTP", {"host": "127.0.0.1", "port": self.smtp.port, "tls": "none", "username": SMTP_USER,
                                  "from": SENDER, "subject": EMAIL_SUBJECT, "text": EMAIL_TEXT}, SMTP_PASSWORD, []),
            ]
        else:
            c.skip("email destinations (sendgrid, smtp)", "leadctl destination create does not offer the sendgrid and "
                   "smtp kinds yet (kinds: %s)" % ", ".join(sorted(kinds)))
        names = []
        for kind, name, config, secret, extra in destinations:
            args = ["destination", "create", "--tenant", TENANT, "--kind", kind, "--name", name, "--config", json.dumps(config)]
            if secret:
                args += ["--secret", secret]
            self.ids[kind] = s.leadctl(*(args + extra))["id"]
            names.append(name)
        c.check("destinations created: %s" % ", ".join(names), True)

        def source(name, *args):
            return s.leadctl("source", "create", "--tenant", TENANT, "--name", name, *args)
        fan_out = ["--destination=%s" % n for n in names]
        source("Website", "--kind", "api", *fan_out)
        source("Follow-up", "--kind", "api", "--destination", "WhatsApp", "--destination", "SMS")
        self.whatsapp_hook = s.api_url + "/hooks/" + source(
            "WhatsApp replies", "--kind", "webhook", "--preset", "whatsapp",
            "--secret", "app_secret=" + APP_SECRET, "--secret", "verify_token=" + VERIFY_TOKEN)["token"]
        self.twilio_hook = s.api_url + "/hooks/" + source(
            "Twilio replies", "--kind", "webhook", "--preset", "twilio", "--secret", "auth_token=" + TWILIO_TOKEN)["token"]
        c.check("sources created: Website (api → %d destinations), Follow-up, WhatsApp and Twilio webhooks" % len(names), True)

    def destination_kinds(self):
        text = subprocess.run([os.path.join(self.s.bin, "leadctl"), "destination", "create", "--help"], capture_output=True,
                              text=True).stdout
        match = re.search(r"^\s+--kind <kind>\s+(.*?)\n\s*--", text, re.S | re.M)
        return set(re.findall(r"[a-z_0-9]+", match.group(1))) - {"or"} if match else set()

    # --- 3. one lead, every channel ---------------------------------------------------------------

    def first_lead(self):
        c, s = self.c, self.s
        c.step("3. one lead through the bulk API fans out to every destination")
        self.lead_id = s.post_leads(self.api_key, "Website", [LEAD])[0]
        expected = 5 if self.email else 3
        rows = s.wait_deliveries_finished(self.lead_id, expected)
        c.equal("deliveries of lead %s" % self.lead_id, len(rows), expected)
        for kind, (status, error, _) in sorted(rows.items()):
            c.check("%s delivery succeeded" % kind, status == "succeeded", "%s: %s" % (status, error[:200]))

        ghl = self.p["ghl"].received()
        if c.equal("GoHighLevel got exactly one request", len(ghl), 1):
            c.no_problems("GoHighLevel request: POST /contacts/upsert, Bearer, Version, דני byte-exact",
                          shapes.problems_ghl(ghl[0], GHL_TOKEN, GHL_LOCATION, LEAD))

        graph = self.p["graph"].received()
        if c.equal("Graph got exactly one request", len(graph), 1):
            problems = shapes.problems_graph(graph[0], WHATSAPP_TOKEN, PHONE_NUMBER_ID)
            problems += shapes.graph_template_problems(graph[0].json() or {}, LEAD["phone"][1:], "lead_welcome", "he",
                                                       LEAD["first_name"])
            c.no_problems("Graph request: template lead_welcome/he, Bearer, parameter דני byte-exact", problems)
        self.first_wamid = rows.get("whatsapp", ("", "", ""))[2]
        c.check("WhatsApp delivery's external id is the wamid", self.first_wamid.startswith("wamid.E2E"), self.first_wamid)

        twilio = self.p["twilio"].received()
        if c.equal("Twilio got exactly one request", len(twilio), 1):
            c.no_problems("Twilio request: form To/From/Body, Basic sid:token, Hebrew + emoji body byte-exact",
                          shapes.problems_twilio(twilio[0], ACCOUNT_SID, TWILIO_TOKEN, LEAD["phone"], TWILIO_FROM,
                                                 render(SMS_BODY, LEAD)))
        sms_sid = rows.get("twilio_sms", ("", "", ""))[2]
        c.check("SMS delivery's external id is the SM sid", sms_sid.startswith("SM"), sms_sid)
        c.equal("SMS attempt row: segments, encoding, provider id", s.sms_attempt(self.lead_id),
                [(str(ucs2_segments(render(SMS_BODY, LEAD))), "ucs2", sms_sid)])

        if self.email:
            self.check_email(rows)
        lead = self.show_lead(self.lead_id)
        c.equal("leads show: stage is contacted once messages were accepted", lead.get("stage"), "contacted")

    def check_email(self, rows):
        c = self.c
        subject, text = render(EMAIL_SUBJECT, LEAD), render(EMAIL_TEXT, LEAD)
        sendgrid = self.p["sendgrid"].received()
        if c.equal("SendGrid got exactly one request", len(sendgrid), 1):
            c.no_problems("SendGrid request: Bearer, personalizations/from/subject/content, Hebrew + emoji byte-exact",
                          shapes.problems_sendgrid(sendgrid[0], SENDGRID_KEY, SENDER, LEAD["email"], subject, text, REPLY_TO))
        c.check("SendGrid delivery's external id is X-Message-Id", rows.get("sendgrid", ("", "", ""))[2].startswith("sg-e2e-"),
                rows.get("sendgrid", ("", "", ""))[2])
        mails = self.smtp.received()
        if c.equal("SMTP server got exactly one message", len(mails), 1):
            c.no_problems("SMTP message: AUTH with the secret, envelope, From/To, subject and body byte-exact",
                          smtp_problems(mails[0], (SMTP_USER, SMTP_PASSWORD), SENDER, LEAD["email"], subject, text))

    # --- 4. the lead's reply ----------------------------------------------------------------------

    def whatsapp_reply(self):
        c = self.c
        c.step("4. the lead's signed WhatsApp reply shows in its conversation")
        answer = webhooks.get(self.whatsapp_hook + "?hub.mode=subscribe&hub.verify_token=%s&hub.challenge=1158201444"
                              % VERIFY_TOKEN)
        c.check("GET verification echoes hub.challenge", answer.status == 200 and answer.body == b"1158201444",
                "%d %r" % (answer.status, answer.body[:80]))
        message, contact = webhooks.whatsapp_text(LEAD["phone"][1:], "wamid.INBOUND-E2E-1", int(time.time()), REPLY_TEXT, "דני כהן")
        body = webhooks.whatsapp_notification(PHONE_NUMBER_ID, messages=[message], contacts=[contact])
        answer = webhooks.post_whatsapp(self.whatsapp_hook, body, APP_SECRET)
        c.check("signed reply answered 200", answer.status == 200, "%d %r" % (answer.status, answer.body[:200]))
        lead = self.show_lead(self.lead_id)
        inbound = [m for m in conversation(lead) if m.get("direction") == "in"]
        texts = [str(m.get("body", "")) for m in inbound]
        c.check("leads show: the reply is in the conversation, byte-exact",
                any(t.encode() == REPLY_TEXT.encode() for t in texts), "inbound messages: %r" % texts)
        c.equal("leads show: stage is engaged", lead.get("stage"), "engaged")

    # --- 5. statuses out of order -----------------------------------------------------------------

    def whatsapp_statuses(self):
        c = self.c
        c.step("5. WhatsApp statuses: read before delivered keeps read")
        now = int(time.time())
        for status, at in (("read", now + 20), ("delivered", now + 10)):
            body = webhooks.whatsapp_notification(
                PHONE_NUMBER_ID, statuses=[webhooks.whatsapp_status(self.first_wamid, status, at, LEAD["phone"][1:])])
            answer = webhooks.post_whatsapp(self.whatsapp_hook, body, APP_SECRET)
            c.check("status %s answered 200" % status, answer.status == 200, "%d %r" % (answer.status, answer.body[:200]))
        row = self.s.message(self.first_wamid)
        c.equal("messages row of %s: status is read" % self.first_wamid, row and row[0], "read")
        shown = [m for m in conversation(self.show_lead(self.lead_id)) if m.get("direction") == "out"
                 and m.get("channel") == "whatsapp"]
        c.check("leads show: the WhatsApp message is read", [m.get("status") for m in shown] == ["read"],
                "outbound WhatsApp messages: %r" % [(m.get("status")) for m in shown])

    # --- 6. a bad signature -----------------------------------------------------------------------

    def bad_signature(self):
        c = self.c
        c.step("6. a bad signature is 401 and recorded")
        message, contact = webhooks.whatsapp_text(LEAD["phone"][1:], "wamid.FORGED-E2E", int(time.time()), "STOP", "x")
        body = webhooks.whatsapp_notification(PHONE_NUMBER_ID, messages=[message], contacts=[contact])
        answer = webhooks.post_whatsapp(self.whatsapp_hook, body, APP_SECRET,
                                        signature=webhooks.meta_signature(body, "not-the-app-secret"))
        c.equal("WhatsApp POST signed with another secret: status", answer.status, 401)
        events = self.s.leadctl("events", "list", "--tenant", TENANT, "--source", "WhatsApp replies", "--outcome",
                                "bad_signature")
        c.equal("leadctl events list --outcome bad_signature: WhatsApp events", len(as_list(events)), 1)
        c.equal("the forged STOP opted nobody out on WhatsApp",
                len(as_list(self.s.leadctl("optouts", "list", "--tenant", TENANT, "--channel", "whatsapp"))), 0)

    # --- 7. STOP over SMS -------------------------------------------------------------------------

    def twilio_stop(self):
        c = self.c
        c.step("7. a signed Twilio STOP opts the phone out")
        params = webhooks.twilio_inbound_sms(ACCOUNT_SID, "SM" + "e2e0" * 8, LEAD["phone"], TWILIO_FROM, "STOP")
        forged = webhooks.post_twilio(self.twilio_hook, params, "not-the-auth-token")
        c.equal("STOP signed with another auth token: status", forged.status, 401)
        events = self.s.leadctl("events", "list", "--tenant", TENANT, "--source", "Twilio replies", "--outcome", "bad_signature")
        c.equal("leadctl events list --outcome bad_signature: Twilio events", len(as_list(events)), 1)
        c.equal("the forged STOP opted nobody out", len(as_list(self.s.leadctl("optouts", "list", "--tenant", TENANT))), 0)
        answer = webhooks.post_twilio(self.twilio_hook, params, TWILIO_TOKEN)
        content_type = answer.headers.get("Content-Type", "")
        empty_twiml = re.fullmatch(rb"\s*(<\?xml[^>]*\?>)?\s*(<Response\s*/>|<Response>\s*</Response>)\s*", answer.body)
        c.check("signed STOP answered 200 with empty TwiML (text/xml)",
                answer.status == 200 and content_type.startswith("text/xml") and empty_twiml is not None,
                "%d %s %r" % (answer.status, content_type, answer.body[:200]))
        optouts = as_list(self.s.leadctl("optouts", "list", "--tenant", TENANT, "--channel", "sms"))
        c.check("leadctl optouts list --channel sms shows the phone",
                any(LEAD["phone"] in json.dumps(o) for o in optouts), json.dumps(optouts)[:300])

    # --- 7b. the next message ---------------------------------------------------------------------

    def next_message(self):
        c, s = self.c, self.s
        c.step("7b. the next lead at that phone: SMS skipped (opted out), WhatsApp sent, then failed 131026")
        lead_id = self.follow_up_id = s.post_leads(self.api_key, "Follow-up", [FOLLOW_UP])[0]
        # WhatsApp's pair limit (one message per 6 s to a recipient) delays the second message a little.
        rows = s.wait_deliveries_finished(lead_id, 2, seconds=60)
        status, error, _ = rows.get("twilio_sms", ("missing", "", ""))
        c.check("SMS delivery skipped: opted out", status == "skipped" and "opted out" in error.lower(),
                "%s: %s" % (status, error[:200]))
        c.equal("Twilio got no second request", len(self.p["twilio"].received()), 1)
        status, error, wamid = rows.get("whatsapp", ("missing", "", ""))
        c.check("WhatsApp delivery succeeded", status == "succeeded", "%s: %s" % (status, error[:200]))
        graph = self.p["graph"].received()
        if c.equal("Graph got a second request", len(graph), 2):
            # The 24 h window is the lead's own (a reply to lead 1 does not open it for this new
            # lead at the same phone), so a template is right; free text must be byte-exact too.
            doc = graph[1].json() or {}
            problems = shapes.problems_graph(graph[1], WHATSAPP_TOKEN, PHONE_NUMBER_ID)
            if doc.get("type") == "text":
                problems += shapes.graph_text_problems(doc, LEAD["phone"][1:], render(WHATSAPP_TEXT, FOLLOW_UP))
            else:
                problems += shapes.graph_template_problems(doc, LEAD["phone"][1:], "lead_welcome", "he", FOLLOW_UP["first_name"])
            c.no_problems("second WhatsApp message (%s): well-formed, Hebrew byte-exact" % doc.get("type"), problems)
        failure = webhooks.whatsapp_status(wamid, "failed", int(time.time()), LEAD["phone"][1:],
                                           error=(131026, "Message undeliverable", "Message undeliverable."))
        answer = webhooks.post_whatsapp(self.whatsapp_hook,
                                        webhooks.whatsapp_notification(PHONE_NUMBER_ID, statuses=[failure]), APP_SECRET)
        c.check("status failed 131026 answered 200", answer.status == 200, "%d %r" % (answer.status, answer.body[:200]))
        row = s.message(wamid) if wamid else None
        c.check("messages row of the second wamid: failed, error 131026", row is not None and row[:2] == ("failed", "131026"),
                repr(row))
        shown = [m for m in conversation(self.show_lead(lead_id)) if m.get("channel") == "whatsapp"]
        c.check("leads show: the failed message with 131026", any(m.get("status") == "failed" and "131026" in json.dumps(m)
                                                                  for m in shown), json.dumps(shown, ensure_ascii=False)[:300])

    # --- 7c. START, then the skipped SMS retried ----------------------------------------------------

    def opt_back_in(self):
        c, s = self.c, self.s
        c.step("7c. a signed START opts back in; the skipped SMS, retried, is sent")
        params = webhooks.twilio_inbound_sms(ACCOUNT_SID, "SM" + "e2e1" * 8, LEAD["phone"], TWILIO_FROM, "start")
        answer = webhooks.post_twilio(self.twilio_hook, params, TWILIO_TOKEN)
        c.equal("signed START answered", answer.status, 200)
        optouts = as_list(s.leadctl("optouts", "list", "--tenant", TENANT, "--channel", "sms"))
        c.check("leadctl optouts list no longer shows the phone", not any(LEAD["phone"] in json.dumps(o) for o in optouts),
                json.dumps(optouts)[:300])
        s.leadctl("deliveries", "retry", str(s.delivery_id(self.follow_up_id, "twilio_sms")), "--tenant", TENANT)
        rows = s.wait_deliveries_finished(self.follow_up_id, 2, seconds=30)
        status, error, _ = rows.get("twilio_sms", ("missing", "", ""))
        c.check("retried SMS delivery succeeded", status == "succeeded", "%s: %s" % (status, error[:200]))
        twilio = self.p["twilio"].received()
        if c.equal("Twilio got the second request now", len(twilio), 2):
            c.no_problems("second Twilio request well-formed, body byte-exact",
                          shapes.problems_twilio(twilio[1], ACCOUNT_SID, TWILIO_TOKEN, LEAD["phone"], TWILIO_FROM,
                                                 render(SMS_BODY, FOLLOW_UP)))

    # --- reading ----------------------------------------------------------------------------------

    def show_lead(self, lead_id):
        shown = self.s.leadctl("leads", "show", str(lead_id), "--tenant", TENANT, "--by", "id")
        leads = as_list(shown)
        return leads[0] if leads else {}


def ucs2_segments(text):
    """SMS segments of a UCS-2 text: 70 UTF-16 units in one, else 67 each."""
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def as_list(doc):
    """leadctl's list answers: a bare array, or the one array member of an object."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        arrays = [v for v in doc.values() if isinstance(v, list)]
        if len(arrays) == 1:
            return arrays[0]
    return []


def conversation(lead):
    for key in ("conversation", "messages"):
        if isinstance(lead.get(key), list):
            return lead[key]
    return []
