#!/usr/bin/python3
"""Test HTTP server: http-server.py ADDRESS PORT EXPECTED_HOST

/ok -> 200, /redirect -> 301 to /ok, /error -> 500,
/host -> 200 when the Host header is EXPECTED_HOST, else 421."""
import http.server
import socket
import sys

address, port, expected_host = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, code, body, headers=()):
        data = body.encode()
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/ok" or self.path == "/":
            self.answer(200, "fine\n")
        elif self.path == "/redirect":
            self.answer(301, "moved\n", [("Location", "/ok")])
        elif self.path == "/error":
            self.answer(500, "broken\n")
        elif self.path == "/host":
            host = self.headers.get("Host", "")
            if host == expected_host:
                self.answer(200, "host " + host + "\n")
            else:
                self.answer(421, "wrong host " + host + "\n")
        else:
            self.answer(404, "not found\n")

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in address else socket.AF_INET


Server((address, port), Handler).serve_forever()
