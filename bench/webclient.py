"""A small HTTP client for the load benchmark: one simulated user = one ``Browser``
(its own cookies), one connection per request, every request timed by step name.

Standard library only (no requests/locust on this machine).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Sample:
    step: str
    start: float
    seconds: float
    ok: bool
    status: int
    detail: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class StepFailed(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


_INPUT_VALUE = (
    r'<input[^>]*name="{name}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="{name}"'
)


def input_value(html: str, name: str) -> str:
    match = re.search(_INPUT_VALUE.format(name=re.escape(name)), html)
    if not match:
        raise StepFailed(f"no input {name} on the page")
    return match.group(1) or match.group(2) or ""


def _error_lines(response: Response) -> str:
    """The page's error messages (errorlist items, messages), for the failure report."""
    found = re.findall(r'<li[^>]*class="[^"]*error[^"]*"[^>]*>(.*?)</li>', response.text, re.S)
    found += re.findall(r'<ul class="errorlist[^"]*">\s*<li>(.*?)</li>', response.text, re.S)
    text = "; ".join(re.sub(r"<[^>]+>", "", item).strip() for item in found)
    return f": {text[:300]}" if text else ""


def static_paths(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)))


class Browser:
    def __init__(self, host: str, port: int, recorder: Recorder, *, timeout: float = 120):
        self.host, self.port = host, port
        self.recorder = recorder
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, step: str, method: str, path: str, *, body=None, headers=None, expect=(200,)
    ) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Referer", f"http://{self.host}:{self.port}{path}")
            headers.setdefault("Origin", f"http://{self.host}:{self.port}")
        start = time.perf_counter()
        status, detail, response = 0, "", None
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                data = raw.read()
                response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
                for value in raw.headers.get_all("Set-Cookie") or []:
                    cookie = SimpleCookie()
                    cookie.load(value)
                    for key, morsel in cookie.items():
                        self.cookies[key] = morsel.value
            finally:
                conn.close()
            status = response.status
            if status not in expect:
                detail = f"HTTP {status} for {method} {path}{_error_lines(response)}"
        except OSError as error:
            detail = f"{type(error).__name__}: {error} for {method} {path}"
        seconds = time.perf_counter() - start
        self.recorder.add(Sample(step, start, seconds, not detail, status, detail))
        if detail:
            raise StepFailed(detail)
        return response

    def get(self, step: str, path: str, **kwargs) -> Response:
        return self.request(step, "GET", path, **kwargs)

    def post_form(self, step: str, path: str, fields: dict, **kwargs) -> Response:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(step, "POST", path, body=body, headers=headers, **kwargs)

    def post_multipart(self, step: str, path: str, fields: dict, files, **kwargs) -> Response:
        """``files``: (field, filename, content_type, bytes) tuples."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content_type, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(step, "POST", path, body=b"".join(parts), headers=headers, **kwargs)
