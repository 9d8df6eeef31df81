"""The fetcher against a real HTTP server on 127.0.0.1: safety, limits, politeness."""

from __future__ import annotations

import time

import pytest

from tests.watch.server import Route
from veille.watch.fetch import Fetcher, FetchError, FetchOptions, Refused, public_address, resolve

FAST = dict(allow_private=True, retries=0, backoff=0.01, host_delay=0.0, timeout=2.0)


def fetcher(**kw) -> Fetcher:
    return Fetcher(FetchOptions(**{**FAST, **kw}))


@pytest.mark.parametrize("address,public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("172.16.5.4", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
])
def test_which_addresses_are_public(address, public):
    assert public_address(address) is public


def test_a_private_address_is_refused_without_allow_private(site):
    site.routes["/feed"] = Route(b"<rss/>")
    with Fetcher(FetchOptions(host_delay=0)) as f, pytest.raises(Refused, match="--allow-private"):
        f.get(site.url("/feed"))
    assert site.hits == []  # refused before any request, robots.txt included
    with pytest.raises(Refused, match="private"):
        resolve("http://localhost/", allow_private=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "javascript:alert(1)",
                                 "http:///nohost"])
def test_only_http_and_https_are_fetched(url):
    with fetcher() as f, pytest.raises(Refused):
        f.get(url)


