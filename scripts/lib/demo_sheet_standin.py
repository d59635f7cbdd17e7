#!/usr/bin/env python3
"""A tiny Google stand-in for the local demo: a sheet that keeps getting new leads.

Serves, on 127.0.0.1:<port>, both
  POST /token                                         Google's OAuth token endpoint (JWT bearer grant)
  GET  /v4/spreadsheets/demo-sheet/values/<range>     Sheets API values.get
over one spreadsheet `demo-sheet` with one tab `Leads`: a header row (Full Name, Email,
Phone Number, Which location?) and 5 leads, plus one new plausible lead every 60 s while it runs
(computed from the elapsed time, so a poller sees new rows arrive).

Usage (stdlib only):
  python3 scripts/lib/demo_sheet_standin.py PORT [--interval SECONDS] [--rows N] [--quiet]
      serve until killed (Ctrl-C / SIGTERM); --interval changes the 60 s between new leads;
      --rows N starts the tab with N generated leads instead of five (bench/worker's sheet
      phase); --quiet logs no successful request.
  python3 scripts/lib/demo_sheet_standin.py PORT --service-account-json
      print a service-account key file (JSON) whose token_uri is this stand-in, with a fresh
      RSA key made by `openssl genpkey`; give it to the sheet source as its `service_account`
      secret (`--secret service_account=@key.json`).

The sheet source's config for it:
  {"spreadsheet_id": "demo-sheet", "ranges": ["Leads!A:Z"],
   "sheets_base_url": "http://127.0.0.1:PORT", "token_url": "http://127.0.0.1:PORT/token"}

Answers have Google's shapes: {"access_token", "expires_in": 3599, "token_type": "Bearer"};
a ValueRange {"range", "majorDimension": "ROWS", "values"} with each row's trailing empty cells
and the window's trailing empty rows omitted ("values" absent when nothing is left); errors as
{"error": {"code", "message", "status"}} (401 UNAUTHENTICATED, 404 NOT_FOUND, 400
INVALID_ARGUMENT "Unable to parse range: ...").

NOTE: the token endpoint checks that the assertion is a well-formed RS256 JWT with Google's
claims (iss, scope, aud, iat, exp - iat <= 3600) but does NOT verify its RSA signature (no RSA in
the standard library). The Swift test stand-in (Tests/TestSupport/GoogleStandIns) does.
"""

import base64
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPREADSHEET_ID = "demo-sheet"
TAB = "Leads"
GRID_ROWS, GRID_COLUMNS = 1000, 26
HEADER = ["Full Name", "Email", "Phone Number", "Which location?"]
# The first five rows; the location is sometimes left blank (a ragged row, as Google sends it).
INITIAL_ROWS = [
    ["Dana Levi", "dana.levi@example.com", "050-123-4567", "Tel Aviv"],
    ["Yossi Cohen", "yossi.cohen@example.com", "052-765-4321", "Haifa"],
    ["מיכל אברהם", "michal.a@example.com", "054-555-0101", "תל אביב"],
    ["Avi Mizrahi", "", "053-222-3344", "Jerusalem"],
    ["Noa Friedman", "noa.f@example.com", "058-909-1212", ""],
]
FIRST_NAMES = ["Tamar", "Eitan", "Shira", "Omer", "Maya", "Lior", "Yael", "Itai", "Roni", "Gal"]
LAST_NAMES = ["Katz", "Peretz", "Biton", "Azoulay", "Shapiro", "Ben-David", "Golan", "Weiss"]
LOCATIONS = ["Tel Aviv", "Haifa", "Jerusalem", "Be'er Sheva", ""]
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def generated_row(number):
    """The `number`th lead added while running (0-based): plausible and distinct."""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number * 3) % len(LAST_NAMES)]
    email = f"{first}.{last}.{number + 1}@example.com".lower().replace("-", "")
    phone = f"05{number % 10}-{(3000000 + number * 7919) % 10000000:07d}"
    phone = phone[:7] + "-" + phone[7:]
    row = [f"{first} {last}", email, phone, LOCATIONS[number % len(LOCATIONS)]]
    return row


