"""A minimal SMTP server for scripts/e2e-messaging (Python 3 stdlib; smtpd is gone since 3.12):
RFC 5321 without TLS (the destination's `tls: none`): EHLO/HELO, AUTH PLAIN and LOGIN (any
credentials, recorded), MAIL FROM, RCPT TO, DATA (dot-unstuffed), RSET, NOOP, QUIT. Each message is
recorded as (mail_from, [rcpt_to…], raw bytes, (user, password) or None).
"""
import base64
import socketserver
import threading


class Mail:
    def __init__(self, mail_from, rcpt_to, data, auth):
        self.mail_from, self.rcpt_to, self.data, self.auth = mail_from, rcpt_to, data, auth


def address(argument):
    """The address inside `<…>` of a MAIL FROM / RCPT TO argument."""
    start, end = argument.find("<"), argument.find(">")
    return argument[start + 1:end] if 0 <= start < end else argument.strip()


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def read_line(self):
        line = self.rfile.readline(65537)
        return None if not line else line.rstrip(b"\r\n")

    def handle(self):
        mail_from, rcpt_to, auth = None, [], None
        self.reply("220 e2e-smtp.test ESMTP stand-in")
        while True:
            line = self.read_line()
            if line is None:
                return
            verb, _, argument = line.decode("utf-8", "replace").partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.reply("250-e2e-smtp.test\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10485760")
            elif verb == "HELO":
                self.reply("250 e2e-smtp.test")
            elif verb == "AUTH":
                auth = self.authenticate(argument.split())
                if auth is None:
                    return
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                mail_from, rcpt_to = address(argument), []
                self.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                rcpt_to.append(address(argument))
                self.reply("250 2.1.5 OK")
            elif verb == "DATA":
                if mail_from is None or not rcpt_to:
                    self.reply("503 5.5.1 MAIL FROM and RCPT TO first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                if data is None:
                    return
                with self.server.lock:
                    self.server.mails.append(Mail(mail_from, rcpt_to, data, auth))
                    n = len(self.server.mails)
                self.reply("250 2.0.0 OK queued as E2E%d" % n)
                mail_from, rcpt_to = None, []
            elif verb == "RSET":
                mail_from, rcpt_to = None, []
                self.reply("250 2.0.0 OK")
            elif verb == "NOOP":
                self.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not implemented")

    def read_data(self):
        lines = []
        while True:
            line = self.rfile.readline(1048577)
            if not line:
                return None
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b".") else line)

    def authenticate(self, words):
        """AUTH PLAIN [initial] or AUTH LOGIN; returns (user, password) (None: the client left)."""
        mechanism = words[0].upper() if words else ""
        if mechanism == "PLAIN":
            token = words[1] if len(words) > 1 else None
            if token is None:
                self.reply("334 ")
                raw = self.read_line()
                if raw is None:
                    return None
                token = raw.decode()
            parts = base64.b64decode(token).split(b"\0")
            return tuple(p.decode("utf-8", "replace") for p in parts[1:]) if len(parts) == 3 else ("", "")
        if mechanism == "LOGIN":
            self.reply("334 VXNlcm5hbWU6")
            user = self.read_line()
            self.reply("334 UGFzc3dvcmQ6")
            password = self.read_line()
            if user is None or password is None:
                return None
            return base64.b64decode(user).decode("utf-8", "replace"), base64.b64decode(password).decode("utf-8", "replace")
        self.reply("504 5.5.4 Unrecognized authentication type")
        return ("", "")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.mails = []
        self.lock = threading.Lock()
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, name="smtp", daemon=True).start()

    def received(self):
        with self.lock:
            return list(self.mails)

    def stop(self):
        self.shutdown()
        self.server_close()