def test_a_redirect_to_another_scheme_is_refused(site):
    site.routes["/r"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    with fetcher() as f, pytest.raises(Refused, match="scheme 'file'"):
        f.get(site.url("/r"))


def test_every_redirect_hop_is_checked_against_the_allowed_hosts(site):
    """Allowing one private host does not allow the others a redirect points to."""
    site.routes["/r"] = Route(status=301, headers={"Location": f"http://localhost:{site.port}/a"})
    site.routes["/a"] = Route(b"<html><body>x</body></html>")
    with fetcher(allow_private=False, allow_hosts=("127.0.0.1",)) as f:
        with pytest.raises(Refused, match="localhost"):
            f.get(site.url("/r"))
        assert f.get(site.url("/a")).status == 200
    assert site.gets("/a") == 1


def test_redirects_are_followed_up_to_five(site):
    for i in range(6):
        site.routes[f"/hop{i}"] = Route(status=302, headers={"Location": f"/hop{i + 1}"})
    site.routes["/hop6"] = Route(b"done", content_type="text/plain")
    with fetcher() as f:
        assert f.get(site.url("/hop1")).body == b"done"  # 5 redirects
        with pytest.raises(FetchError, match="more than 5 redirects"):
            f.get(site.url("/hop0"))  # 6


def test_a_redirect_loop_is_reported(site):
    site.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    site.routes["/loop2"] = Route(status=307, headers={"Location": "/loop1"})
    with fetcher() as f, pytest.raises(FetchError, match="redirect loop"):
        f.get(site.url("/loop1"))
    assert site.gets("/loop1") == 1 and site.gets("/loop2") == 1


def test_a_huge_response_is_cut_at_the_limit(site):
    site.routes["/huge"] = Route(huge=20_000_000)  # streamed without Content-Length
    site.routes["/declared"] = Route(b"x" * 3000)
    with fetcher(max_bytes=1_000_000) as f:
        start = time.monotonic()
        with pytest.raises(FetchError, match="over the limit of 1,000,000 bytes"):
            f.get(site.url("/huge"))
        assert time.monotonic() - start < 5
        with pytest.raises(FetchError, match="3,000 bytes is over the limit"):
            f.get(site.url("/declared"), max_bytes=1000)


def test_a_slow_host_times_out_and_is_tried_again(site):
    site.routes["/slow"] = Route(b"late", delay=1.5)
    with fetcher(timeout=0.3, retries=1) as f:
        start = time.monotonic()
        with pytest.raises(FetchError, match="no answer within 0.3 s") as caught:
            f.get(site.url("/slow"))
    assert caught.value.transient
    assert time.monotonic() - start < 3
    assert site.gets("/slow") == 2


def test_a_500_is_retried_with_back_off_then_reported(site):
    site.routes["/down"] = Route(b"oops", status=500)
    with fetcher(retries=2, backoff=0.1) as f:
        with pytest.raises(FetchError, match="HTTP 500") as caught:
            f.get(site.url("/down"))
    assert caught.value.transient and caught.value.status == 500
    times = [h.time for h in site.hits if h.path == "/down"]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.09 and times[2] - times[1] >= 0.19  # 0.1 s, then doubled


def test_a_404_is_not_retried(site):
    with fetcher(retries=3) as f, pytest.raises(FetchError, match="HTTP 404") as caught:
        f.get(site.url("/missing"))
    assert not caught.value.transient
    assert site.gets("/missing") == 1


def test_conditional_get_with_etag(site):
    site.routes["/feed"] = Route(b"<rss/>", etag='"v1"', headers={"Last-Modified": "Mon, 03 Jan 2022 10:00:00 GMT"})
    with fetcher() as f:
        first = f.get(site.url("/feed"))
        assert first.status == 200 and first.etag == '"v1"' and first.last_modified.startswith("Mon")
        again = f.get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    sent = [h.headers for h in site.hits if h.path == "/feed"][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"].startswith("Mon")


def test_robots_txt_is_honoured_and_read_once(site):
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/a"] = Route(b"secret")
    site.routes["/public/a"] = Route(b"open")
    site.routes["/public/b"] = Route(b"open")
    with fetcher() as f:
        with pytest.raises(Refused, match="disallowed by robots.txt"):
            f.get(site.url("/private/a"))
        f.get(site.url("/public/a"))
        f.get(site.url("/public/b"))
    assert site.gets("/private/a") == 0 and site.gets("/robots.txt") == 1


def test_robots_txt_that_fails_with_5xx_stops_fetching_for_now(site):
    site.routes["/robots.txt"] = Route(b"", status=503)
    site.routes["/a"] = Route(b"x")
    with fetcher() as f, pytest.raises(FetchError, match="robots.txt could not be read") as caught:
        f.get(site.url("/a"))
    assert caught.value.transient and site.gets("/a") == 0


def test_requests_to_one_host_are_spaced_and_say_who_asks(site):
    for i in range(3):
        site.routes[f"/p{i}"] = Route(b"x")
    with fetcher(host_delay=0.3) as f:
        for i in range(3):
            f.get(site.url(f"/p{i}"))
    times = [h.time for h in site.hits if h.path.startswith("/p")]
    assert all(b - a >= 0.28 for a, b in zip(times, times[1:]))
    agent = next(h for h in site.hits if h.path == "/p0").headers["User-Agent"]
    assert agent.startswith("veille/") and "robots.txt" in agent


def _openssl(*args: str, cwd) -> None:
    import subprocess

    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def tls_site(tmp_path, site):
    """The test server behind TLS with a certificate for "localhost" from a throwaway CA."""
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=veille test CA", cwd=tmp_path)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
             "-subj", "/CN=localhost", cwd=tmp_path)
    (tmp_path / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    _openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "leaf.pem", "-days", "2", "-extfile", "san.ext", cwd=tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    return site, str(tmp_path / "ca.pem")


def test_https_goes_to_the_checked_address_and_verifies_the_host_name(tls_site):
    """The connection is pinned to the resolved address, and the certificate is still checked
    against the URL's host name (SNI), so pinning costs no security."""
    site, ca = tls_site
    site.routes["/a"] = Route(b"secure", content_type="text/plain")
    with fetcher(ca_bundle=ca) as f:
        assert f.get(f"https://localhost:{site.port}/a").body == b"secure"
        with pytest.raises(FetchError, match="connection failed"):
            f.get(f"https://127.0.0.1:{site.port}/a")  # the certificate does not name 127.0.0.1
    with fetcher() as f, pytest.raises(FetchError, match="connection failed"):
        f.get(f"https://localhost:{site.port}/a")  # an unknown CA
