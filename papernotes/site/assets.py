"""Files that are not pages: static/, the Pygments and KaTeX stylesheets and fonts, images of notes,
.nojekyll and CNAME. Handed to the writer as data: output path -> bytes or the file to copy."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Diagnostics
from ..render.highlight import pygments_css
from ..render.katex import KatexUnavailable, katex_assets, katex_css
from .urls import Urls


def static_assets(project: Path, urls: Urls, diags: Diagnostics, cname: str | None) -> dict[str, Path | bytes]:
    assets: dict[str, Path | bytes] = {}
    static = project / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file():
                assets[urls.static(path.relative_to(static).as_posix())] = path
    assets[urls.static("pygments.css")] = pygments_css().encode("utf-8")
    try:
        for src, rel in katex_assets(project):
            assets[rel] = src
        assets[urls.static("katex/katex.min.css")] = katex_css(project).encode("utf-8")
    except KatexUnavailable as exc:
        diags.error("package.json", 0, f"KaTeX stylesheet and fonts not copied: {exc}")
    assets[".nojekyll"] = b""  # GitHub Pages: serve _-prefixed files as they are
    if cname:
        assets["CNAME"] = (cname + "\n").encode("utf-8")
    return assets


def document_images(source: Path, documents, rendered: dict, urls: Urls) -> dict[str, Path]:
    """Images documents show: a relative one next to its page (where its src points), a /root one at the
    same path from the site's root."""
    assets: dict[str, Path] = {}
    for doc in documents:
        doc_url = urls.document(doc.kind, doc.slug)
        for image in rendered[doc.path].images:
            if image.resolved:
                target = (
                    image.resolved
                    if image.src.startswith("/")
                    else doc_url + unquote(image.src.split("#")[0].split("?")[0])
                )
                assets[target] = source / image.resolved
    return assets
