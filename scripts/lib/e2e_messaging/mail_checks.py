"""The shape of a message the SMTP server received (scripts/e2e-messaging): envelope, From/To
headers, the RFC 2047 subject and the text body decoded per its Content-Transfer-Encoding, compared
byte for byte with what the template should render."""
import email
import email.policy


def smtp_problems(mail, credentials, sender, to, subject, text):
    problems = [] if mail.auth == credentials else ["AUTH %r, expected user %r with the destination's secret"
                                                    % (mail.auth and mail.auth[0], credentials[0])]
    if mail.mail_from != sender:
        problems.append("MAIL FROM %r" % mail.mail_from)
    if mail.rcpt_to != [to]:
        problems.append("RCPT TO %r" % mail.rcpt_to)
    if not mail.data.endswith(b"\r\n") or b"\n" in mail.data.replace(b"\r\n", b""):
        problems.append("lines do not all end in CRLF")
    try:
        message = email.message_from_bytes(mail.data, policy=email.policy.default)
    except Exception as e:  # a message the email package cannot read is itself the finding
        return problems + ["unreadable message: %s" % e]
    if sender not in str(message.get("From", "")):
        problems.append("From header %r" % message.get("From"))
    if to not in str(message.get("To", "")):
        problems.append("To header %r" % message.get("To"))
    got_subject = str(message.get("Subject", ""))
    if got_subject.encode() != subject.encode():
        problems.append("Subject %r, expected %r (bytes differ)" % (got_subject, subject))
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return problems + ["no text/plain part"]
    got_text = part.get_content().replace("\r\n", "\n")
    if got_text.rstrip("\n").encode() != text.rstrip("\n").encode():
        problems.append("text %r, expected %r (bytes differ)" % (got_text[:120], text[:120]))
    return problems
