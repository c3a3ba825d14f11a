"""The dev server: safe static serving, injected reload script, SSE events, the overlay."""

from __future__ import annotations

import json
import os

import pytest
from devclient import EventStream, parse, running_server
from sitebuild import raw_get

WAIT = 10.0
SECRET = "TOP-SECRET-OUTSIDE-CONTENT"
INDEX = "<!doctype html><html><head><link rel=stylesheet href=/style.css></head><body><h1>Home</h1></body></html>"


# --- helpers ------------------------------------------------------------------


# --- static serving ---------------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "out"
    (out / "papers" / "x").mkdir(parents=True)
    (out / "pagefind").mkdir()
    (out / "index.html").write_text(INDEX)
    (out / "papers" / "x" / "index.html").write_text("<html><body><p>paper x</p></body></html>")
    (out / "404.html").write_text("<html><body><p>SITE-404-PAGE</p></body></html>")
    for name in [
        "style.css",
        "app.js",
        "data.json",
        "feed.xml",
        "logo.svg",
        "f.woff2",
        "i.png",
        "i.jpg",
        "m.wasm",
        "pagefind/a.pf_meta",
        "pagefind/b.pf_index",
        "pagefind/c.pf_fragment",
    ]:
        (out / name).write_bytes(b"x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    os.symlink(outside / "secret.txt", out / "leak.txt")
    os.symlink(outside, out / "linkdir")
    return out


@pytest.fixture
def server(site):
    with running_server(site) as (srv, _):
        yield srv


def test_pages_are_served_with_injected_script_not_on_disk(server, site):
    status, headers, body = raw_get(server.port, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    page = parse(body)
    assert any('EventSource("/__papernotes/events")' in s for s in page.scripts)
    assert page.overlay is None
    assert body.index(b"<script>") < body.index(b"</body>")
    assert "__papernotes" not in (site / "index.html").read_text()

    status, _, body = raw_get(server.port, "/papers/x/")
    assert status == 200 and b"paper x" in body


def test_directory_without_slash_redirects(server):
    status, headers, _ = raw_get(server.port, "/papers/x")
    assert status == 301
    assert headers["location"] == "/papers/x/"


def test_unknown_path_gets_the_sites_404_page(server):
    status, headers, body = raw_get(server.port, "/no/such/page/")
    assert status == 404
    assert b"SITE-404-PAGE" in body
    assert headers["content-type"].startswith("text/html")


def test_builtin_404_without_site_page(server, site):
    (site / "404.html").unlink()
    status, _, body = raw_get(server.port, "/missing.css")
    assert status == 404 and b"404" in body


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/style.css", "text/css"),
        ("/app.js", "text/javascript"),
        ("/data.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/logo.svg", "image/svg+xml"),
        ("/f.woff2", "font/woff2"),
        ("/i.png", "image/png"),
        ("/i.jpg", "image/jpeg"),
        ("/m.wasm", "application/wasm"),
        ("/pagefind/a.pf_meta", "application/octet-stream"),
        ("/pagefind/b.pf_index", "application/octet-stream"),
        ("/pagefind/c.pf_fragment", "application/octet-stream"),
    ],
)
def test_content_types(server, path, ctype):
    status, headers, body = raw_get(server.port, path)
    assert status == 200
    assert headers["content-type"].split(";")[0] == ctype
    assert headers["cache-control"] == "no-store"
    assert body == b"x"  # non-HTML is never rewritten


@pytest.mark.parametrize(
    "path",
    [
        "/../outside/secret.txt",
        "/papers/../../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2E%2E/outside/secret.txt",
        "/%2e%2e%2foutside%2fsecret.txt",
        "/..%5coutside%5csecret.txt",
        "/..\\outside\\secret.txt",
        "/leak.txt",
        "/linkdir/secret.txt",
        "/linkdir/",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/outside/secret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
    ],
)
def test_requests_cannot_escape_the_output_dir(server, site, path):
    status, _, body = raw_get(server.port, path)
    assert status in (403, 404)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_absolute_path_to_the_secret_is_refused(server, site):
    secret = site.parent / "outside" / "secret.txt"
    for path in ("/" + str(secret), "/" + str(secret).lstrip("/")):
        status, _, body = raw_get(server.port, path)
        assert status in (403, 404)
        assert SECRET.encode() not in body


def test_base_path_prefix(site):
    with running_server(site, base_path="/repo/") as (srv, _):
        status, _, body = raw_get(srv.port, "/repo/papers/x/")
        assert status == 200 and b"paper x" in body
        assert raw_get(srv.port, "/repo")[1]["location"] == "/repo/"
        assert raw_get(srv.port, "/")[1]["location"] == "/repo/"
        assert raw_get(srv.port, "/papers/x/")[0] == 404
        assert raw_get(srv.port, "/repo/../outside/secret.txt")[0] == 404
        for endpoint in ("/__papernotes/status", "/repo/__papernotes/status"):
            status, _, body = raw_get(srv.port, endpoint)
            assert status == 200 and json.loads(body)["ok"] is True


def test_hub_events_and_overlay(server):
    stream = EventStream(server.port, WAIT)
    try:
        assert stream.next() == ("hello", "0")
        server.hub.publish(False, ["notes/a.md:3: error: bad <tag>"], [])
        name, data = stream.next()
        assert name == "error" and json.loads(data) == ["notes/a.md:3: error: bad <tag>"]
        _, _, body = raw_get(server.port, "/")
        assert b"bad &lt;tag&gt;" in body
        assert "notes/a.md:3: error: bad <tag>" in parse(body).overlay
        server.hub.publish(True, [], ["style.css", "css/more.css"])
        assert stream.next() == ("css", "2")
        server.hub.publish(True, [], ["index.html", "style.css"])
        assert stream.next() == ("reload", "3")
        assert parse(raw_get(server.port, "/")[2]).overlay is None
    finally:
        stream.close()


def test_event_stream_ends_when_hub_closes(server):
    stream = EventStream(server.port, WAIT)
    try:
        assert stream.next()[0] == "hello"
        server.hub.close()
        assert stream.next() is None
    finally:
        stream.close()
