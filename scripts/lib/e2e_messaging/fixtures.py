"""The tenant, secrets, leads and message templates of scripts/e2e-messaging."""

TENANT = "e2e"
PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_TOKEN = "EAAG-e2e-graph-token"
APP_SECRET = "e2e-meta-app-secret"
VERIFY_TOKEN = "e2e-verify-token"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "e2e-twilio-auth-token"
TWILIO_FROM = "+15005550006"
GHL_TOKEN = "pit-e2e-ghl-token"
GHL_LOCATION = "loc-e2e-1"
SENDGRID_KEY = "SG.e2e-sendgrid-key"
SMTP_USER, SMTP_PASSWORD = "e2e-smtp-user", "e2e-smtp-password"
SENDER = "leads@example.com"
REPLY_TO = "reply@example.com"

# The lead: a Hebrew first name; the bodies mix Hebrew (with niqqud), emoji with a skin tone and a
# ZWJ family, so that any re-encoding or normalization on the way shows as different bytes.
LEAD = {"first_name": "דני", "last_name": "כהן", "email": "dani@example.co.il", "phone": "+972501234567"}
FOLLOW_UP = {"first_name": "דני", "last_name": "כהן", "email": "dani.followup@example.co.il", "phone": LEAD["phone"]}
SMS_BODY = "שלום {{first_name}} 👋🏽 קיבלנו את פנייתך, נחזור אליך בְּקָרוֹב 👨‍👩‍👧 נשמח לעזור בכל שאלה."
WHATSAPP_TEXT = "היי {{first_name}}, תודה על התשובה 🙏 נציג יחזור אליך הַיּוֹם."
EMAIL_SUBJECT = "{{first_name}}, קיבלנו את פנייתך ✅"
EMAIL_TEXT = "שלום {{first_name}} 👋\nתודה שפנית אלינו — נחזור אליך בְּקָרוֹב."
REPLY_TEXT = "כן, מעוניין 🙂 מתי אפשר לדבר?"


def render(template, lead):
    return template.replace("{{first_name}}", lead["first_name"])
