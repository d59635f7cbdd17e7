"""What a well-formed provider request looks like (scripts/e2e-messaging): each function returns
the problems it finds in one request a stand-in received (empty: well-formed). Text is compared as
UTF-8 bytes, never as strings that might be normalized, so that Hebrew with niqqud and emoji
sequences must arrive exactly as the templates render them (reference §2.1, §3.1, §4.1)."""
import base64


def bearer_problems(received, token):
    expected = "Bearer " + token
    return [] if received.header("Authorization") == expected else ["Authorization is %r, not Bearer <token>"
                                                                    % (received.header("Authorization") or "")[:12]]


def json_problems(received):
    content_type = (received.header("Content-Type") or "").lower()
    problems = [] if content_type.startswith("application/json") else ["Content-Type %r" % content_type]
    if not isinstance(received.json(), dict):
        problems.append("body is not a JSON object")
    return problems


def problems_ghl(received, token, location_id, lead):
    problems = bearer_problems(received, token) + json_problems(received)
    if received.path != "/contacts/upsert":
        problems.append("path %s (expected /contacts/upsert)" % received.path)
    if received.header("Version") != "2021-07-28":
        problems.append("Version header %r" % received.header("Version"))
    doc = received.json() or {}
    if doc.get("locationId") != location_id:
        problems.append("locationId %r" % doc.get("locationId"))
    for key, value in (("firstName", lead["first_name"]), ("email", lead["email"]), ("phone", lead["phone"])):
        if str(doc.get(key, "")).encode() != value.encode():
            problems.append("%s %r, expected %r" % (key, doc.get(key), value))
    return problems


def problems_graph(received, token, phone_number_id, version="v21.0"):
    problems = bearer_problems(received, token) + json_problems(received)
    if received.path != "/%s/%s/messages" % (version, phone_number_id):
        problems.append("path %s" % received.path)
    doc = received.json() or {}
    if doc.get("messaging_product") != "whatsapp":
        problems.append("messaging_product %r" % doc.get("messaging_product"))
    return problems


def graph_template_problems(doc, to, template, language, parameter):
    """A template message to `to` (digits, no +) whose one body parameter is `parameter`, byte-exact."""
    problems = []
    if doc.get("to") != to:
        problems.append("to %r, expected %r" % (doc.get("to"), to))
    if doc.get("type") != "template":
        return problems + ["type %r, expected template" % doc.get("type")]
    body = doc.get("template") or {}
    if body.get("name") != template or (body.get("language") or {}).get("code") != language:
        problems.append("template %r / language %r" % (body.get("name"), body.get("language")))
    try:
        text = body["components"][0]["parameters"][0]["text"]
        if body["components"][0]["type"] != "body" or text.encode() != parameter.encode():
            problems.append("body parameter %r, expected %r (bytes differ)" % (text, parameter))
    except (KeyError, IndexError, TypeError):
        problems.append("no components[0].parameters[0].text")
    return problems


def graph_text_problems(doc, to, text):
    problems = []
    if doc.get("to") != to:
        problems.append("to %r, expected %r" % (doc.get("to"), to))
    if doc.get("type") != "text":
        return problems + ["type %r, expected text (the lead wrote less than 24 h ago)" % doc.get("type")]
    body = (doc.get("text") or {}).get("body", "")
    if body.encode() != text.encode():
        problems.append("text.body %r, expected %r (bytes differ)" % (body, text))
    return problems


def problems_twilio(received, account_sid, auth_token, to, sender, body):
    problems = []
    if received.path != "/2010-04-01/Accounts/%s/Messages.json" % account_sid:
        problems.append("path %s" % received.path)
    expected_auth = "Basic " + base64.b64encode(("%s:%s" % (account_sid, auth_token)).encode()).decode()
    if received.header("Authorization") != expected_auth:
        problems.append("Authorization is not Basic account_sid:auth_token")
    if not (received.header("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
        problems.append("Content-Type %r" % received.header("Content-Type"))
    form = received.form()
    for name, value in (("To", to), ("From", sender), ("Body", body)):
        values = form.get(name, [])
        if values != [value.encode()]:
            problems.append("%s %r, expected %r (bytes differ)" % (name, [v.decode("utf-8", "replace") for v in values], value))
    unexpected = set(form) - {"To", "From", "Body", "StatusCallback"}
    if unexpected:
        problems.append("unexpected form fields %s" % sorted(unexpected))
    return problems


def problems_sendgrid(received, api_key, sender, to, subject, text, reply_to):
    problems = bearer_problems(received, api_key) + json_problems(received)
    if received.path != "/v3/mail/send":
        problems.append("path %s" % received.path)
    doc = received.json() or {}
    try:
        recipient = doc["personalizations"][0]["to"][0]["email"]
    except (KeyError, IndexError, TypeError):
        recipient = None
    if recipient != to:
        problems.append("personalizations[0].to[0].email %r, expected %r" % (recipient, to))
    if (doc.get("from") or {}).get("email") != sender:
        problems.append("from %r" % doc.get("from"))
    if (doc.get("reply_to") or {}).get("email") != reply_to:
        problems.append("reply_to %r" % doc.get("reply_to"))
    try:
        if not str(doc["personalizations"][0]["custom_args"]["delivery_id"]).isdigit():
            problems.append("custom_args.delivery_id is not a delivery id")
    except (KeyError, IndexError, TypeError):
        problems.append("no personalizations[0].custom_args.delivery_id")
    if str(doc.get("subject", "")).encode() != subject.encode():
        problems.append("subject %r, expected %r (bytes differ)" % (doc.get("subject"), subject))
    content = doc.get("content") or [{}]
    if content[0].get("type") != "text/plain" or str(content[0].get("value", "")).encode() != text.encode():
        problems.append("content[0] %r, expected text/plain %r (bytes differ)" % (content[0], text))
    return problems