class DemoSheet:
    """The tab's rows as of now, and the tokens handed out."""

    def __init__(self, interval, rows=None):
        self.started = time.monotonic()
        self.interval = interval
        self.tokens = set()
        self.lock = threading.Lock()
        # --rows N: the tab starts with N generated leads instead of the five (benchmarks).
        self.initial = INITIAL_ROWS if rows is None else [generated_row(n) for n in range(rows)]
        self.first_generated = 0 if rows is None else rows
        self.generated = []

    def rows(self):
        added = int((time.monotonic() - self.started) // self.interval)
        with self.lock:
            while len(self.generated) < added:
                self.generated.append(generated_row(self.first_generated + len(self.generated)))
            return [HEADER] + self.initial + self.generated[:added]

    def issue_token(self):
        with self.lock:
            token = f"demo-token-{len(self.tokens) + 1}"
            self.tokens.add(token)
            return token

    def knows(self, token):
        with self.lock:
            return token in self.tokens


def b64url_json(part):
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def assertion_problem(assertion, audience):
    """Why Google would refuse the JWT (its wording where known), or None. No RSA check."""
    parts = assertion.split(".")
    if len(parts) != 3 or "=" in assertion:
        return "Invalid JWT: malformed."
    try:
        header, claims = b64url_json(parts[0]), b64url_json(parts[1])
        base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    except (ValueError, UnicodeDecodeError):
        return "Invalid JWT: malformed."
    if header.get("alg") != "RS256":
        return "Invalid JWT: unsupported alg."
    if claims.get("aud") != audience:
        return "Invalid JWT: Failed audience check."
    if "spreadsheets.readonly" not in str(claims.get("scope", "")) or not claims.get("iss"):
        return "Invalid JWT: bad scope."
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int) or not 0 < exp - iat <= 3600:
        return ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                "Check your iat and exp values in the JWT claim.")
    return None


def column_number(letters):
    number = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            return None
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number):
    letters = ""
    while number > 0:
        number, digit = divmod(number - 1, 26)
        letters = chr(65 + digit) + letters
    return letters


def cell_ref(text):
    letters = ""
    while text and text[0].isascii() and text[0].isalpha():
        letters, text = letters + text[0], text[1:]
    if text and not (text.isascii() and text.isdigit()):
        return None
    column = column_number(letters) if letters else None
    if letters and column is None:
        return None
    row = int(text) if text else None
    if (column is None and row is None) or (row is not None and row < 1):
        return None
    return column, row


def parse_range(text):
    """(tab or None, first column, last column or None, first row, last row or None), or None."""
    tab, cells = None, text
    if text.startswith("'"):
        name, i = "", 1
        while i < len(text):
            if text[i] == "'":
                if text[i + 1:i + 2] == "'":
                    name, i = name + "'", i + 2
                    continue
                break
            name, i = name + text[i], i + 1
        else:
            return None
        rest = text[i + 1:]
        if rest and (not rest.startswith("!") or rest == "!"):
            return None
        tab, cells = name, rest[1:]
    elif "!" in text:
        tab, cells = text.rsplit("!", 1)
        if cells == "":
            return None
    elif parse_cells(text) is None:
        tab, cells = text, ""
    if tab == "":
        return None
    if cells == "":
        return tab, 1, None, 1, None
    bounds = parse_cells(cells)
    return None if bounds is None else (tab,) + bounds


def parse_cells(text):
    ends = text.split(":")
    if len(ends) > 2:
        return None
    start = cell_ref(ends[0])
    if start is None:
        return None
    if len(ends) == 1:
        if None in start:
            return None
        return start[0], start[0], start[1], start[1]
    end = cell_ref(ends[1])
    if end is None or (start[0] is None) != (end[0] is None):
        return None
    first_column = start[0] or 1
    last_column = end[0]
    first_row = start[1] or 1
    last_row = end[1]
    return first_column, last_column, first_row, last_row


def quoted(name):
    if name.isascii() and name.replace("_", "a").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


