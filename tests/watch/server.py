"""A real HTTP server on 127.0.0.1 for the watch tests: routes set by each test, every hit logged.

Routes answer with a fixed body, a delay (a slow host), an error status, a redirect, a body
larger than any limit streamed in chunks, or a conditional-GET-aware feed whose content a test
changes between polls. POSTs (webhooks) are recorded with their JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    huge: int = 0  # stream this many bytes instead of body
    etag: str | None = None  # answer 304 to a matching If-None-Match


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    time: float
    body: bytes = b""


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.posts: list[dict] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                with site.lock:
                    site.hits.append(Hit("GET", self.path, dict(self.headers), time.monotonic()))
                    route = site.routes.get(self.path)
                if route is None:
                    self._send(404, b"not found", "text/plain")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.huge:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                    sent = 0
                    try:
                        while sent < route.huge:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                self._send(route.status, route.body, route.content_type, headers)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with site.lock:
                    site.hits.append(Hit("POST", self.path, dict(self.headers), time.monotonic(), body))
                    route = site.routes.get(self.path)
                    if route is None or route.status < 300:
                        site.posts.append(json.loads(body or b"null"))
                self._send(route.status if route else 200, b"{}", "application/json")

            def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def gets(self, path: str) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h.method == "GET" and h.path == path)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> bytes:
    """An RSS 2.0 feed of (url, title, RFC 822 date) items."""
    from xml.sax.saxutils import escape

    rows = "".join(f"<item><title>{escape(t)}</title><link>{escape(u)}</link><pubDate>{d}</pubDate></item>"
                   for u, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.org/</link><description>test</description>{rows}</channel></rss>").encode()


def article(title: str, text: str) -> bytes:
    """An HTML page around a report: navigation, the article, a footer."""
    from html import escape

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{escape(title)}</h1>"
            f"{paragraphs}</article><footer>© Test News</footer></body></html>").encode()
