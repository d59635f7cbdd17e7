"""The providers' webhook senders for scripts/e2e-messaging: Meta's WhatsApp notifications signed
with `X-Hub-Signature-256` (hex HMAC-SHA256 of the raw bytes with the app secret, reference §3.5)
and Twilio's form posts signed with `X-Twilio-Signature` (base64 HMAC-SHA1 of the URL followed by
each sorted parameter name and its sorted values, reference §2.4), and Shopmonkey's Standard
Webhooks posts (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">` keyed with the base64 after `whsec_`). Python 3 stdlib only.
"""
import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from urllib.parse import urlencode


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def post(url, body, headers, timeout=30):
    """POSTs raw `body`; returns the Answer whatever the status."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return Answer(r.status, dict(r.headers.items()), r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, dict(e.headers.items()), e.read())


def get(url, timeout=30):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return Answer(r.status, dict(r.headers.items()), r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, dict(e.headers.items()), e.read())


# --- WhatsApp (Meta) ----------------------------------------------------------------------------


def meta_signature(body, app_secret):
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_notification(phone_number_id, messages=(), statuses=(), contacts=()):
    """The raw bytes of a notification as Meta sends it: ASCII with \\u escapes (ensure_ascii)."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id}}
    if contacts:
        value["contacts"] = list(contacts)
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    doc = {"object": "whatsapp_business_account",
           "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}
    return json.dumps(doc).encode()


def whatsapp_text(wa_id, wamid, timestamp, text, name):
    message = {"from": wa_id, "id": wamid, "timestamp": str(timestamp), "type": "text", "text": {"body": text}}
    contact = {"profile": {"name": name}, "wa_id": wa_id}
    return message, contact


def whatsapp_status(wamid, status, timestamp, recipient, error=None):
    item = {"id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": recipient}
    if error:
        code, title, details = error
        item["errors"] = [{"code": code, "title": title, "message": title, "error_data": {"details": details}}]
    return item


def post_whatsapp(hook_url, body, app_secret, signature=None):
    headers = {"Content-Type": "application/json",
               "X-Hub-Signature-256": signature or meta_signature(body, app_secret)}
    return post(hook_url, body, headers)


# --- Twilio -------------------------------------------------------------------------------------


def twilio_signature(url, params, auth_token):
    """base64(HMAC-SHA1(auth_token, url + name + value for each sorted name and its sorted values))."""
    data = url
    names = sorted({name for name, _ in params})
    for name in names:
        for value in sorted({v for n, v in params if n == name}):
            data += name + value
    mac = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def post_twilio(hook_url, params, auth_token, signed_url=None):
    """Posts `params` ([(name, value)]) form-encoded, signed over `signed_url` (default: hook_url)."""
    body = urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": twilio_signature(signed_url or hook_url, params, auth_token),
               "I-Twilio-Idempotency-Token": "e2e-" + hashlib.sha1(body).hexdigest()[:16]}
    return post(hook_url, body, headers)


def twilio_inbound_sms(account_sid, message_sid, sender, to, body):
    return [("ToCountry", "US"), ("SmsMessageSid", message_sid), ("NumMedia", "0"), ("SmsSid", message_sid),
            ("SmsStatus", "received"), ("Body", body), ("To", to), ("NumSegments", "1"), ("MessageSid", message_sid),
            ("AccountSid", account_sid), ("From", sender), ("FromCountry", "IL"), ("ApiVersion", "2010-04-01")]


# --- Shopmonkey (Standard Webhooks) -------------------------------------------------------------


def standard_webhook_signature(message_id, timestamp, body, secret):
    """`v1,` + base64(HMAC-SHA256(base64-decoded part of `whsec_…`, "id.timestamp.body"))."""
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    mac = hmac.new(key, b"%s.%s.%s" % (message_id.encode(), str(timestamp).encode(), body), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def shopmonkey_customer_insert(customer):
    """The raw bytes of Shopmonkey's webhook for a new customer."""
    return json.dumps({"apiVersion": "v3", "operation": "INSERT", "table": "customer", "data": customer}).encode()


def post_shopmonkey(hook_url, body, secret, message_id, timestamp):
    headers = {"Content-Type": "application/json", "webhook-id": message_id, "webhook-timestamp": str(timestamp),
               "webhook-signature": standard_webhook_signature(message_id, timestamp, body, secret)}
    return post(hook_url, body, headers)
