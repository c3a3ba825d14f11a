"""Helpers the tests share: the project root, building a site, parsing HTML."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"  # Debian's package (Playwright's own download cannot work here)
# No background traffic: the machine has no network, and Chromium's attempts only slow it down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_SOURCE = ROOT / "site_src"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build_site(source: Path, output: Path, base_url: str | None = None, project: Path = ROOT, search: bool = True):
    """One build by a new Builder (what a new `python build.py` process does)."""
    from papernotes.pipeline import Builder, BuildOptions

    builder = Builder(BuildOptions(project=project, source=source, output=output, base_url=base_url, search=search))
    try:
        return builder.build()
    finally:
        builder.close()


def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder with its own templates (and cache) plus a writable copy of site_src/."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "templates", project / "templates")
    for name in ("static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    source = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", source)
    return project, source


SEED_FILES = (
    "posts/cvpr2022-papers.md",
    "notes/cvpr2022-generative-models.md",
    "papers/hf-daily-papers.txt",
    "papers/cvpr-2023-list19.md",
    "papers/nannan-wang-profile.txt",
)


def seed_records() -> list:
    """Every paper record of the five seeds, read with format detection, in seed order."""
    from papernotes.sources.detect import read_listing

    records = []
    for path in SEED_FILES:
        records += read_listing(path, (SEED_SOURCE / path).read_text(encoding="utf-8")).records
    return records


def raw_get(port: int, path: str, method: str = "GET", timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """Send the request line exactly as given: no client-side path normalization."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body
