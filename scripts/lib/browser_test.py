"""Drives the dashboard in headless Chromium (Selenium) for scripts/browser-test.

Runs a local HTTP stand-in for a CRM (500 for leads whose email starts with "dead", 200 otherwise,
until told to accept everything), signs in, uploads a CSV on /dashboard/imports (the page's
XHR upload with the X-CSRF-Token header), waits for the import result, finds the dead delivery,
makes the stand-in answer 200, retries it from the lead's page and waits until it succeeded. Then
a conversation: a lead posted to the API is texted by a dry-run Twilio SMS destination, a reply
signed as Twilio signs it is posted to the twilio webhook source, and the lead's page must show
both messages and the stage Engaged. Screenshots go to --screenshots (also phone-sized ones).

Usage: browser_test.py --base-url URL --email E --password P --stand-in-port N --screenshots DIR
                       --api-key KEY --twilio-hook /hooks/TOKEN --twilio-auth-token T
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


class StandIn(http.server.ThreadingHTTPServer):
    """A CRM stand-in: records every body, fails leads whose email starts with "dead" until accept_all."""

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), StandInHandler)
        self.accept_all = False
        self.received = []


class StandInHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        self.server.received.append(body)
        try:
            email = json.loads(body).get("email") or ""
        except ValueError:
            email = ""
        fail = email.startswith("dead") and not self.server.accept_all
        answer = json.dumps({"error": "stand-in refuses " + email} if fail else {"id": "crm-%d" % len(self.server.received)})
        self.send_response(500 if fail else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


def log(message):
    print("==> " + message, file=sys.stderr, flush=True)


def wait_for(description, check, timeout=90, interval=0.5):
    """Calls check() until it returns something truthy; fails after timeout seconds. An element
    that went stale (the page was replaced while check() read it) counts as not yet."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            result = check()
        except StaleElementReferenceException:
            result = None
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("timed out waiting for " + description)


def is_stale(element):
    """True once the page that held element has been replaced."""
    try:
        element.tag_name
        return False
    except StaleElementReferenceException:
        return True


