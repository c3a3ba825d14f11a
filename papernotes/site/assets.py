"""Files that are not pages: static/, the Pygments and math stylesheets, the math font, images of notes,
.nojekyll and CNAME. Handed to the writer as data: output path -> bytes or the file to copy."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Diagnostics
from ..render.highlight import pygments_css
from ..render.katex import KatexUnavailable, math_assets
from .urls import Urls


def static_assets(
    static_dirs: list[Path], katex_root: Path, urls: Urls, diags: Diagnostics, cname: str | None
) -> dict[str, Path | bytes]:
    """`static_dirs` in lookup order (a site's static/, then the theme's): the first holding a file wins;
    the math stylesheet and font from `katex_root`/node_modules."""
    assets: dict[str, Path | bytes] = {}
    for static in static_dirs:
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    assets.setdefault(urls.static(path.relative_to(static).as_posix()), path)
    assets[urls.static("pygments.css")] = pygments_css().encode("utf-8")
    try:
        assets.update((urls.static(name), data) for name, data in math_assets(katex_root).items())
    except KatexUnavailable as exc:
        diags.error("package.json", 0, f"the math stylesheet and font not copied: {exc}")
    assets[".nojekyll"] = b""  # GitHub Pages: serve _-prefixed files as they are
    if cname:
        assets["CNAME"] = (cname + "\n").encode("utf-8")
    return assets


@dataclass(frozen=True)
class CopiedFile:
    """A file of site_src/ to copy, with the source line that asked for it (for the writer's messages);
    `rivals`: the other (origin, line, file) that asked for a different file at the same output path."""

    path: Path
    origin: str
    line: int
    rivals: tuple[tuple[str, int, str], ...] = ()


def site_files(source: Path, paths: list[str]) -> dict[str, Path]:
    """The files of site_src/ outside its content folders (content.py says which), at the same path."""
    return {rel: source / rel for rel in paths}


def document_images(source: Path, documents, rendered: dict, urls: Urls) -> dict[str, CopiedFile]:
    """Images documents show: a relative one next to its page (where its src points), a /root one at the
    same path from the site's root. Output paths are normalised; one that climbs out of output/ is left
    for the writer to refuse, naming the image's line."""
    claims: dict[str, list[tuple[str, int, str]]] = {}
    for doc in documents:
        page = urls.of_document(doc)
        doc_url = page if page.endswith("/") else posixpath.join(posixpath.dirname(page), "")  # what a src is under
        for image in rendered[doc.path].images:
            if image.resolved:
                target = (
                    image.resolved
                    if image.src.startswith("/")
                    else posixpath.normpath(doc_url + unquote(image.src.split("#")[0].split("?")[0]))
                )
                claims.setdefault(target, []).append((doc.path, image.line, image.resolved))
    assets: dict[str, CopiedFile] = {}
    for target, asked in claims.items():
        origin, line, resolved = asked[0]
        rivals = tuple(sorted({claim for claim in asked if claim[2] != resolved}))
        assets[target] = CopiedFile(source / resolved, origin, line, rivals)
    return assets
