"""Issue 11: a burst of 300 concurrent GETs against the dev server; no request waits 1 s or more.

With socketserver's default listen backlog of 5 most of such a burst overflows the accept queue and
waits for TCP retransmits (1 s, 3 s, … or never within the deadline), so one burst tells the two
apart. The client is one selector loop over 300 non-blocking sockets rather than 300 threads: every
connect is issued within a few milliseconds, and the client does not fight the server's handler
threads for the GIL, so the latency measured is the server's. The bound is the issue's acceptance
criterion and is generous (an unloaded 2-core machine serves the burst in ~0.3 s); a burst is
CPU-bound, so on a machine busy with other work we allow a few tries, and a backlog regression
fails every one of them.
"""

from __future__ import annotations

import errno
import selectors
import socket
import time

import pytest
from devclient import running_server

REQUESTS = 300
SLOWEST = 1.0  # seconds: the acceptance criterion
ATTEMPTS = 3
DEADLINE = 10.0  # give up on a burst after this long (a request that never completes counts as too slow)
PATHS = ("/", "/style.css", "/papers/x/")


@pytest.fixture
def server(tmp_path):
    out = tmp_path / "out"
    (out / "papers" / "x").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html><html><body><h1>Home</h1></body></html>")
    (out / "papers" / "x" / "index.html").write_text("<html><body><p>paper x</p></body></html>")
    (out / "style.css").write_text("body { margin: 0 }\n")
    with running_server(out) as (srv, _):
        yield srv


def burst(port: int, count: int) -> list[tuple[float, str]]:
    """Open `count` connections at once, one GET on each; per request (seconds until the response
    ended, its status line or the error)."""
    sel = selectors.DefaultSelector()
    started: dict[int, float] = {}
    replies: dict[int, bytearray] = {}
    results: dict[int, tuple[float, str]] = {}

    def finish(sock: socket.socket, i: int, outcome: str) -> None:
        results[i] = (time.monotonic() - started[i], outcome)
        sel.unregister(sock)
        sock.close()

    for i in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        started[i], replies[i] = time.monotonic(), bytearray()
        err = sock.connect_ex(("127.0.0.1", port))
        sel.register(sock, selectors.EVENT_WRITE, i)
        if err not in (0, errno.EINPROGRESS):
            finish(sock, i, f"connect: {errno.errorcode.get(err, err)}")
    end = time.monotonic() + DEADLINE
    while len(results) < count and time.monotonic() < end:
        for key, events in sel.select(timeout=0.5):
            sock, i = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE:
                    path = PATHS[i % len(PATHS)]
                    sock.send(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())  # fits the buffer
                    sel.modify(sock, selectors.EVENT_READ, i)
                elif chunk := sock.recv(65536):
                    replies[i] += chunk
                else:
                    finish(sock, i, bytes(replies[i]).split(b"\r\n", 1)[0].decode("latin-1"))
            except OSError as exc:
                finish(sock, i, f"error: {exc}")
    for key in list(sel.get_map().values()):
        results[key.data] = (float("inf"), "no response within the deadline")
        key.fileobj.close()
    sel.close()
    return [results[i] for i in range(count)]


def summary(results: list[tuple[float, str]]) -> str:
    latencies = sorted(t for t, _ in results)
    bad = [outcome for _, outcome in results if " 200 " not in outcome]
    return (
        f"slowest {latencies[-1]:.3f}s, median {latencies[len(latencies) // 2]:.3f}s, "
        f"{sum(t >= SLOWEST for t in latencies)} waited >= {SLOWEST}s, {len(bad)} not 200 {sorted(set(bad))[:3]}"
    )


def test_a_burst_of_300_requests_is_served_without_waiting(server):
    assert all(" 200 " in outcome for _, outcome in burst(server.port, 20))  # warm: imports, caches, threads
    tries = []
    for _ in range(ATTEMPTS):
        results = burst(server.port, REQUESTS)
        assert all(" 200 " in outcome for _, outcome in results), summary(results)
        if max(t for t, _ in results) < SLOWEST:
            return
        tries.append(summary(results))
    pytest.fail(f"backlog {server.request_queue_size}; every burst had a request waiting: " + "; ".join(tries))
