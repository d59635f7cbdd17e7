"""Loopback stand-ins for the providers of scripts/e2e-messaging (Python 3 stdlib only): GoHighLevel,
the WhatsApp Cloud API (Graph), Twilio and SendGrid, each a threaded HTTP server of its own that
records every request (method, path, headers, raw body) and answers like the real API does on
success (shapes from ../shared/reference/messaging-and-polling-apis.md §2.1, §3.1, §4.1).

The stand-ins answer what the provider would; whether a request was well-formed is judged by
the scenario's checks afterwards (request_shapes.py), so a malformed request is a named FAIL, not
a hung delivery.
"""
import itertools
import json
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import unquote_to_bytes

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
from harness import KeepAliveHandler  # noqa: E402


class Received:
    """One request as the stand-in got it."""

    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def form(self):
        """The urlencoded body as {name: [raw UTF-8 bytes, …]} (percent-decoded, not re-interpreted)."""
        fields = {}
        for pair in self.body.split(b"&"):
            if not pair:
                continue
            name, _, value = pair.partition(b"=")
            key = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
            fields.setdefault(key, []).append(unquote_to_bytes(value.replace(b"+", b" ")))
        return fields


class StandIn:
    """A provider stand-in on 127.0.0.1:<free port>; `answer(received)` gives (status, headers, body)."""

    def __init__(self, name, answer):
        self.name, self.answer = name, answer
        self.requests = []
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        stand_in = self

        class Handler(KeepAliveHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received = Received("POST", self.path, {k: v for k, v in self.headers.items()}, body)
                with stand_in.lock:
                    stand_in.requests.append(received)
                status, headers, data = stand_in.answer(stand_in, received)
                self.answer(status, headers, data)

            def do_GET(self):
                self.answer_json(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name=name, daemon=True).start()

    def received(self, path_prefix=""):
        with self.lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]

    def next_id(self):
        return next(self.counter)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def json_answer(status, payload, extra_headers=None):
    headers = {"Content-Type": "application/json"}
    headers.update(extra_headers or {})
    return status, headers, json.dumps(payload).encode()


# --- answers ------------------------------------------------------------------------------------


def ghl_answer(stand_in, received):
    """GoHighLevel v2 `POST /contacts/upsert`: 200 with the contact."""
    return json_answer(200, {"new": True, "contact": {"id": "ghl-contact-%d" % stand_in.next_id()}})


def graph_answer(stand_in, received):
    """Graph `POST /{version}/{phone_number_id}/messages`: 200, the input and wa_id, a wamid."""
    doc = received.json() or {}
    to = str(doc.get("to", ""))
    wamid = "wamid.E2E%04d" % stand_in.next_id()
    return json_answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                             "messages": [{"id": wamid, "message_status": "accepted"}]})


def twilio_answer(stand_in, received):
    """Twilio `POST /2010-04-01/Accounts/{sid}/Messages.json`: 201 with the Message (status queued)."""
    form = received.form()
    first = {name: values[0].decode("utf-8", "replace") for name, values in form.items()}
    sid = "SM%032x" % stand_in.next_id()
    return json_answer(201, {"sid": sid, "status": "queued", "to": first.get("To"), "from": first.get("From"),
                             "body": first.get("Body"), "num_segments": "1", "error_code": None, "error_message": None})


def sendgrid_answer(stand_in, received):
    """SendGrid `POST /v3/mail/send`: 202, empty body, `X-Message-Id`."""
    return 202, {"X-Message-Id": "sg-e2e-%d" % stand_in.next_id()}, b""


def start_all():
    return {"ghl": StandIn("ghl", ghl_answer), "graph": StandIn("graph", graph_answer),
            "twilio": StandIn("twilio", twilio_answer), "sendgrid": StandIn("sendgrid", sendgrid_answer)}