def value_range(rows, first_column, last_column, first_row, last_row):
    grid_rows = max(GRID_ROWS, len(rows))
    grid_columns = max(GRID_COLUMNS, max(len(row) for row in rows))
    if first_row > grid_rows or first_column > grid_columns:
        return 400, google_error(400, "INVALID_ARGUMENT",
                                 f"Range ('{TAB}'!{column_letters(first_column)}{first_row}) exceeds grid limits. "
                                 f"Max rows: {grid_rows}, max columns: {grid_columns}")
    last_row = min(last_row or grid_rows, grid_rows)
    last_column = min(last_column or grid_columns, grid_columns)
    values = []
    for row in rows[first_row - 1:last_row]:
        cells = row[first_column - 1:last_column]
        while cells and cells[-1] == "":
            cells.pop()
        values.append(cells)
    while values and not values[-1]:
        values.pop()
    body = {
        "range": f"{quoted(TAB)}!{column_letters(first_column)}{first_row}:{column_letters(last_column)}{last_row}",
        "majorDimension": "ROWS",
    }
    if values:
        body["values"] = values
    return 200, body


def google_error(code, status, message):
    return {"error": {"code": code, "message": message, "status": status}}


class Handler(BaseHTTPRequestHandler):
    sheet = None  # set in main
    protocol_version = "HTTP/1.1"

    def answer(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        if urllib.parse.urlsplit(self.path).path != "/token":
            return self.answer(404, google_error(404, "NOT_FOUND", "Requested entity was not found."))
        if form.get("grant_type", [""])[0] != JWT_GRANT:
            return self.answer(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."})
        audience = f"http://{self.headers.get('Host', '')}/token"
        problem = assertion_problem(form.get("assertion", [""])[0], audience)
        if problem:
            return self.answer(400, {"error": "invalid_grant", "error_description": problem})
        self.answer(200, {"access_token": self.sheet.issue_token(), "expires_in": 3599, "token_type": "Bearer"})

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        prefix = "/v4/spreadsheets/"
        if not path.startswith(prefix) or "/values/" not in path:
            return self.answer(404, google_error(404, "NOT_FOUND", "Requested entity was not found."))
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not self.sheet.knows(auth[len("Bearer "):]):
            return self.answer(401, google_error(
                401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential."))
        spreadsheet, _, raw_range = path[len(prefix):].partition("/values/")
        if spreadsheet != SPREADSHEET_ID:
            return self.answer(404, google_error(404, "NOT_FOUND", "Requested entity was not found."))
        text = urllib.parse.unquote(raw_range)
        parsed = parse_range(text)
        if parsed is None or parsed[0] not in (None, TAB):
            return self.answer(400, google_error(400, "INVALID_ARGUMENT", f"Unable to parse range: {text}"))
        self.answer(*value_range(self.sheet.rows(), *parsed[1:]))

    quiet = False

    def log_message(self, format, *args):
        if not self.quiet:
            sys.stderr.write("demo-sheet: " + (format % args) + "\n")


def service_account_json(port):
    """A key file for a fresh RSA key (PKCS#8 PEM, as Google issues) pointing at this stand-in."""
    pem = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                         check=True, capture_output=True, text=True).stdout
    return json.dumps({
        "type": "service_account", "project_id": "leadrelay-demo", "private_key_id": "demo0000000000000000000000000000000000",
        "private_key": pem, "client_email": "leadrelay-demo@leadrelay-demo.iam.gserviceaccount.com",
        "client_id": "100000000000000000001", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": f"http://127.0.0.1:{port}/token",
    })


def main(argv):
    if len(argv) < 2 or not argv[1].isdigit():
        sys.exit(__doc__)
    port = int(argv[1])
    if "--service-account-json" in argv:
        print(service_account_json(port))
        return
    interval = float(argv[argv.index("--interval") + 1]) if "--interval" in argv else 60.0
    rows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else None
    Handler.quiet = "--quiet" in argv
    Handler.sheet = DemoSheet(interval, rows)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    sys.stderr.write(f"demo-sheet: serving {SPREADSHEET_ID} on http://127.0.0.1:{port} (a new lead every {interval:g} s)\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv)
