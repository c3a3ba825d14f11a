"""The only module that touches output/: Jinja2 rendering, atomic writes, pruning.

Every file is written to a temporary sibling and renamed into place, so a
server never serves half a page and a killed build leaves the old file. A file
whose bytes did not change is not rewritten (its mtime tells the dev loop what
moved). Two pages claiming one output path is an error, never an overwrite.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic, error

MANIFEST = ".papernotes-manifest"


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)  # output-relative paths whose bytes changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_if_changed(output: Path, rel: str, data: bytes, report: WriteReport) -> None:
    target = output / rel
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            report.unchanged += 1
            return
    except OSError:
        pass
    atomic_write(target, data)
    report.written.append(rel)


def check_collisions(claims: list[tuple[str, str]]) -> tuple[dict[str, str], list[Diagnostic]]:
    """claims: (output path, who made it). Returns the owner of each path + errors."""
    owners: dict[str, str] = {}
    diags = []
    for path, owner in claims:
        if path in owners and owners[path] != owner:
            diags.append(error(owner.split(":")[0], 0,
                               f"output path collision: {path} is made by both {owners[path]} and {owner}"))
            continue
        owners.setdefault(path, owner)
    return owners, diags


def copy_file_if_changed(output: Path, rel: str, source: Path, report: WriteReport) -> None:
    target = output / rel
    try:
        s, t = source.stat(), target.stat()
        if s.st_size == t.st_size and source.read_bytes() == target.read_bytes():
            report.unchanged += 1
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(target.parent))
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    report.written.append(rel)


class SiteWriter:
    """Renders pages with Jinja2 and writes them, plus static assets, into output/."""

    def __init__(self, project: Path, output: Path):
        self.project = project
        self.output = output
        self.env = make_environment(project / "templates")
        self._on_disk: set[str] | None = None  # what this writer knows it left in output/ last time

    def fragment(self, template: str, name: str):
        """A callable rendering one small template (e.g. a list item) with one variable."""
        def render(value) -> str:
            return self.env.get_template(template).render({name: value})
        return render

    def write(self, pages, urls, site: dict, diags, render, extra_files: dict, keep_failed: set[str],
              cname: str | None, first: set[str] = frozenset()) -> WriteReport:
        """Write every page `render(page)` asks for (and any page whose file is missing), then assets.

        Pages made from a file in `first` (the file just saved) are written before the others, so the
        page the author is looking at updates as early as possible.
        """
        output = self.output
        output.mkdir(parents=True, exist_ok=True)
        report = WriteReport()
        owners, collision_diags = check_collisions([(urls.output_file(p.url), p.origin) for p in pages])
        diags.extend(collision_diags)
        produced: set[str] = set()
        on_disk = self._on_disk if self._on_disk is not None else read_manifest(output)
        ordered = sorted(pages, key=lambda p: p.origin not in first) if first else pages
        for page in ordered:
            rel = urls.output_file(page.url)
            if owners.get(rel) != page.origin:
                continue
            produced.add(rel)
            exists = rel in on_disk and (self._on_disk is not None or (output / rel).exists())
            if exists and (not render(page) or page.origin in keep_failed):
                continue  # unchanged inputs, or the last good page of a source that is broken right now
            context = dict(page.context() if callable(page.context) else page.context)
            context["site"] = site
            context["page"] = {"breadcrumbs": [], "section": page.url.split("/", 1)[0], **context["page"],
                               "canonical": urls.absolute(page.url)}
            try:
                html = self.env.get_template(page.template).render(context)
            except Exception as exc:  # a template bug names the page instead of killing the build
                diags.error(f"templates/{page.template}", getattr(exc, "lineno", 0) or 0,
                            f"rendering {page.url or '/'}: {type(exc).__name__}: {exc}")
                continue
            report.rendered += 1
            write_if_changed(output, rel, html.encode("utf-8"), report)

        assets = self.assets(urls, diags)
        assets.update(extra_files)
        assets[".nojekyll"] = b""
        if cname:
            assets["CNAME"] = (cname + "\n").encode("utf-8")
        for rel, src in sorted(assets.items()):
            produced.add(rel)
            if isinstance(src, bytes):
                write_if_changed(output, rel, src, report)
            else:
                copy_file_if_changed(output, rel, src, report)
        prune(output, produced, report, on_disk)
        self._on_disk = produced
        return report

    def assets(self, urls, diags) -> dict:
        from .render.highlight import pygments_css
        from .render.katex import KatexUnavailable, katex_assets, katex_css

        assets: dict = {}
        static = self.project / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    assets[urls.static(path.relative_to(static).as_posix())] = path
        assets[urls.static("pygments.css")] = pygments_css().encode("utf-8")
        try:
            for src, rel in katex_assets(self.project):
                assets[rel] = src
            assets[urls.static("katex/katex.min.css")] = katex_css(self.project).encode("utf-8")
        except KatexUnavailable as exc:
            diags.error("package.json", 0, f"KaTeX stylesheet and fonts not copied: {exc}")
        return assets


def read_manifest(output: Path) -> set[str]:
    try:
        return set((output / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    except OSError:
        return set()


def prune(output: Path, keep: set[str], report: WriteReport, previous: set[str] | None = None) -> None:
    """Remove files an earlier build wrote that this build did not produce.

    Only files listed in the previous manifest are candidates, so files a user
    dropped into output/ by hand (or pagefind's index) are never touched here.
    """
    previous = read_manifest(output) if previous is None else previous
    for rel in sorted(previous - keep):
        target = output / rel
        try:
            target.unlink()
            report.removed.append(rel)
        except OSError:
            continue
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    atomic_write(output / MANIFEST, ("\n".join(sorted(keep)) + "\n").encode("utf-8"))
