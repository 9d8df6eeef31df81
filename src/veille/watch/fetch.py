"""Polite, safe HTTP fetching for ``veille watch``: one GET, checked at every step.

Why by hand around httpx rather than its defaults: every redirect hop and every address a
host name resolves to must be checked (only http(s), no loopback/private/link-local address
unless ``allow_private``), the connection must go to the address that was checked (no DNS
rebinding between check and connect), and a response must be cut at a size and a total time.

Politeness: robots.txt is read once per host (and again after a day), a per-host delay is
kept between requests (robots.txt's Crawl-delay when longer), conditional GET with ETag /
Last-Modified, retries with exponential back-off on timeouts, connection errors, 429 and 5xx,
and a user agent that says who is asking.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from veille import __version__
from veille.errors import VeilleError

USER_AGENT = f"veille/{__version__} (news event monitor; honours robots.txt)"
ROBOTS_AGENT = "veille"
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
ROBOTS_TTL_S = 24 * 3600
ROBOTS_MAX_BYTES = 512_000
MAX_CRAWL_DELAY_S = 60.0


class FetchError(VeilleError):
    """A URL could not be fetched; ``transient`` errors are worth trying again later."""

    code = "V080"

    def __init__(self, url: str, message: str, transient: bool = False, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.transient = transient
        self.status = status


class Refused(FetchError):
    """Refused before any request: scheme, address, or robots.txt."""

    code = "V081"


@dataclass(frozen=True)
class FetchOptions:
    """Limits of one fetcher (CLI: --max-bytes, --timeout, --retries, --backoff, --host-delay)."""

    max_bytes: int = 5_000_000
    timeout: float = 20.0  # seconds for the whole response (connect, headers and body)
    retries: int = 2  # further tries after a transient failure
    backoff: float = 1.0  # first wait before a retry, doubled each time
    host_delay: float = 1.0  # seconds between two requests to the same host
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()  # host names fetched even at a private address (an intranet feed)
    robots: bool = True
    user_agent: str = USER_AGENT
    ca_bundle: str | None = None  # PEM file of extra certificate authorities (a private CA); None: the system's


@dataclass(frozen=True)
class Response:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_scheme(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; raises Refused for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Refused(url, f"not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(url, f"scheme {scheme or '(none)'!r} refused: only http and https are fetched")
    if not parts.hostname:
        raise Refused(url, "no host in URL")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local…)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_unspecified or ip.is_reserved)


def resolve(url: str, allow_private: bool, allow_hosts: tuple[str, ...] = ()) -> tuple[str, str, str, int]:
    """(scheme, host, address, port) for a URL: the address every request then connects to.

    Every address the name resolves to must be public unless ``allow_private``: a name that
    resolves to one public and one private address is refused (it could be rebound)."""
    scheme, host, port = check_scheme(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {host!r} ({exc})", transient=True) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(url, f"host {host!r} has no address", transient=True)
    if not allow_private and host.lower() not in allow_hosts:
        for address in addresses:
            if not public_address(address):
                raise Refused(url, f"host {host!r} resolves to {address}, a loopback, private or link-local "
                                   "address: refused (use --allow-private, or --allow-host NAME, to fetch from such hosts)")
    return scheme, host, addresses[0], port


@dataclass
class _Host:
    last: float = 0.0  # monotonic time of the last request
    delay: float = 0.0  # robots.txt Crawl-delay


@dataclass
class _Robots:
    """robots.txt of one origin (scheme, host, port)."""

    parser: RobotFileParser | None = None  # None: everything allowed
    error: str | None = None  # could not be read: nothing is fetched from the origin for now
    at: float = -1e18


@dataclass
class Fetcher:
    """One client for a whole watch: per-host pacing and robots.txt live here."""

    options: FetchOptions = field(default_factory=FetchOptions)
    sleep: object = time.sleep  # replaced in a watch by a sleep that wakes on SIGTERM

    def __post_init__(self) -> None:
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[tuple[str, str, int], _Robots] = {}
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=0)
        verify: ssl.SSLContext | bool = True
        if self.options.ca_bundle:
            verify = ssl.create_default_context(cafile=self.options.ca_bundle)
        self._client = httpx.Client(follow_redirects=False, trust_env=False, limits=limits, verify=verify,
                                    headers={"User-Agent": self.options.user_agent})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one public call ------------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None) -> Response:
        """GET a URL politely and safely, following at most 5 redirects; raises FetchError."""
        attempt = 0
        while True:
            try:
                return self._follow(url, etag, last_modified, max_bytes or self.options.max_bytes)
            except FetchError as exc:
                if not exc.transient or attempt >= self.options.retries:
                    raise
                self.sleep(self.options.backoff * (2 ** attempt))
                attempt += 1

    # -- steps --------------------------------------------------------------------------
    def _follow(self, url: str, etag: str | None, last_modified: str | None, max_bytes: int) -> Response:
        seen = {url}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if self.options.robots:
                resolve(current, self.options.allow_private, self.options.allow_hosts)  # refused before robots.txt
                self._check_robots(current)
            response = self._once(current, etag, last_modified, max_bytes)
            if response.status not in REDIRECTS:
                if response.status == 304 or 200 <= response.status < 300:
                    return Response(url, current, response.status, response.content_type, response.body,
                                    response.etag, response.last_modified)
                transient = response.status == 429 or response.status >= 500
                raise FetchError(url, f"HTTP {response.status}" + (f" (after redirect to {current})"
                                                                  if current != url else ""),
                                 transient=transient, status=response.status)
            location = response.location
            if not location:
                raise FetchError(url, f"HTTP {response.status} redirect without a Location header")
            current = urljoin(current, location)
            if current in seen:
                raise FetchError(url, f"redirect loop (back to {current})")
            seen.add(current)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _once(self, url: str, etag: str | None, last_modified: str | None, max_bytes: int) -> _Raw:
        scheme, host, address, port = resolve(url, self.options.allow_private, self.options.allow_hosts)
        self._pace(host)
        parts = urlsplit(url)
        literal = f"[{address}]" if ":" in address else address
        default = port == (443 if scheme == "https" else 80)
        target = urlunsplit((scheme, literal if default else f"{literal}:{port}", parts.path or "/",
                             parts.query, ""))
        headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        timeout = self.options.timeout
        deadline = time.monotonic() + timeout
        extensions = {"sni_hostname": host} if scheme == "https" else {}
        try:
            with self._client.stream("GET", target, headers=headers, extensions=extensions,
                                     timeout=httpx.Timeout(timeout)) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(url, f"response of {int(declared):,} bytes is over the limit of "
                                          f"{max_bytes:,} (--max-bytes)")
                body = bytearray()
                if response.status_code not in REDIRECTS and response.status_code != 304:
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise FetchError(url, f"response over the limit of {max_bytes:,} bytes (--max-bytes)")
                        if time.monotonic() > deadline:
                            raise FetchError(url, f"response took over {timeout:g} s (--timeout)", transient=True)
                return _Raw(response.status_code, response.headers.get("content-type", ""), bytes(body),
                            response.headers.get("etag"), response.headers.get("last-modified"),
                            response.headers.get("location"))
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"no answer within {timeout:g} s (--timeout)", transient=True) from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})", transient=True) from exc
        finally:
            self._hosts[host].last = time.monotonic()

    def _pace(self, host: str) -> None:
        state = self._hosts.setdefault(host, _Host())
        delay = max(self.options.host_delay, state.delay)
        wait = state.last + delay - time.monotonic()
        if state.last and wait > 0:
            self.sleep(wait)

    def _check_robots(self, url: str) -> None:
        scheme, host, port = check_scheme(url)
        state = self._robots.setdefault((scheme, host, port), _Robots())
        now = time.monotonic()
        if now - state.at > ROBOTS_TTL_S or (state.error and now - state.at > 300):
            state.at = now
            state.parser, state.error = self._read_robots(scheme, host, port)
        if state.error:
            # A passing failure (the host is down, robots.txt answers 5xx): tried again later.
            raise FetchError(url, f"robots.txt could not be read ({state.error}); nothing is fetched "
                                  "from this host until it can", transient=True)
        if state.parser is not None and not state.parser.can_fetch(ROBOTS_AGENT, url):
            raise Refused(url, f"disallowed by robots.txt of {host}")

    def _read_robots(self, scheme: str, host: str, port: int) -> tuple[RobotFileParser | None, str | None]:
        """robots.txt as RFC 9309 reads it: 4xx allows everything, 5xx or no answer allows nothing."""
        default = port == (443 if scheme == "https" else 80)
        netloc = host if default else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            netloc = f"[{host}]" if default else f"[{host}]:{port}"
        robots_url = f"{scheme}://{netloc}/robots.txt"
        try:
            response = self._follow_robots(robots_url)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None, None
            return None, exc.reason
        parser = RobotFileParser()
        parser.parse(response.body.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._hosts.setdefault(host, _Host()).delay = min(float(delay), MAX_CRAWL_DELAY_S)
        return parser, None

    def _follow_robots(self, url: str) -> Response:
        saved = self.options
        try:
            self.options = replace(saved, robots=False, retries=0)
            return self._follow(url, None, None, ROBOTS_MAX_BYTES)
        finally:
            self.options = saved


@dataclass(frozen=True)
class _Raw:
    status: int
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None
    location: str | None
