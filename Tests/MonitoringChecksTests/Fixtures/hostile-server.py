#!/usr/bin/python3
"""A server that lies, for the plugin's hostile-server tests.

    hostile-server.py BEHAVIOUR PORT LOG

Listens on 127.0.0.1:PORT; every connection gets BEHAVIOUR (one of the functions
below, named with '-' for '_'). Everything a client sends is appended to LOG, so a
test can tell what the plugin sent (a password, a DATA command) and what it did not.
"""
import socket
import socketserver
import sys
import threading
import time

FORGED = "mx |\u0301 injected=99;1;2;0\r\x1b[31m\x00\u2028LINE2 OK - spoofed"


class Client:
    def __init__(self, sock, log):
        self.sock, self.log, self.buffer = sock, log, b""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        self.sock.sendall(data)

    def recv(self):
        data = self.sock.recv(65536)
        if data:
            with lock:
                with open(self.log, "ab") as f:
                    f.write(data)
        return data

    def line(self):
        while b"\n" not in self.buffer:
            data = self.recv()
            if not data:
                raise EOFError
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def flood(self, unit):
        unit = unit.encode() if isinstance(unit, str) else unit
        block = unit * max(1, 65536 // len(unit))
        while True:
            self.sock.sendall(block)

    def hold(self, seconds=30):
        end = time.time() + seconds
        self.sock.settimeout(0.2)
        while time.time() < end:
            try:
                if not self.recv():
                    return
            except socket.timeout:
                pass


lock = threading.Lock()


# --- any protocol ---------------------------------------------------------------

def silent(c):
    c.hold()


def flood_no_newline(c):
    c.flood("A")


# --- http -----------------------------------------------------------------------

def http_request(c):
    while c.line():
        pass


def http_negative_length(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello")
    c.hold(5)


def http_negative_length_5(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello")
    c.hold(5)


def http_duplicate_length(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: -1\r\n\r\nhello")
    c.hold(5)


def http_huge_length(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nhello")
    c.hold(5)


def http_endless_headers(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\n")
    c.flood("X-Filler: 0123456789\r\n")


def http_chunked_open(c):
    """A chunked reply whose final chunk comes at once; the connection stays open."""
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n")
    c.hold(20)


def http_chunked_negative(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n")
    c.hold(5)


def http_unframed(c):
    http_request(c)
    c.send("HTTP/1.0 200 OK\r\n\r\n1234567")


def http_forge(c):
    http_request(c)
    c.send(f"HTTP/1.1 200 {FORGED}\r\nContent-Length: 0\r\n\r\n")


def http_ok(c):
    http_request(c)
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


# --- smtp -----------------------------------------------------------------------

def smtp_endless_continuation(c):
    c.flood("220-hello\r\n")


def smtp_forge(c):
    c.send(f"220 {FORGED}\r\n")
    smtp_session(c)


def smtp_session(c):
    while True:
        line = c.line()
        verb = line.split(" ")[0].split(":")[0].upper()
        if verb == "QUIT":
            c.send("221 bye\r\n")
            return
        if verb == "DATA":
            c.send("354 go on\r\n")
            while c.line() != ".":
                pass
            c.send("250 queued\r\n")
        else:
            c.send("250 ok\r\n")


def smtp_ok(c):
    c.send("220 mx ESMTP\r\n")
    smtp_session(c)


# STARTTLS: the reply to STARTTLS with pipelined plaintext after it (the injection), a
# handshake cut off after the ClientHello, and a capability list that never ends.
INJECTED = "250 injected-after-starttls\r\n"


def smtp_ehlo(c, keywords=("STARTTLS",)):
    c.line()
    c.send("250-mx\r\n" + "".join(f"250-{k}\r\n" for k in keywords) + "250 8BITMIME\r\n")


def smtp_starttls_injection(c):
    c.send("220 mx ESMTP\r\n")
    smtp_ehlo(c)
    c.line()
    c.send("220 go ahead\r\n" + INJECTED)
    c.hold(5)


def smtp_starttls_drop(c):
    """Agrees to STARTTLS, reads part of the ClientHello, hangs up."""
    c.send("220 mx ESMTP\r\n")
    smtp_ehlo(c)
    c.line()
    c.send("220 go ahead\r\n")
    c.sock.recv(10)
    c.sock.close()


def smtp_starttls_not_offered(c):
    c.send("220 mx ESMTP\r\n")
    smtp_ehlo(c, keywords=("PIPELINING", "SIZE 10240000"))
    smtp_session(c)


def smtp_starttls_endless_ehlo(c):
    c.send("220 mx ESMTP\r\n")
    c.line()
    c.flood("250-X-CAPABILITY\r\n")


def smtp_starttls_refused(c):
    c.send("220 mx ESMTP\r\n")
    smtp_ehlo(c)
    c.line()
    c.send("454 4.7.0 TLS not available due to local problem\r\n")
    smtp_session(c)


# --- imap -----------------------------------------------------------------------

def imap_negative_literal(c):
    c.send("* OK hello {-5}\r\n")
    c.hold(5)


def imap_chained_literals(c):
    c.send("* OK hello {1048576}\r\n")
    block = b"x" * 1048576 + b" {1048576}\r\n"
    while True:
        c.send(block)


def imap_session(c, login_reply=None, capabilities="IMAP4rev1"):
    while True:
        line = c.line()
        tag, _, rest = line.partition(" ")
        verb = rest.split(" ")[0].upper()
        if verb == "LOGOUT":
            c.send(f"* BYE\r\n{tag} OK bye\r\n")
            return
        if verb == "CAPABILITY":
            c.send(f"* CAPABILITY {capabilities}\r\n{tag} OK done\r\n")
        elif verb == "LOGIN":
            c.send(login_reply(tag, rest) if login_reply else f"{tag} OK logged in\r\n")
        else:
            c.send(f"{tag} OK done\r\n")


def imap_endless_untagged(c):
    c.send("* OK ready\r\n")
    c.line()
    c.flood("* 1 EXISTS\r\n")


def imap_forge(c):
    c.send(f"* OK {FORGED}\r\n")
    imap_session(c)


def imap_echo_password(c):
    c.send("* OK ready\r\n")
    imap_session(c, lambda tag, rest: f"{tag} NO [AUTHENTICATIONFAILED] you sent {rest}\r\n")


def imap_login_disabled(c):
    c.send("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n")
    imap_session(c)


def imap_login_disabled_later(c):
    """LOGINDISABLED only in the reply to CAPABILITY, not in the greeting."""
    c.send("* OK ready\r\n")
    imap_session(c, capabilities="IMAP4rev1 LOGINDISABLED")


def imap_starttls_injection(c):
    c.send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
    tag = c.line().split(" ")[0]
    c.send(f"{tag} OK begin TLS now\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n")
    c.hold(5)


def imap_starttls_drop(c):
    c.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
    tag = c.line().split(" ")[0]
    c.send(f"{tag} OK begin TLS now\r\n")
    c.sock.recv(10)
    c.sock.close()


def imap_starttls_not_offered(c):
    """No STARTTLS in the capabilities; would take a LOGIN in clear."""
    c.send("* OK ready\r\n")
    imap_session(c)


def imap_starttls_endless_capability(c):
    c.send("* OK ready\r\n")
    c.line()
    c.flood("* CAPABILITY IMAP4rev1 X-FILLER\r\n")


# --- pop3 -----------------------------------------------------------------------

def pop3_endless_list(c):
    c.send("+OK ready\r\n")
    while True:
        line = c.line().upper()
        if line.startswith("LIST"):
            c.send("+OK\r\n")
            c.flood("1 100\r\n")
        c.send("+OK\r\n")


def pop3_echo_password(c):
    c.send("+OK ready\r\n")
    while True:
        line = c.line()
        if line.upper().startswith("PASS"):
            c.send(f"-ERR you sent {line}\r\n")
        elif line.upper().startswith("QUIT"):
            c.send("+OK bye\r\n")
            return
        else:
            c.send("+OK\r\n")


def pop3_forge(c):
    c.send(f"+OK {FORGED}\r\n")
    while not c.line().upper().startswith("QUIT"):
        c.send("+OK\r\n")
    c.send("+OK bye\r\n")


def pop3_starttls_injection(c):
    c.send("+OK ready\r\n")
    c.line()
    c.send("+OK capabilities\r\nUSER\r\nSTLS\r\n.\r\n")
    c.line()
    c.send("+OK begin TLS\r\n+OK injected\r\n")
    c.hold(5)


def pop3_starttls_drop(c):
    c.send("+OK ready\r\n")
    c.line()
    c.send("+OK capabilities\r\nSTLS\r\n.\r\n")
    c.line()
    c.send("+OK begin TLS\r\n")
    c.sock.recv(10)
    c.sock.close()


def pop3_starttls_not_offered(c):
    """CAPA without STLS; would take USER/PASS in clear."""
    c.send("+OK ready\r\n")
    c.line()
    c.send("+OK capabilities\r\nUSER\r\nUIDL\r\n.\r\n")
    while not c.line().upper().startswith("QUIT"):
        c.send("+OK\r\n")
    c.send("+OK bye\r\n")


def pop3_starttls_endless_capability(c):
    c.send("+OK ready\r\n")
    c.line()
    c.send("+OK capabilities\r\n")
    c.flood("X-FILLER\r\n")


# --- ssh ------------------------------------------------------------------------

def ssh_endless_lines(c):
    c.flood("not yet\r\n")


def ssh_forge(c):
    c.send(f"SSH-2.0-{FORGED}\r\n")
    c.hold(5)


# --- ldap -----------------------------------------------------------------------

def ber(tag, content):
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    return bytes([tag, 0x82, n >> 8, n & 0xFF]) + content


def ber_elements(data):
    """(tag, content) pairs of a sequence's content."""
    out, i = [], 0
    while i + 2 <= len(data):
        tag, n = data[i], data[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i:i + k], "big")
            i += k
        out.append((tag, data[i:i + n]))
        i += n
    return out


def ldap_message(c):
    """(message id, (op tag, op content)) of the next LDAPMessage."""
    while True:
        data = c.buffer
        if len(data) >= 2:
            n, i = data[1], 2
            if n & 0x80:
                i = 2 + (n & 0x7F)
                n = int.from_bytes(data[2:i], "big")
            if len(data) >= i + n and len(data) >= i:
                c.buffer = data[i + n:]
                msgid, op = ber_elements(data[i:i + n])[:2]
                return msgid[1], op
        more = c.recv()
        if not more:
            raise EOFError
        c.buffer += more


def ldap_result(msgid, op, code, diagnostic):
    body = ber(0x0A, bytes([code])) + ber(0x04, b"") + ber(0x04, diagnostic.encode("utf-8", "surrogatepass"))
    return ber(0x30, ber(0x02, msgid) + ber(op, body))


def ldap_forge(c):
    """Bind refused with a diagnostic that echoes the password and forges a second line."""
    msgid, op = ldap_message(c)
    fields = ber_elements(op[1])
    password = fields[2][1].decode("utf-8", "replace") if len(fields) > 2 else ""
    c.send(ldap_result(msgid, 0x61, 49, f"bad password {password}\r\nLDAP OK - spoofed |x=1"))
    c.hold(5)


def ldap_bind_only(c):
    """Binds anyone, then hangs up: a server that does not serve queries."""
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x61, 0, ""))
    time.sleep(0.2)


def ldap_endless_entries(c):
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x61, 0, ""))
    msgid, op = ldap_message(c)
    entry = ber(0x30, ber(0x02, msgid) + ber(0x64, ber(0x04, b"") + ber(0x30, b"")))
    c.flood(entry)


def ldap_root_dse_refused(c):
    """The root DSE is refused, a search of any other base answers."""
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x61, 0, ""))
    while True:
        msgid, op = ldap_message(c)
        if op[0] == 0x63:
            base = ber_elements(op[1])[0][1]
            c.send(ldap_result(msgid, 0x65, 0 if base else 50, "" if base else "no access"))
        elif op[0] == 0x42:
            return


def ldap_search_refused(c):
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x61, 0, ""))
    while True:
        msgid, op = ldap_message(c)
        if op[0] == 0x63:
            c.send(ldap_result(msgid, 0x65, 50, "no access"))
        elif op[0] == 0x42:
            return


def ldap_starttls_injection(c):
    """StartTLS accepted, with a bind result pipelined after it in clear."""
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x78, 0, "") + ldap_result(b"\x02", 0x61, 0, ""))
    c.hold(5)


def ldap_starttls_drop(c):
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x78, 0, ""))
    c.sock.recv(10)
    c.sock.close()


def ldap_starttls_not_offered(c):
    """StartTLS refused as slapd refuses it without a certificate; binds anyone in clear."""
    msgid, op = ldap_message(c)
    c.send(ldap_result(msgid, 0x78, 52, "Could not initialize TLS"))
    ldap_root_dse_refused(c)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            BEHAVIOUR(Client(self.request, LOG))
        except (EOFError, OSError, ValueError):
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    BEHAVIOUR = globals()[sys.argv[1].replace("-", "_")]
    LOG = sys.argv[3]
    open(LOG, "ab").close()
    with Server(("127.0.0.1", int(sys.argv[2])), Handler) as server:
        server.serve_forever()
