"""A loopback stand-in for the Shopmonkey API v3 (Python 3 stdlib only), for the polling steps of
scripts/e2e-messaging (shapes from ../shared/reference/messaging-and-polling-apis.md §7 and
/work/notes/design20.md):
  POST /v3/customer/search  body {"where": {"updatedDate": {"gte": ISO}}, "orderBy": {"updatedDate":
                            "asc"}, "limit": N, "skip": N} → {"success": true, "data": [...], "meta":
                            {"total", "hasMore"}}; `limit` silently clamped to 100 (as Shopmonkey does)
  GET  /v3/customer/{id}    → {"success": true, "data": {...}}; 404 {"success": false, ...}
Every request needs `Authorization: Bearer <token>`, else 401 {"success": false, "code":
"unauthorized", "message": ...}. Customers are records as the webhook's `data` (id, firstName,
lastName, emails [{email, primary}], phoneNumbers [{number, primary}], postalCode, createdDate,
updatedDate). Each search is recorded (skip, asked limit, records answered) for the checks.
"""
import json
import os
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bench", "lib"))
from harness import KeepAliveHandler  # noqa: E402

PAGE_LIMIT = 100


def timestamp(moment):
    """ISO 8601 UTC with milliseconds, as Shopmonkey writes dates."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def customer(customer_id, first, last, email, phone, updated):
    """A customer record; `updated` is a datetime (also its createdDate)."""
    return {"id": customer_id, "firstName": first, "lastName": last,
            "emails": [{"email": email, "primary": True}], "phoneNumbers": [{"number": phone, "primary": True}],
            "postalCode": "90210", "createdDate": timestamp(updated), "updatedDate": timestamp(updated)}


def minutes_ago(minutes):
    return datetime.now(timezone.utc) - timedelta(minutes=minutes)


def parse_time(text):
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


class ShopmonkeyStandIn:
    """Shopmonkey on 127.0.0.1:<free port>; `api_base_url` is `url` (ends in /v3)."""

    def __init__(self, token):
        self.token = token
        self.customers = []
        self.searches = []  # (skip, asked limit, records answered, hasMore)
        self.lock = threading.Lock()
        stand_in = self

        class Handler(KeepAliveHandler):
            def do_POST(self):
                _, doc = self.read_json()
                if not stand_in.authorized(self.headers.get("Authorization", "")):
                    return self.answer_json(401, {"success": False, "code": "unauthorized", "message": "Unauthorized"})
                if self.path.split("?")[0] != "/v3/customer/search":
                    return self.answer_json(404, {"success": False, "code": "not_found", "message": "Not Found"})
                self.answer_json(200, stand_in.search(doc if isinstance(doc, dict) else {}))

            def do_GET(self):
                if not stand_in.authorized(self.headers.get("Authorization", "")):
                    return self.answer_json(401, {"success": False, "code": "unauthorized", "message": "Unauthorized"})
                prefix = "/v3/customer/"
                found = stand_in.find(self.path.split("?")[0][len(prefix):]) if self.path.startswith(prefix) else None
                if found is None:
                    return self.answer_json(404, {"success": False, "code": "not_found", "message": "Customer not found"})
                self.answer_json(200, {"success": True, "data": found})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/v3" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="shopmonkey", daemon=True).start()

    def authorized(self, header):
        return header == "Bearer " + self.token

    def add(self, record):
        with self.lock:
            self.customers.append(record)

    def find(self, customer_id):
        with self.lock:
            return next((c for c in self.customers if c["id"] == customer_id), None)

    def search(self, doc):
        """One page: `where.updatedDate.gte` and `orderBy.updatedDate` honoured, `limit` clamped to 100."""
        since = parse_time(((doc.get("where") or {}).get("updatedDate") or {}).get("gte", ""))
        asked = doc.get("limit") if isinstance(doc.get("limit"), int) else 10
        limit = max(1, min(PAGE_LIMIT, asked))
        skip = max(0, doc.get("skip") if isinstance(doc.get("skip"), int) else 0)
        with self.lock:
            matching = [c for c in self.customers if since is None or parse_time(c["updatedDate"]) >= since]
        matching.sort(key=lambda c: c["updatedDate"], reverse=(doc.get("orderBy") or {}).get("updatedDate") == "desc")
        page = matching[skip:skip + limit]
        has_more = skip + len(page) < len(matching)
        with self.lock:
            self.searches.append((skip, asked, [c["id"] for c in page], has_more))
        return {"success": True, "data": page, "meta": {"total": len(matching), "hasMore": has_more}}

    def served(self):
        """The customer ids the searches answered, in order (repeats included)."""
        with self.lock:
            return [customer_id for _, _, ids, _ in self.searches for customer_id in ids]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