def post_lead(base, api_key, lead):
    """POST /api/leads; returns the lead id."""
    request = urllib.request.Request(base + "/api/leads", data=json.dumps(lead).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"][0]["lead_id"]


def post_twilio_reply(base, hook_path, auth_token, params):
    """Posts an inbound SMS as Twilio does, signed with X-Twilio-Signature (the URL, then each
    parameter name and value in name order, HMAC-SHA1 with the auth token, base64); returns the body."""
    url = base + hook_path
    signed = url + "".join(name + params[name] for name in sorted(params))
    signature = base64.b64encode(hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()).decode()
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--stand-in-port", type=int, required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--twilio-hook", required=True, help="the twilio source's path, /hooks/<token>")
    parser.add_argument("--twilio-auth-token", required=True)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)

    stand_in = StandIn(args.stand_in_port)
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    log("CRM stand-in on 127.0.0.1:%d" % args.stand_in_port)

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
    driver.set_page_load_timeout(30)
    base = args.base_url.rstrip("/")

    def shot(name):
        path = os.path.join(args.screenshots, name + ".png")
        driver.save_screenshot(path)
        log("screenshot " + path)

    def body_text():
        try:
            return driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:  # between two pages
            return ""

    try:
        log("signing in as " + args.email)
        driver.get(base + "/dashboard")
        wait_for("the sign-in page", lambda: "/login" in driver.current_url)
        driver.find_element(By.ID, "email").send_keys(args.email)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        # A click's navigation changes the URL before the new page is loaded: wait for its content.
        wait_for("the overview", lambda: driver.current_url.rstrip("/").endswith("/dashboard") and "Leads today" in body_text())
        shot("01-overview")

        log("uploading a CSV on /dashboard/imports")
        csv = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
        csv.write("email,first_name,last_name,phone\n"
                  "ada@example.com,Ada,Lovelace,+12015550101\n"
                  "dead@example.com,Dead,Letter,+12015550102\n"
                  "grace@example.com,Grace,Hopper,+12015550103\n"
                  "not-an-email,,,\n")
        csv.close()
        driver.get(base + "/dashboard/imports")
        Select(driver.find_element(By.NAME, "source")).select_by_visible_text("Browser CSV (csv)")
        driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(csv.name)
        shot("02-import-form")
        driver.find_element(By.CSS_SELECTOR, "#dashboard-upload button[type=submit]").click()
        wait_for("the import's page", lambda: "/dashboard/imports/" in driver.current_url)

        def import_done():
            driver.refresh()
            return "completed" in body_text()
        wait_for("the import to complete", import_done)
        text = body_text()
        assert "Import of" in text, text
        shot("03-import-result")

        log("waiting for the dead delivery")

        def dead_row():
            driver.get(base + "/dashboard/deliveries?status=dead")
            links = driver.find_elements(By.CSS_SELECTOR, "tbody a[href^='/dashboard/leads/']")
            return links[0].get_attribute("href") if links else None
        lead_url = wait_for("a dead delivery", dead_row)
        shot("04-deliveries-dead")
        driver.get(lead_url)
        text = body_text()
        assert "dead@example.com" in text and "dead" in text, text
        assert "500" in text, "the attempt's HTTP status is not shown"
        shot("05-dead-lead")

        log("the stand-in now answers 200; retrying from the lead's page")
        stand_in.accept_all = True
        driver.find_element(By.XPATH, "//button[normalize-space()='Retry now']").click()
        wait_for("the retry notice", lambda: "queued again" in body_text())

        def succeeded_now():
            driver.refresh()
            try:
                return "succeeded" in [badge.text for badge in driver.find_elements(By.CSS_SELECTOR, ".actions .badge")]
            except WebDriverException:
                return False
        wait_for("the retried delivery to succeed", succeeded_now)
        shot("06-retried-succeeded")

        driver.get(base + "/dashboard/deliveries?status=succeeded")
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) >= 3, "expected three succeeded deliveries, saw %d" % len(rows)
        shot("07-deliveries-succeeded")

        log("a conversation: a lead texted in dry run, then a signed Twilio reply")
        conversation_lead = post_lead(base, args.api_key, {"first_name": "דנה", "last_name": "Levi", "email": "dana@example.com",
                                                            "phone": "+12015550199"})
        conversation_url = base + "/dashboard/leads/%d" % conversation_lead

        def texted():
            driver.get(conversation_url)
            return "Thanks for contacting" in body_text()
        wait_for("the dry-run SMS in the conversation", texted)
        reply = "כן, תתקשרו אליי מחר 🙂"
        answer = post_twilio_reply(base, args.twilio_hook, args.twilio_auth_token,
                                   {"MessageSid": "SM" + "b" * 32, "AccountSid": "AC" + "0" * 32, "From": "+12015550199",
                                    "To": "+15005550006", "Body": reply, "SmsStatus": "received", "NumSegments": "1"})
        assert "<Response></Response>" in answer, answer
        driver.get(conversation_url)
        text = body_text()
        assert reply in text, "the reply is not in the conversation:\n" + text
        assert "Engaged" in text, "the stage did not move to engaged:\n" + text
        shot("08-conversation")

        log("a sequence built in the field editor: pick the tenant, Add step, save")
        driver.get(base + "/dashboard/sequences/new")
        driver.find_element(By.NAME, "name").send_keys("Browser follow-up")
        tenant_choice = driver.find_elements(By.NAME, "tenant")
        if tenant_choice:
            # An operator picks the tenant first; Preview shows the form again with its destinations.
            picker = Select(tenant_choice[0])
            picker.select_by_index([o.text for o in picker.options].index(next(o.text for o in picker.options if "Browser Test" in o.text)))
            old_page = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(By.CSS_SELECTOR, "button[name=intent][value=preview]").click()
            wait_for("the preview to replace the page", lambda: is_stale(old_page))
            wait_for("the form with the tenant's destinations", lambda: any(
                "SMS (dry run)" in o.text for o in driver.find_elements(By.CSS_SELECTOR, "select[name$='-destination'] option")))
        rows = driver.find_elements(By.CSS_SELECTOR, "#sequence-steps fieldset[data-step]")
        before = len(rows)
        add = driver.find_element(By.CSS_SELECTOR, "[data-add-step]")
        assert add.is_displayed(), "the script did not show the Add step button"
        add.click()
        rows = driver.find_elements(By.CSS_SELECTOR, "#sequence-steps fieldset[data-step]")
        assert len(rows) == before + 1, "Add step made %d rows from %d" % (len(rows), before)
        first, added = rows[0], rows[-1]

        def choose(row, name_suffix, label):
            options = Select(row.find_element(By.CSS_SELECTOR, "select[name$='%s']" % name_suffix))
            texts = [o.text for o in options.options]
            options.select_by_index(next(i for i, t in enumerate(texts) if label in t))
        choose(first, "-destination", "SMS (dry run)")
        choose(added, "-destination", "CRM stand-in")
        Select(added.find_element(By.CSS_SELECTOR, "select[name$='-delay_kind']")).select_by_value("after")
        delay = added.find_element(By.CSS_SELECTOR, "input[name$='-delay']")
        delay.clear()
        delay.send_keys("2h")
        for extra in rows[1:-1]:  # rows the form already had beyond the first (an example's) are removed
            extra.find_element(By.CSS_SELECTOR, "[data-remove-step]").click()
        shot("08b-sequence-editor")
        driver.find_element(By.CSS_SELECTOR, "button[name=intent][value=save]").click()
        wait_for("the new sequence's page", lambda: "/dashboard/sequences/" in driver.current_url
                 and not driver.current_url.rstrip("/").endswith(("/new", "/sequences")) and "Browser follow-up" in body_text())
        text = body_text()
        assert "Browser follow-up" in text, text
        assert "SMS (dry run)" in text and "CRM stand-in" in text and "2h" in text, "the two steps are not shown:\n" + text
        shot("08c-sequence-saved")

        log("phone-sized window")
        driver.set_window_size(390, 844)
        driver.get(base + "/dashboard/deliveries")
        shot("09-phone-deliveries")
        driver.get(lead_url)
        shot("10-phone-lead")
        driver.get(base + "/dashboard/sources")
        shot("11-phone-sources")
        driver.get(conversation_url)
        shot("12-phone-conversation")
        assert len(stand_in.received) >= 4, "the stand-in saw %d requests" % len(stand_in.received)
        log("browser test passed (%d requests reached the stand-in)" % len(stand_in.received))
    except Exception:
        shot("failure")
        with open(os.path.join(args.screenshots, "failure.html"), "w") as page:
            page.write(driver.page_source)
        raise
    finally:
        driver.quit()
        stand_in.shutdown()


if __name__ == "__main__":
    main()
