"""A minimal SMTP server on 127.0.0.1 that accepts messages and counts them.

Enough of RFC 5321 for Django's SMTP backend and smtplib: EHLO/HELO, MAIL, RCPT, DATA
(with dot-unstuffing), RSET, NOOP, QUIT. Addresses in ``refuse`` get ``550`` at RCPT; while
``down`` is set, new connections get ``421`` and are closed.
"""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        sink: SmtpSink = self.server.sink
        if sink.down:
            self.reply("421 4.3.2 service not available")
            return
        self.reply("220 sink.localhost ESMTP citisa test sink")
        sender, recipients = None, []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == "HELO":
                self.reply("250 sink.localhost")
            elif verb == "MAIL":
                sender, recipients = line[10:].strip(), []
                self.reply("250 2.1.0 ok")
            elif verb == "RCPT":
                address = line[8:].strip().split()[0].strip("<>").lower()
                if address in sink.refuse:
                    self.reply("550 5.1.1 mailbox unavailable")
                else:
                    recipients.append(address)
                    self.reply("250 2.1.5 ok")
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 5.5.1 no valid recipients")
                    continue
                self.reply("354 end data with <CR><LF>.<CR><LF>")
                chunks = []
                while True:
                    data_line = self.rfile.readline(1 << 20)
                    if not data_line or data_line in (b".\r\n", b".\n"):
                        break
                    chunks.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                sink.accept(sender, recipients, b"".join(chunks))
                self.reply("250 2.0.0 queued")
                sender, recipients = None, []
            elif verb == "RSET":
                sender, recipients = None, []
                self.reply("250 2.0.0 ok")
            elif verb == "NOOP":
                self.reply("250 2.0.0 ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 bye")
                return
            else:
                self.reply("502 5.5.2 command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, *, keep: bool = True, refuse=(), port: int = 0):
        self.keep = keep
        self.refuse = {address.lower() for address in refuse}
        self.down = False
        self.count = 0
        self.messages: list[tuple[str, list[str], bytes]] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def accept(self, sender, recipients, data: bytes) -> None:
        with self._lock:
            self.count += 1
            if self.keep:
                self.messages.append((sender, recipients, data))

    def parsed(self):
        return [message_from_bytes(data, policy=policy.default) for _s, _r, data in self.messages]

    def start(self) -> SmtpSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
