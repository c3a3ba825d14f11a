"""The only module that touches output/: Jinja2 rendering, atomic writes, pruning.

Every file is written to a temporary sibling and renamed into place, so a
server never serves half a page and a killed build leaves the old file. A file
whose bytes did not change is not rewritten (its mtime tells the dev loop what
moved). Two pages claiming one output path is an error, never an overwrite.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup

from .diagnostics import Diagnostic, error
from .memo import Memo
from .site.graph import digest_of

MANIFEST = ".papernotes-manifest"


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, keyed by Jinja by the
    template's name and a checksum of its source (so an edited template is compiled again)."""

    def __init__(self) -> None:
        self._code = Memo(limit=2_000)

    def load_bytecode(self, bucket) -> None:
        code = self._code.peek(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code.put(bucket.key, bucket.bytecode_to_string())


_COMPILED = _CompiledTemplates()
_REFERENCES = Memo(limit=2_000)  # digest of a template's source -> the templates it names


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=_COMPILED,
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
    rendered_paths: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint it was made with


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
            diags.append(
                error(
                    owner.split(":")[0], 0, f"output path collision: {path} is made by both {owners[path]} and {owner}"
                )
            )
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

    def __init__(self, templates: Path, output: Path):
        self.templates = templates
        self.output = output
        self.env = make_environment(templates)
        self._sources: dict[str, str] | None = None  # template name -> digest of its text, this build
        self._closures: dict[str, str] = {}
        self._items = Memo(limit=200_000)  # (template closure, value digest) -> rendered fragment
        self._on_disk: set[str] | None = None  # what this writer knows it left in output/ last time
        self._rels = Memo(limit=1_000_000)  # page URL -> output path
        self._fingerprints = Memo(limit=1_000_000)  # (page, templates) -> (input digests, fingerprint)

    # -- templates --------------------------------------------------------------
    def begin(self) -> None:
        """Read the templates for this build; any change of any template starts a fresh Jinja
        environment (compiled templates are keyed by content, not by mtime)."""
        sources = {}
        if self.templates.is_dir():
            for path in sorted(self.templates.rglob("*")):
                if path.is_file():
                    sources[path.relative_to(self.templates).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        if sources != self._sources:
            self.env = make_environment(self.templates)
            self._closures = {}
        self._sources = sources

    def _closure(self, name: str) -> set[str]:
        """The template and everything it extends, includes or imports; all templates if it picks one
        by a variable (then any of them may be used)."""
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source = self.env.loader.get_source(self.env, current)[0]
                refs = _REFERENCES.get(
                    hashlib.sha256(source.encode("utf-8")).hexdigest(),
                    lambda: list(jinja2.meta.find_referenced_templates(self.env.parse(source))),
                )
            except jinja2.TemplateError:
                continue  # a missing or broken template fails when the page renders, naming the page
            if None in refs:
                return set(self._sources or ()) | seen
            todo += refs
        return seen

    def templates_digest(self, names: tuple[str, ...]) -> str:
        key = "\0".join(names)
        if key not in self._closures:
            closure = set()
            for name in names:
                closure |= self._closure(name)
            sources = self._sources or {}
            self._closures[key] = hashlib.sha256(
                "\0".join(f"{n}={sources.get(n, 'missing')}" for n in sorted(closure)).encode()
            ).hexdigest()
        return self._closures[key]

    def fragment(self, template: str, name: str):
        """A callable rendering one small template (a list item) for a value with a known digest;
        made once per (template closure, value) and shared by every list that shows it."""

        def render(value, digest: str) -> Markup:
            key = (self.templates_digest((template,)), digest)
            return self._items.get(key, lambda: Markup(self.env.get_template(template).render({name: value})))

        return render

    # -- pages and files ----------------------------------------------------------
    def write(
        self,
        pages,
        graph,
        urls,
        site: dict,
        diags,
        previous: dict[str, str],
        assets: dict,
        keep_failed: set[str] = frozenset(),
        first: set[str] = frozenset(),
    ) -> WriteReport:
        """Render every page whose fingerprint differs from `previous` (output path -> fingerprint of
        the file there) or whose file is missing; write it if its bytes changed; then the assets.

        Pages made from a file in `first` (the file just saved) go first, so the page the author is
        looking at updates as early as possible.
        """
        output = self.output
        output.mkdir(parents=True, exist_ok=True)
        report = WriteReport()
        rels = [self._rels.get(p.url, lambda: urls.output_file(p.url)) for p in pages]
        owners, collision_diags = check_collisions(list(zip(rels, (p.origin for p in pages))))
        diags.extend(collision_diags)
        produced: set[str] = set()
        on_disk = self._on_disk if self._on_disk is not None else read_manifest(output)
        trust_memory = self._on_disk is not None
        site_digest = digest_of(site)
        ordered = list(zip(pages, rels))
        if first:
            ordered.sort(key=lambda pair: pair[0].origin not in first)
        for page, rel in ordered:
            if owners.get(rel) != page.origin:
                continue
            produced.add(rel)
            templates = site_digest + self.templates_digest((page.template, *page.fragments))
            fingerprint = graph.fingerprint(page, templates, self._fingerprints)
            exists = rel in on_disk and (trust_memory or (output / rel).exists())
            if exists and page.origin in keep_failed:
                continue  # the last good page of a source that is broken right now: re-render once fixed
            if exists and previous.get(rel) == fingerprint:
                report.fingerprints[rel] = fingerprint
                continue
            try:
                context = graph.context(page)
                context["site"] = site
                context["page"] = {
                    "breadcrumbs": [],
                    "section": page.url.split("/", 1)[0],
                    **context["page"],
                    "canonical": urls.absolute(page.url),
                }
                html = self.env.get_template(page.template).render(context)
            except Exception as exc:  # a template bug names the page instead of killing the build
                diags.error(
                    f"templates/{page.template}",
                    getattr(exc, "lineno", 0) or 0,
                    f"rendering {page.url or '/'}: {type(exc).__name__}: {exc}",
                )
                continue
            report.rendered += 1
            report.rendered_paths.append(rel)
            write_if_changed(output, rel, html.encode("utf-8"), report)
            report.fingerprints[rel] = fingerprint

        for rel, src in sorted(assets.items()):
            produced.add(rel)
            if isinstance(src, bytes):
                write_if_changed(output, rel, src, report)
            else:
                copy_file_if_changed(output, rel, src, report)
        prune(output, produced, report, on_disk)
        self._on_disk = produced
        return report


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
