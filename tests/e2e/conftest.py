"""End-to-end fixtures: the seed site built once per base URL and served over HTTP on 127.0.0.1.

The site is served the way GitHub Pages serves a project site: plain static files
under a sub-path (`/notes/`), with nothing answering outside it. A link that
forgets the base path therefore gets a real 404, as it would on Pages.

(tests/e2e/ is a package so that this conftest does not shadow tests/conftest.py,
which other test modules import as `conftest`.)
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitebuild import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SEED_SOURCE = ROOT / "site_src"
SUB_PATH_URL = "https://example.github.io/notes/"
ROOT_URL = "https://example.github.io/"


@dataclass(frozen=True)
class ServedSite:
    """A built site and where it is served. `base_url` is the public URL it was built for."""

    base_url: str  # https://example.github.io/notes/
    output: Path  # the build's output folder
    origin: str  # http://127.0.0.1:PORT

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path  # /notes/

    @property
    def home(self) -> str:
        return self.origin + self.base_path

    def local(self, public_url: str) -> str:
        """The served address of a public URL of this site (https://example.github.io/notes/x/ -> http://127.0.0.1:P/notes/x/)."""
        assert public_url.startswith(self.base_url), f"{public_url} is not under {self.base_url}"
        return self.home + public_url[len(self.base_url) :]

    def url(self, rel: str) -> str:
        """The served address of a path relative to the base (e.g. 'notes/cvpr2022-generative-models/')."""
        return self.home + rel


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Static files only, with the types a browser insists on for ES modules and WebAssembly."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def list_directory(self, path):
        # GitHub Pages never lists a folder; a link to one without index.html is broken.
        self.send_error(404, "No index.html here")
        return None

    def log_message(self, *args) -> None:
        pass


def build_seed(output: Path, base_url: str) -> None:
    from papernotes.pipeline import Builder, BuildOptions

    builder = Builder(BuildOptions(project=ROOT, source=SEED_SOURCE, output=output, base_url=base_url))
    try:
        report = builder.build()
    finally:
        builder.close()
    errors = [d.format() for d in report.diagnostics if d.level == "error"]
    assert not errors, "the seed site must build without errors:\n" + "\n".join(errors)
    assert (output / "pagefind" / "pagefind.js").is_file(), "the build did not write the Pagefind bundle"


@pytest.fixture(scope="session")
def serve_folder():
    """A factory: (web root, base URL, output) -> ServedSite, a static server on 127.0.0.1 stopped at the end."""
    servers: list[tuple[http.server.ThreadingHTTPServer, threading.Thread]] = []

    def serve(webroot: Path, base_url: str, output: Path) -> ServedSite:
        handler = functools.partial(StaticHandler, directory=str(webroot))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"e2e-server {base_url}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return ServedSite(base_url, output, f"http://127.0.0.1:{server.server_address[1]}")

    try:
        yield serve
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(5)


@pytest.fixture(scope="session")
def serve_seed(tmp_path_factory, serve_folder):
    """A factory: base URL -> ServedSite. Each base URL is built and served once per session."""
    sites: dict[str, ServedSite] = {}

    def serve(base_url: str) -> ServedSite:
        if base_url not in sites:
            webroot = tmp_path_factory.mktemp("www")
            output = webroot / urlsplit(base_url).path.strip("/")  # the web root itself when at "/"
            output.mkdir(parents=True, exist_ok=True)
            build_seed(output, base_url)
            sites[base_url] = serve_folder(webroot, base_url, output)
        return sites[base_url]

    return serve


@pytest.fixture(scope="session")
def sub_site(serve_seed) -> ServedSite:
    """The seed site built for https://example.github.io/notes/ and served at /notes/."""
    return serve_seed(SUB_PATH_URL)


@pytest.fixture(scope="session")
def dev_served(sub_site) -> ServedSite:
    """The same /notes/ build served by the project's dev server (`python build.py serve`'s server)."""
    from papernotes.dev.server import DevServer, ReloadHub

    hub = ReloadHub()
    server = DevServer(sub_site.output, hub, host="127.0.0.1", port=0, base_path=sub_site.base_path, keepalive=1.0)
    thread = threading.Thread(target=server.serve_forever, name="e2e-dev-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(sub_site.base_url, sub_site.output, f"http://127.0.0.1:{server.port}")
    finally:
        hub.close()  # ends open event streams so shutdown does not wait on them
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session", params=[SUB_PATH_URL, ROOT_URL], ids=["sub-path", "root"])
def any_site(request, serve_seed) -> ServedSite:
    """The seed site under the sub-path and at the root."""
    return serve_seed(request.param)


def browser_available() -> bool:
    # On CI a missing browser must fail (.ci/run installs it), never skip.
    return Path(CHROMIUM).exists() or bool(os.environ.get("CI"))


# Module scope, not session: a running sync_playwright() owns an asyncio loop, and other test
# modules start their own Playwright after this one is done.
@pytest.fixture(scope="module")
def chromium():
    if not browser_available():
        pytest.skip(f"{CHROMIUM} not installed (and CI unset)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            timeout=30_000,
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


# --- tabs in Chromium: a page that records what went wrong while it was open --------------------------------

WAIT_MS = 15_000  # upper bound for any single wait; the pages are local


@dataclass
class Tab:
    """A page plus everything that went wrong while it was open."""

    page: object
    site: ServedSite
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def goto(self, rel: str) -> None:
        response = self.page.goto(self.site.url(rel), wait_until="load")
        assert response is not None and response.status == 200, f"{rel}: HTTP {response and response.status}"

    def heading(self) -> str:
        return " ".join(self.page.locator("main h1").first.inner_text().split())


@pytest.fixture
def open_tab(chromium, sub_site):
    """A factory for Tabs (default viewport, or e.g. width=375); contexts are closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900, site: ServedSite | None = None) -> Tab:
        site = site or sub_site
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.set_default_navigation_timeout(WAIT_MS)
        tab = Tab(page, site)

        def on_console(msg):
            if msg.type == "error":
                tab.problems.append(f"console error on {page.url}: {msg.text}")

        def on_request(request):
            if request.url.startswith(site.origin + "/__papernotes/"):
                return  # the dev server's live-reload stream
            if not request.url.startswith(site.home) and not request.url.startswith(("data:", "blob:")):
                tab.problems.append(f"request outside {site.home} from {page.url}: {request.url}")

        def on_failed(request):
            failure = request.failure or ""
            if "ERR_ABORTED" not in failure:  # a navigation cancels what the previous page still had in flight
                tab.problems.append(f"request failed on {page.url}: {request.url} ({failure})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: tab.problems.append(f"page error on {page.url}: {exc}"))
        page.on(
            "response",
            lambda r: tab.problems.append(f"HTTP {r.status} on {page.url}: {r.url}") if r.status >= 400 else None,
        )
        page.on("request", on_request)
        page.on("requestfailed", on_failed)
        page.on("framenavigated", lambda frame: tab.visited.append(frame.url) if frame == page.main_frame else None)
        return tab

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


def click_and_wait(tab: Tab, locator) -> None:
    """Click a link and wait for the page it leads to (bounded)."""
    with tab.page.expect_navigation(wait_until="load", timeout=WAIT_MS):
        locator.click()
    assert tab.page.url.startswith(tab.site.home), f"navigated out of the site: {tab.page.url}"


def text_of(locator) -> str:
    return " ".join(locator.inner_text().split())
